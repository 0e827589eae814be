import { teams, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { fetchRequestHandler } from '@trpc/server/adapters/fetch'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiKey } from './auth/api-keys'
import { createContextFromRequest } from './context'
import { handleRestRequest } from './http'
import { appRouter } from './root'

// The "done when", over HTTP: what a default key may do, what it may not, and what scopes change.
describe('scoped API keys over HTTP', () => {
  let t: TestDb
  let db: Db
  let teamId: string

  beforeAll(async () => {
    t = await createTestDb()
    db = t.db
    teamId = (await teams.insertTeam(db, { slug: 'scoped', name: 'Scoped', plan: 'enterprise' })).id
  })
  afterAll(async () => t?.destroy())

  const rest = async (key: string, method: string, path: string, body?: unknown) => {
    const res = await handleRestRequest(
      db,
      new Request(`http://localhost/api${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    )
    return { status: res.status, json: (await res.json()) as any }
  }
  const trpcMutation = async (key: string, path: string, input: unknown) => {
    const request = new Request(`http://localhost/api/trpc/${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(input),
    })
    const res = await fetchRequestHandler({
      endpoint: '/api/trpc',
      req: request,
      router: appRouter,
      createContext: () => createContextFromRequest(db, request),
    })
    return { status: res.status, json: (await res.json()) as any }
  }

  it('a default key tracks, reserves and reads stats; budget writes are 403 naming budgets:write', async () => {
    const { key, record } = await createApiKey(db, { teamId, name: 'tool' })
    expect(record.scopes).toEqual(['usage:write', 'usage:read', 'budgets:read'])
    expect(
      (await rest(key, 'POST', '/usage/track', { model: 'gpt-4o-mini', inputTokens: 100, outputTokens: 10 })).status,
    ).toBe(200)
    const reserved = await rest(key, 'POST', '/usage/reserve', {
      model: 'gpt-4o-mini',
      inputTokens: 100,
      maxOutputTokens: 10,
    })
    expect(reserved.status).toBe(200)
    expect((await rest(key, 'GET', '/usage/stats')).status).toBe(200)
    expect((await rest(key, 'GET', '/usage/budget')).status).toBe(200)

    const put = await rest(key, 'PUT', '/usage/budget', { limitUsd: '1000000', mode: 'soft' })
    expect(put.status).toBe(403)
    expect(put.json).toMatchObject({ code: 'FORBIDDEN', missingScope: 'budgets:write' })
    const del = await rest(key, 'DELETE', '/usage/budget?id=9e1b7c1c-5a63-4ad1-9a54-0d4f3a2b1c00')
    expect(del.status).toBe(403)
    expect(del.json).toMatchObject({ code: 'FORBIDDEN', missingScope: 'budgets:write' })
  })

  it('a key made with budgets:write may change budgets', async () => {
    const { key } = await createApiKey(db, { teamId, name: 'budgeter', scopes: ['budgets:write'] })
    const put = await rest(key, 'PUT', '/usage/budget', { name: 'Cap', limitUsd: '50' })
    expect(put.status).toBe(200)
    const del = await rest(key, 'DELETE', `/usage/budget?id=${put.json.id}`)
    expect(del).toMatchObject({ status: 200, json: { deleted: true } })
  })

  it('no key creates keys, whatever its scopes; sending a report needs reports:write', async () => {
    const everything = await createApiKey(db, {
      teamId,
      name: 'everything',
      scopes: [
        'usage:write',
        'usage:read',
        'budgets:read',
        'budgets:write',
        'alerts:read',
        'alerts:write',
        'reports:write',
        'prompts:write',
      ],
    })
    const mint = await trpcMutation(everything.key, 'apiKeys.create', { name: 'minted' })
    expect(mint.status).toBe(403)
    expect(mint.json.error.data.details).toMatchObject({ missingScope: null, apiKeysAllowed: false })
    expect(await db.selectFrom('api_keys').select('name').where('name', '=', 'minted').execute()).toEqual([])

    const report = { definition: { metrics: ['cost'] }, format: 'csv', recipients: ['anyone@outside.test'] }
    const { key: plain } = await createApiKey(db, { teamId, name: 'plain' })
    const refused = await trpcMutation(plain, 'reports.sendNow', report)
    expect(refused.status).toBe(403)
    expect(refused.json.error.data.details).toMatchObject({ missingScope: 'reports:write' })
    expect((await trpcMutation(everything.key, 'reports.sendNow', report)).status).toBe(200)
  })

  it('a key limited to models is refused another model with 403 naming it, on track, batch and reserve', async () => {
    const { key } = await createApiKey(db, { teamId, name: 'mini only', allowedModels: ['gpt-4o-mini'] })
    expect(
      (await rest(key, 'POST', '/usage/track', { model: 'gpt-4o-mini', inputTokens: 1, outputTokens: 1 })).status,
    ).toBe(200)
    const track = await rest(key, 'POST', '/usage/track', { model: 'gpt-4o', inputTokens: 1, outputTokens: 1 })
    expect(track.status).toBe(403)
    expect(track.json).toMatchObject({ code: 'FORBIDDEN', field: 'model', model: 'gpt-4o' })
    expect(track.json.message).toContain('"gpt-4o"')
    const batch = await rest(key, 'POST', '/usage/track/batch', {
      events: [
        { model: 'gpt-4o-mini', inputTokens: 1, outputTokens: 1, idempotencyKey: 'b1' },
        { model: 'o3', inputTokens: 1, outputTokens: 1 },
      ],
    })
    expect(batch).toMatchObject({ status: 403, json: { model: 'o3' } })
    expect(await db.selectFrom('token_usage_logs').select('id').where('idempotency_key', '=', 'b1').execute()).toEqual(
      [],
    )
    expect(
      (await rest(key, 'POST', '/usage/reserve', { model: 'claude-sonnet-4-5', inputTokens: 1, maxOutputTokens: 1 }))
        .json,
    ).toMatchObject({
      code: 'FORBIDDEN',
      model: 'claude-sonnet-4-5',
    })
  })
})
