import { teams, users, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiKey } from './auth/api-keys'
import { handleExportRequest, handleRestRequest, handleTrpcRequest, openApiDocument } from './http'

// Hostile input over every REST endpoint (and the same procedures over tRPC): always a 4xx that names the field,
// never a 500, and nothing written. Property-based (fast-check) with fixed seeds, so a failure replays.

let t: TestDb
let db: Db
let key: string

interface Answer {
  status: number
  json: any
}

async function answer(res: Response): Promise<Answer> {
  const text = await res.text()
  try {
    return { status: res.status, json: JSON.parse(text) }
  } catch {
    return { status: res.status, json: null }
  }
}

/** REST with a raw body text (so it can carry what JSON.stringify can't: 1e400, duplicate keys…). */
async function rest(method: string, path: string, rawBody?: string): Promise<Answer> {
  const request = new Request(`http://localhost/api${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: rawBody,
  })
  return answer(
    path.startsWith('/usage/export') ? await handleExportRequest(db, request) : await handleRestRequest(db, request),
  )
}

async function trpcMutation(path: string, input: unknown): Promise<Answer> {
  const request = new Request(`http://localhost/api/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(input),
  })
  return answer(await handleTrpcRequest(db, request))
}

/** The field a tRPC error names (our error formatter puts it in data.field). */
const trpcField = (a: Answer) => a.json?.error?.data?.field as string | null | undefined

/** Rows in every table a request could write to: a refused request must leave them all as they were. */
async function rowCounts(): Promise<Record<string, number>> {
  const tables = [
    'token_usage_logs',
    'usage_idempotency_keys',
    'usage_budgets',
    'budget_reservations',
    'usage_alerts',
    'usage_rollup_daily',
  ] as const
  const counts: Record<string, number> = {}
  for (const table of tables) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
    counts[table] = Number(row.n)
  }
  return counts
}

const deep = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`

/** JSON texts that no well-behaved client sends. */
const hostileJson = fc.oneof(
  fc.constantFrom(
    '1e400',
    '-1e400',
    '12345678901234567890123',
    '-0',
    '1.5',
    '-1',
    '"NaN"',
    '"Infinity"',
    '"100"',
    '"0x10"',
    '""',
    'null',
    'true',
    'false',
    '"false"',
    '[5]',
    '[]',
    '{}',
    '"\\u0000"',
    '"a\\u0000b"',
    '{"\\u0000":1}',
    '{"__proto__":{"polluted":1}}',
    '{"constructor":{"prototype":{"polluted":1}}}',
    '"\\ud800"',
    '"𝒜🙂\\u202e"',
    JSON.stringify('x'.repeat(10_000)),
    deep(10_000),
    deep(40),
    JSON.stringify(Array.from({ length: 1001 }, () => ({ model: 'gpt-4o', inputTokens: 1, outputTokens: 1 }))),
    '"0001-01-01T00:00:00Z"',
    '"1970-01-01T00:00:00Z"',
    '"9999-12-31T23:59:59Z"',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }).map((s) => JSON.stringify(s)),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.double().map((d) => (Number.isFinite(d) ? String(d) : JSON.stringify(String(d)))),
)

const validEvent = { model: 'gpt-4o', inputTokens: 100, outputTokens: 20 }
const eventFields = [
  'model',
  'inputTokens',
  'outputTokens',
  'cachedInputTokens',
  'cacheWriteTokens',
  'reasoningTokens',
  'provider',
  'promptId',
  'userId',
  'feature',
  'latencyMs',
  'status',
  'occurredAt',
  'idempotencyKey',
  'reservationId',
  'batch',
  'metadata',
  '__proto__',
  'constructor',
]

/** A JSON object text: the valid event's fields, then `field` set to a hostile value (a later key wins in JSON.parse). */
function withField(base: Record<string, unknown>, field: string, raw: string): string {
  const fields = Object.entries(base).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`)
  return `{${[...fields, `${JSON.stringify(field)}:${raw}`].join(',')}}`
}

beforeAll(async () => {
  t = await createTestDb()
  db = t.db
  const team = await teams.insertTeam(db, { slug: 'hostile', name: 'Hostile', timeZone: 'UTC' })
  const user = await users.insertUser(db, { email: 'h@hostile.test', name: 'H', passwordHash: 'x' })
  await teams.upsertMember(db, team.id, user.id, 'owner')
  key = (await createApiKey(db, { teamId: team.id, name: 'fuzz' })).key
})
afterAll(async () => t.destroy())

