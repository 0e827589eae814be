import { API_KEY_SCOPES, calculateCost, nanoToUsd, usdToNano } from '@costwise/core'
import { teams, users, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiKey } from './auth/api-keys'
import { openApiDocument } from './http'
import { restCall } from './testing/rest'
import { createApiConfig } from './config'

let t: TestDb
let db: Db
let key: string
let otherKey: string

const call = (method: string, path: string, body?: unknown, apiKey: string | null = key) =>
  restCall(db, method, path, body, apiKey)

beforeAll(async () => {
  t = await createTestDb()
  db = t.db
  const team = await teams.insertTeam(db, { slug: 'rest-team', name: 'REST', timeZone: 'Europe/Berlin' })
  const other = await teams.insertTeam(db, { slug: 'rest-other', name: 'Other' })
  const user = await users.insertUser(db, { email: 'r@rest.test', name: 'R', passwordHash: 'x' })
  await teams.upsertMember(db, team.id, user.id, 'owner')
  // Every scope: this file tests the REST contract; permissions.test.ts tests the scopes.
  key = (await createApiKey(db, { teamId: team.id, name: 'tool', scopes: [...API_KEY_SCOPES] })).key
  otherKey = (await createApiKey(db, { teamId: other.id, name: 'other' })).key
})
afterAll(async () => t.destroy())

