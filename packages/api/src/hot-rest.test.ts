import { API_KEY_SCOPES } from '@costwise/core'
import { teams, users, usage, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiKey, revokeApiKey } from './auth/api-keys'
import { HOT_REST_ROUTES, serveHotRest } from './hot-rest'
import { handleRestRequest, openApiDocument } from './http'
import { createApiConfig, DEFAULT_API_CONFIG, type ApiConfig } from './config'

// The short path must answer exactly as the generated REST API does: the same procedures, checks and errors.

let t: TestDb
let db: Db
let server: Server
let base: string
let key: string
let readOnlyKey: string
let teamId: string
/** The settings this test server runs with (one test starts it with a tighter rate limit). */
let config: ApiConfig = DEFAULT_API_CONFIG

beforeAll(async () => {
  t = await createTestDb()
  db = t.db
  const team = await teams.insertTeam(db, { slug: 'hot-team', name: 'Hot', timeZone: 'Europe/Berlin' })
  teamId = team.id
  const user = await users.insertUser(db, { email: 'h@hot.test', name: 'H', passwordHash: 'x' })
  await teams.upsertMember(db, team.id, user.id, 'owner')
  key = (await createApiKey(db, { teamId: team.id, name: 'tool', scopes: [...API_KEY_SCOPES] })).key
  readOnlyKey = (await createApiKey(db, { teamId: team.id, name: 'reader', scopes: ['usage:read'] })).key
  server = createServer((req, res) => {
    serveHotRest(db, req, res, { config }).then(
      (served) => {
        if (!served) res.writeHead(404).end('not hot')
      },
      (error: unknown) => res.writeHead(500).end(String(error)),
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()))
  await t.destroy()
})

async function both(path: string, body: unknown, apiKey: string | null = key, raw?: string) {
  const init = () => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
    body: raw ?? JSON.stringify(body),
  })
  const hot = await fetch(`${base}/api${path}`, init())
  const rest = await handleRestRequest(db, new Request(`http://localhost/api${path}`, init()), config)
  return {
    hot: {
      status: hot.status,
      json: (await hot.json()) as Record<string, any>,
      retryAfter: hot.headers.get('retry-after'),
    },
    rest: {
      status: rest.status,
      json: (await rest.json()) as Record<string, any>,
      retryAfter: rest.headers.get('retry-after'),
    },
  }
}

describe('the short REST path for tracking', () => {
  it('serves exactly the procedures the OpenAPI document lists for track, batch, reserve and release', () => {
    const doc = openApiDocument('http://localhost')
    for (const route of HOT_REST_ROUTES.keys()) {
      const [method, path] = route.split(' ') as [string, string]
      expect(doc.paths?.[path.replace(/^\/api/, '')]?.[method.toLowerCase() as 'post']).toBeDefined()
    }
    expect([...HOT_REST_ROUTES.keys()].sort()).toEqual([
      'POST /api/usage/release',
      'POST /api/usage/reserve',
      'POST /api/usage/track',
      'POST /api/usage/track/batch',
    ])
  })

  it('answers a tracked call, a retry and a batch as the generated REST API does', async () => {
    const { hot, rest } = await both('/usage/track', {
      model: 'gpt-4o',
      inputTokens: 1200,
      outputTokens: 300,
      idempotencyKey: `k-${Date.now()}`,
    })
    expect(hot.status).toBe(200)
    expect(rest.status).toBe(200)
    // The second of the two calls is the retry of the first (same key): the same row, flagged.
    expect(rest.json).toMatchObject({ id: hot.json.id, costUsd: hot.json.costUsd, duplicate: true })
    expect(Object.keys(hot.json).sort()).toEqual(Object.keys(rest.json).sort())
    const batch = await both('/usage/track/batch', {
      events: [{ model: 'gpt-4o-mini', inputTokens: 10, outputTokens: 1 }],
    })
    expect(batch.hot.status).toBe(200)
    expect(batch.hot.json.results).toHaveLength(1)
    expect(Object.keys(batch.hot.json)).toEqual(Object.keys(batch.rest.json))
  })

  it('gives the same errors: bad input names the field, no key is 401, a missing scope is 403, bad JSON is 400', async () => {
    const bad = await both('/usage/track', { model: 'gpt-4o', inputTokens: -5, outputTokens: 1 })
    expect(bad.hot).toEqual(bad.rest)
    expect(bad.hot).toMatchObject({ status: 400, json: { code: 'BAD_INPUT', field: 'inputTokens' } })

    const anonymous = await both('/usage/track', { model: 'gpt-4o', inputTokens: 5, outputTokens: 1 }, null)
    expect(anonymous.hot).toEqual(anonymous.rest)
    expect(anonymous.hot.status).toBe(401)

    const scope = await both('/usage/track', { model: 'gpt-4o', inputTokens: 5, outputTokens: 1 }, readOnlyKey)
    expect(scope.hot).toEqual(scope.rest)
    expect(scope.hot.status).toBe(403)
    expect(scope.hot.json.message).toContain('usage:write')

    const release = await both('/usage/release', { reservationId: 'nope' })
    expect(release.hot).toEqual(release.rest)
    expect(release.hot).toMatchObject({ status: 400, json: { field: 'reservationId' } })

    const json = await fetch(`${base}/api/usage/track`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: '{"model":',
    })
    expect(json.status).toBe(400)
    expect(await json.json()).toMatchObject({ code: 'BAD_INPUT', field: null })
  })

  it('refuses a revoked key at once, and rate limits per key with Retry-After', async () => {
    const temp = await createApiKey(db, { teamId, name: 'temp' })
    const ok = await both('/usage/track', { model: 'gpt-4o', inputTokens: 5, outputTokens: 1 }, temp.key)
    expect(ok.hot.status).toBe(200)
    await revokeApiKey(db, { teamId, id: temp.record.id, actor: { kind: 'system' } })
    const revoked = await both('/usage/track', { model: 'gpt-4o', inputTokens: 5, outputTokens: 1 }, temp.key)
    expect(revoked.hot.status).toBe(401)

    const fresh = (await createApiKey(db, { teamId, name: 'limited' })).key
    // Both paths running with a limit of 2 a minute, as a server started with RATE_LIMIT_PER_MINUTE=2 would.
    config = createApiConfig({ rateLimit: { points: 2, durationSeconds: 60 } })
    try {
      const limited = await both('/usage/track', { model: 'gpt-4o', inputTokens: 5, outputTokens: 1 }, fresh)
      // Two requests counted (hot, then REST): the next is over the limit.
      const over = await both('/usage/track', { model: 'gpt-4o', inputTokens: 5, outputTokens: 1 }, fresh)
      expect(limited.hot.status).toBe(200)
      expect(limited.rest.status).toBe(200)
      expect(over.hot).toMatchObject({ status: 429, json: { code: 'RATE_LIMITED' } })
      expect(Number(over.hot.retryAfter)).toBeGreaterThan(0)
      expect(over.rest.status).toBe(429)
    } finally {
      config = DEFAULT_API_CONFIG
    }
    expect(await usage.countUsageRows(db, teamId)).toBeGreaterThan(0)
  })
})