describe('strict types on REST and tRPC (no coercion, in either order)', () => {
  const loose: [string, unknown][] = [
    ['"100"', '100'],
    ['null', null],
    ['true', true],
    ['""', ''],
    ['[5]', [5]],
    ['"0x10"', '0x10'],
    ['1.5', 1.5],
  ]

  it.each(loose)('inputTokens %s is refused naming the field, before and after a REST call', async (_label, value) => {
    const before = await rowCounts()
    const overTrpc = await trpcMutation('usage.track', { ...validEvent, inputTokens: value })
    expect(overTrpc.status).toBe(400)
    expect(trpcField(overTrpc)).toBe('inputTokens')
    const overRest = await rest('POST', '/usage/track', JSON.stringify({ ...validEvent, inputTokens: value }))
    expect(overRest.status).toBe(400)
    expect(overRest.json.field).toBe('inputTokens')
    // The REST call must not have loosened the shared schema for tRPC.
    const again = await trpcMutation('usage.track', { ...validEvent, inputTokens: value })
    expect(again.status).toBe(400)
    expect(await rowCounts()).toEqual(before)
  })

  it('"batch": "false" is a 400 on both, not a half-price call', async () => {
    await rest('POST', '/usage/track', JSON.stringify(validEvent))
    for (const call of [
      () => rest('POST', '/usage/track', JSON.stringify({ ...validEvent, batch: 'false' })),
      () => trpcMutation('usage.track', { ...validEvent, batch: 'false' }),
    ]) {
      const before = await rowCounts()
      const res = await call()
      expect(res.status).toBe(400)
      expect(res.json.field ?? trpcField(res)).toBe('batch')
      expect(await rowCounts()).toEqual(before)
    }
    const full = await rest('POST', '/usage/track', JSON.stringify({ ...validEvent, batch: false }))
    const half = await rest('POST', '/usage/track', JSON.stringify({ ...validEvent, batch: true }))
    expect(full.status).toBe(200)
    expect(half.status).toBe(200)
    expect(Number(half.json.costUsd)).toBeLessThan(Number(full.json.costUsd))
  })

  it('query parameters are parsed per field: digits are a number, anything else names the field', async () => {
    expect((await rest('GET', '/usage/history?limit=10')).status).toBe(200)
    for (const bad of ['0x10', '1e1', '', '%2010', '-1', '1.5', 'true']) {
      const res = await rest('GET', `/usage/history?limit=${bad}`)
      expect(res.status, bad).toBe(400)
      expect(res.json.field).toBe('limit')
    }
  })
})