describe('REST contract', () => {
  it('POST /usage/track records and prices a call; a retry is a duplicate', async () => {
    const body = { model: 'gpt-4o', inputTokens: 1200, outputTokens: 300, idempotencyKey: 'rest-1', feature: 'api' }
    const first = await call('POST', '/usage/track', body)
    expect(first.status).toBe(200)
    const expected = nanoToUsd(calculateCost('gpt-4o', { inputTokens: 1200, outputTokens: 300 }).totalNano)
    expect(first.json).toMatchObject({ costUsd: expected, duplicate: false, unpriced: false, budgets: [] })
    expect(typeof first.json.costUsd).toBe('string')
    const again = await call('POST', '/usage/track', body)
    expect(again.json).toMatchObject({ id: first.json.id, duplicate: true })
  })

  it('POST /usage/track/batch answers one result per event, in order', async () => {
    const res = await call('POST', '/usage/track/batch', {
      events: [
        { model: 'gpt-4o-mini', inputTokens: 100, outputTokens: 10 },
        { model: 'who-knows', inputTokens: 100, outputTokens: 10 },
        { model: 'gpt-4o', inputTokens: 1200, outputTokens: 300, idempotencyKey: 'rest-1', feature: 'api' },
      ],
    })
    expect(res.status).toBe(200)
    expect(res.json.results.map((r: { unpriced: boolean; duplicate: boolean }) => [r.unpriced, r.duplicate])).toEqual([
      [false, false],
      [true, false],
      [false, true],
    ])
  })

  it('bad input is a 400 naming the field and changes nothing', async () => {
    const res = await call('POST', '/usage/track', { model: 'gpt-4o', inputTokens: -5, outputTokens: 1 })
    expect(res.status).toBe(400)
    expect(res.json).toMatchObject({ code: 'BAD_INPUT', field: 'inputTokens' })
    expect(res.json.message).toContain('inputTokens')
    const cached = await call('POST', '/usage/track', {
      model: 'gpt-4o',
      inputTokens: 5,
      outputTokens: 1,
      cachedInputTokens: 9,
    })
    expect(cached.json).toMatchObject({ code: 'BAD_INPUT', field: 'cachedInputTokens' })
    const tooMany = await call('POST', '/usage/track/batch', {
      events: Array.from({ length: 1001 }, () => ({ model: 'x', inputTokens: 1, outputTokens: 1 })),
    })
    expect(tooMany.json).toMatchObject({ code: 'BAD_INPUT', field: 'events' })
  })

  it('no key or a wrong key is a 401; another team sees none of this data', async () => {
    expect((await call('GET', '/usage/stats', undefined, null)).status).toBe(401)
    expect((await call('GET', '/usage/stats', undefined, 'cw_wrong')).status).toBe(401)
    const other = await call('GET', '/usage/stats', undefined, otherKey)
    expect(other.json.totals).toMatchObject({ runs: 0, costUsd: '0' })
  })

  it('PUT /usage/budget validates, then a reservation past a hard budget is a 402 naming it', async () => {
    const bad = await call('PUT', '/usage/budget', { scope: 'team', period: 'day', limitUsd: '0', mode: 'hard' })
    expect(bad).toMatchObject({ status: 400, json: { field: 'limitUsd' } })
    const badThresholds = await call('PUT', '/usage/budget', {
      scope: 'team',
      period: 'day',
      limitUsd: '1',
      thresholds: [80, 50],
    })
    expect(badThresholds).toMatchObject({ status: 400, json: { field: 'thresholds' } })

    const put = await call('PUT', '/usage/budget', {
      name: 'Tiny',
      scope: 'team',
      period: 'day',
      limitUsd: '0.05',
      mode: 'hard',
    })
    expect(put.status).toBe(200)
    expect(put.json).toMatchObject({ name: 'Tiny', limitUsd: '0.05', timeZone: 'Europe/Berlin' })
    const list = await call('GET', '/usage/budget')
    expect(list.json.budgets).toHaveLength(1)

    const ok = await call('POST', '/usage/reserve', { model: 'gpt-4o', inputTokens: 1000, maxOutputTokens: 100 })
    expect(ok.status).toBe(200)
    expect(ok.json).toMatchObject({
      estimatedCostUsd: nanoToUsd(calculateCost('gpt-4o', { inputTokens: 1000, outputTokens: 100 }).totalNano),
    })
    const refused = await call('POST', '/usage/reserve', {
      model: 'gpt-4o',
      inputTokens: 100_000,
      maxOutputTokens: 4000,
    })
    expect(refused.status).toBe(402)
    expect(refused.json).toMatchObject({ code: 'BUDGET_EXCEEDED', budget: { id: put.json.id, name: 'Tiny' } })

    const messages = await call('POST', '/usage/reserve', {
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Hello there' }],
      maxOutputTokens: 10,
    })
    expect(messages.status).toBe(200)
    expect(messages.json.inputTokens).toBeGreaterThan(3)
  })

  it('POST /usage/track/batch lists each budget once, as it stands after the whole batch', async () => {
    // Its own team, so the totals other tests count stay theirs.
    const team = await teams.insertTeam(db, { slug: 'rest-batch', name: 'Batch' })
    const own = (await createApiKey(db, { teamId: team.id, name: 'batch', scopes: [...API_KEY_SCOPES] })).key
    for (const [name, period] of [
      ['Daily', 'day'],
      ['Monthly', 'month'],
    ] as const) {
      expect(
        (await call('PUT', '/usage/budget', { name, scope: 'team', period, limitUsd: '1000', mode: 'soft' }, own))
          .status,
      ).toBe(200)
    }
    const events = Array.from({ length: 3 }, (_, i) => ({
      model: 'gpt-4o-mini',
      inputTokens: 1000 + i,
      outputTokens: 50,
    }))
    const res = await call('POST', '/usage/track/batch', { events }, own)
    expect(res.status).toBe(200)
    const { results, budgets } = res.json as {
      results: { costUsd: string; budgetIds: string[]; budgets?: unknown }[]
      budgets: { id: string; name: string; spentUsd: string }[]
    }
    // Both budgets, once each, not once per event; each event names the budgets that apply to it.
    expect(budgets.map((b) => b.name).sort()).toEqual(['Daily', 'Monthly'])
    expect(results).toHaveLength(3)
    for (const r of results) {
      expect(r.budgets).toBeUndefined()
      expect([...r.budgetIds].sort()).toEqual(budgets.map((b) => b.id).sort())
    }
    // The statuses carry the whole batch: the exact sum of the three costs.
    const batchUsd = nanoToUsd(results.reduce((sum, r) => sum + usdToNano(r.costUsd), 0n))
    for (const b of budgets) expect(b.spentUsd).toBe(batchUsd)
  })
  it('GET /usage/stats and the CSV export agree exactly', async () => {
    const stats = await call('GET', '/usage/stats?groupBy=model')
    expect(stats.status).toBe(200)
    expect(stats.json.totals.runs).toBe(3)
    const csv = await call('GET', '/usage/export?format=csv')
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toContain('text/csv')
    const rows: Record<string, string>[] = parse(csv.text, { columns: true })
    expect(rows).toHaveLength(3)
    const total = rows.reduce((s, r) => s + usdToNano(r.cost_usd!), 0n)
    expect(nanoToUsd(total)).toBe(stats.json.totals.costUsd)
    const filtered = await call('GET', '/usage/export?model=who-knows')
    expect(parse(filtered.text, { columns: true })).toHaveLength(1)
    const jsonl = await call('GET', '/usage/export?format=jsonl')
    expect(jsonl.headers.get('content-type')).toContain('ndjson')
    const lines = jsonl.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { costUsd: string; id: string })
    expect(lines.map((l) => l.id).sort()).toEqual(rows.map((r) => r.id).sort())
    const pdf = await call('GET', '/usage/export?format=pdf')
    expect(pdf.headers.get('content-type')).toBe('application/pdf')
    expect(pdf.text.startsWith('%PDF')).toBe(true)
    const bad = await call('GET', '/usage/export?from=yesterday')
    expect(bad).toMatchObject({ status: 400, json: { field: 'from' } })
  })

  it('rate limits per key with Retry-After', async () => {
    // A server started with a limit of 3 a minute (its own config; the other tests keep the default).
    const config = createApiConfig({ rateLimit: { points: 3, durationSeconds: 60 } })
    const statuses = []
    // A key of its own: the count is kept in PostgreSQL for the window, across requests and processes.
    const { key: fresh } = await createApiKey(db, {
      teamId: (await teams.findTeamBySlug(db, 'rest-other'))!.id,
      name: 'limited',
    })
    for (let i = 0; i < 5; i++) statuses.push(await restCall(db, 'GET', '/usage/budget', undefined, fresh, config))
    expect(statuses.map((s) => s.status)).toEqual([200, 200, 200, 429, 429])
    expect(Number(statuses[3]!.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(statuses[3]!.json).toMatchObject({ code: 'RATE_LIMITED' })
  })

  it('a bad alerts cursor is a 400 naming it', async () => {
    const res = await call('GET', '/alerts?cursor=not-a-cursor')
    expect(res).toMatchObject({ status: 400, json: { code: 'BAD_INPUT', field: 'cursor' } })
  })

  it('documents the contract in OpenAPI', () => {
    const doc = openApiDocument('http://localhost:3000')
    for (const path of [
      '/usage/track',
      '/usage/track/batch',
      '/usage/reserve',
      '/usage/stats',
      '/usage/budget',
      '/usage/export',
    ]) {
      expect(doc.paths).toHaveProperty(path)
    }
    expect(doc.paths!['/usage/budget']).toHaveProperty('put')
    expect(doc.paths!['/usage/budget']).toHaveProperty('get')
  })

  it('describes every response: each operation’s 200 answer has a schema with its fields', () => {
    const doc = openApiDocument('http://localhost:3000')
    const undescribed: string[] = []
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      for (const [method, operation] of Object.entries(
        item as Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>,
      )) {
        const content = operation.responses?.['200']?.content ?? {}
        const schemas = Object.values(content).map((c) => c.schema)
        const described = schemas.some(
          (schema) => schema && typeof schema === 'object' && Object.keys(schema).length > 0,
        )
        if (!described) undescribed.push(`${method.toUpperCase()} ${path}`)
      }
    }
    expect(undescribed).toEqual([])
  })
})