describe('hostile input', () => {
  it('a NUL byte in any string is a 400 naming the field, on track, stats, history and export', async () => {
    const before = await rowCounts()
    const track = await rest('POST', '/usage/track', JSON.stringify({ ...validEvent, model: 'gpt\u00004o' }))
    expect(track).toMatchObject({ status: 400, json: { field: 'model' } })
    const meta = await rest('POST', '/usage/track', JSON.stringify({ ...validEvent, metadata: { note: 'a\u0000b' } }))
    expect(meta).toMatchObject({ status: 400, json: { field: 'metadata.note' } })
    for (const path of ['/usage/stats?model=a%00b', '/usage/history?model=a%00b', '/usage/export?model=a%00b']) {
      const res = await rest('GET', path)
      expect(res.status, path).toBe(400)
      expect(res.json.field).toBe('model')
    }
    expect(await rowCounts()).toEqual(before)
  })

  it('metadata nested 10,000 deep is a 400 naming metadata (no stack overflow)', async () => {
    const res = await rest('POST', '/usage/track', withField(validEvent, 'metadata', deep(10_000)))
    expect(res).toMatchObject({ status: 400, json: { field: 'metadata' } })
    const batch = await rest(
      'POST',
      '/usage/track/batch',
      `{"events":[${withField(validEvent, 'metadata', deep(10_000))}]}`,
    )
    expect(batch).toMatchObject({ status: 400, json: { field: 'events.0.metadata' } })
    const eleven = await rest('POST', '/usage/track', withField(validEvent, 'metadata', deep(11)))
    expect(eleven).toMatchObject({ status: 400, json: { field: 'metadata' } })
  })

  it('occurredAt outside the kept months (year 1, 1970) or in the future is a 400 naming it', async () => {
    for (const when of ['0001-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '9999-12-31T23:59:59Z']) {
      const res = await rest('POST', '/usage/track', JSON.stringify({ ...validEvent, occurredAt: when }))
      expect(res, when).toMatchObject({ status: 400, json: { field: 'occurredAt' } })
    }
  })

  it('an idempotency key reused with a different body is a 409 naming the key; the same body is a duplicate', async () => {
    const first = await rest('POST', '/usage/track', JSON.stringify({ ...validEvent, idempotencyKey: 'k-409' }))
    expect(first.status).toBe(200)
    const before = await rowCounts()
    const other = await rest(
      'POST',
      '/usage/track',
      JSON.stringify({ ...validEvent, outputTokens: 21, idempotencyKey: 'k-409' }),
    )
    expect(other).toMatchObject({ status: 409, json: { code: 'IDEMPOTENCY_KEY_REUSED', field: 'idempotencyKey' } })
    expect(other.json.message).toContain('k-409')
    // In a batch the whole call is refused: the fresh event beside it is not kept either.
    const batch = await rest(
      'POST',
      '/usage/track/batch',
      JSON.stringify({
        events: [
          { ...validEvent, idempotencyKey: 'k-fresh' },
          { ...validEvent, inputTokens: 1, idempotencyKey: 'k-409' },
        ],
      }),
    )
    expect(batch).toMatchObject({ status: 409, json: { field: 'events.1.idempotencyKey' } })
    const sameBatch = await rest(
      'POST',
      '/usage/track/batch',
      JSON.stringify({
        events: [
          { ...validEvent, idempotencyKey: 'k-twice' },
          { ...validEvent, outputTokens: 1, idempotencyKey: 'k-twice' },
        ],
      }),
    )
    expect(sameBatch).toMatchObject({ status: 409, json: { field: 'events.1.idempotencyKey' } })
    expect(await rowCounts()).toEqual(before)
    const same = await rest('POST', '/usage/track', JSON.stringify({ idempotencyKey: 'k-409', ...validEvent }))
    expect(same).toMatchObject({ status: 200, json: { id: first.json.id, duplicate: true } })
  })

  it('fuzz: any field of a track event set to hostile JSON → 2xx or a 4xx naming a field, never a 500; a 4xx writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...eventFields), hostileJson, fc.boolean(), async (field, raw, inBatch) => {
        const event = withField(validEvent, field, raw)
        const before = await rowCounts()
        const res = inBatch
          ? await rest('POST', '/usage/track/batch', `{"events":[${event}]}`)
          : await rest('POST', '/usage/track', event)
        expect(res.status, `${field}=${raw.slice(0, 80)}`).toBeLessThan(500)
        if (res.status >= 400) {
          expect(res.json?.field, `${field}=${raw.slice(0, 80)} → ${JSON.stringify(res.json)?.slice(0, 200)}`).toEqual(
            expect.any(String),
          )
          expect(await rowCounts()).toEqual(before)
        }
        expect(Object.prototype).not.toHaveProperty('polluted')
      }),
      { seed: 20261202, numRuns: 250 },
    )
  })

  it('fuzz: every REST endpoint, hostile bodies and query strings → never a 500; a 400 names a field and writes nothing', async () => {
    const doc = openApiDocument('http://localhost')
    const operations = Object.entries(doc.paths ?? {}).flatMap(([path, ops]) =>
      Object.keys(ops as object).map((method) => ({ path, method: method.toUpperCase() })),
    )
    expect(operations.length).toBeGreaterThanOrEqual(13)
    const hostileObject = fc
      .array(
        fc.tuple(
          fc.oneof(
            fc.constantFrom(
              'id',
              'ids',
              'limit',
              'cursor',
              'from',
              'to',
              'model',
              'limitUsd',
              'thresholds',
              'scope',
              'period',
              'events',
              'reservationId',
              'maxOutputTokens',
              'messages',
              'metadata',
              '__proto__',
              'constructor',
            ),
            fc.string({ maxLength: 8 }),
          ),
          hostileJson,
        ),
        { maxLength: 4 },
      )
      .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`)
    const hostileQuery = fc
      .array(
        fc.tuple(
          fc.constantFrom('limit', 'cursor', 'from', 'to', 'model', 'groupBy', 'status', 'format', 'sort', 'promptId'),
          fc.oneof(
            fc.constantFrom('0x10', '%00', '1e400', '', '-1', 'NaN', '9999-99-99', '%F0%9F%99%82', '__proto__'),
            fc.string({ maxLength: 12 }).map(encodeURIComponent),
          ),
        ),
        { maxLength: 4 },
      )
      .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'))
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...operations), hostileObject, hostileQuery, async (op, body, query) => {
        const before = await rowCounts()
        const res =
          op.method === 'GET' ? await rest('GET', `${op.path}?${query}`) : await rest(op.method, op.path, body)
        const label = `${op.method} ${op.path} ${op.method === 'GET' ? query : body.slice(0, 120)} → ${res.status} ${JSON.stringify(res.json)?.slice(0, 200)}`
        expect(res.status, label).toBeLessThan(500)
        if (res.status === 400) {
          expect(res.json?.field, label).toEqual(expect.any(String))
          expect(await rowCounts(), label).toEqual(before)
        }
      }),
      { seed: 9, numRuns: 300 },
    )
  })
})
