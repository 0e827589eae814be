import { API_KEY_SCOPES, nanoToUsd, usdToNano } from '@costwise/core'
import { teams, users, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiKey } from './auth/api-keys'
import { issueSession } from './auth/service'
import { createContext } from './context'
import { createCaller } from './root'
import { restCall } from './testing/rest'

// Free-form features and tags on track, their filters, breakdowns that add up, one row in detail (never
// another team's), what changed against the previous period, and saved views — through REST and tRPC on a
// real database.

let t: TestDb
let db: Db
let key: string
let otherKey: string
let ownerId: string
const ids: string[] = []
const TODAY = new Date().toISOString().slice(0, 10)

const call = (method: string, path: string, body?: unknown, apiKey: string | null = key) =>
  restCall(db, method, path, body, apiKey)

// One day in the previous period (2 days ago over a 1-day range is outside it); today's events carry tags.
const events = [
  { model: 'gpt-4o', inputTokens: 1000, outputTokens: 200, feature: 'search', tags: { env: 'prod', customer: 'acme' } },
  { model: 'gpt-4o-mini', inputTokens: 5000, outputTokens: 900, feature: 'search', tags: { env: 'prod' } },
  {
    model: 'gpt-4o',
    inputTokens: 300,
    outputTokens: 50,
    feature: 'support-bot/summary',
    tags: { env: 'staging', customer: 'acme' },
  },
  { model: 'claude-sonnet-4-5', inputTokens: 800, outputTokens: 80, feature: 'lab' },
  { model: 'gpt-4o', inputTokens: 100, outputTokens: 10 },
]

beforeAll(async () => {
  t = await createTestDb()
  db = t.db
  const team = await teams.insertTeam(db, { slug: 'explain', name: 'Explain' })
  const other = await teams.insertTeam(db, { slug: 'explain-other', name: 'Other' })
  const owner = await users.insertUser(db, { email: 'o@explain.test', name: 'Olga', passwordHash: 'x' })
  ownerId = owner.id
  await teams.upsertMember(db, team.id, owner.id, 'owner')
  key = (await createApiKey(db, { teamId: team.id, name: 'search-service', scopes: [...API_KEY_SCOPES] })).key
  otherKey = (await createApiKey(db, { teamId: other.id, name: 'other', scopes: [...API_KEY_SCOPES] })).key
  const res = await call('POST', '/usage/track/batch', { events })
  expect(res.status).toBe(200)
  ids.push(...res.json.results.map((r: { id: string }) => r.id))
  // The other team has a row too: it must never show up here.
  expect(
    (
      await call(
        'POST',
        '/usage/track',
        { model: 'gpt-4o', inputTokens: 10, outputTokens: 1, feature: 'search', tags: { env: 'prod' } },
        otherKey,
      )
    ).status,
  ).toBe(200)
})
afterAll(async () => t?.destroy())

describe('track: free-form feature and tags', () => {
  it('keeps the old feature names valid and takes any name of the charset', async () => {
    for (const feature of ['lab', 'preview', 'improve', 'api', 'other', 'a', 'Search.v2', 'team:support/bot-1_x']) {
      expect(
        (
          await call('POST', '/usage/track', {
            model: 'gpt-4o',
            inputTokens: 1,
            outputTokens: 1,
            feature,
            idempotencyKey: `f-${feature}`,
          })
        ).status,
      ).toBe(200)
    }
  })

  it.each([
    ['a feature with a space', { feature: 'my feature' }, 'feature'],
    ['a feature starting with a dash', { feature: '-x' }, 'feature'],
    ['a feature of 65 characters', { feature: 'x'.repeat(65) }, 'feature'],
    ['an empty feature', { feature: '' }, 'feature'],
    ['a tag value that is a number', { tags: { env: 5 } }, 'tags.env'],
    ['a tag value with a comma', { tags: { env: 'a,b' } }, 'tags.env'],
    ['an empty tag value', { tags: { env: '' } }, 'tags.env'],
    ['a tag value of 101 characters', { tags: { env: 'v'.repeat(101) } }, 'tags.env'],
    ['a tag key with a colon', { tags: { 'a:b': 'x' } }, 'tags.a:b'],
    ['eleven tags', { tags: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'])) }, 'tags'],
    ['tags that are a list', { tags: ['env'] }, 'tags'],
  ])('refuses %s with a 400 naming the field, recording nothing', async (_label, extra, field) => {
    const before = await call('GET', '/usage/stats')
    const res = await call('POST', '/usage/track', { model: 'gpt-4o', inputTokens: 1, outputTokens: 1, ...extra })
    expect(res.status).toBe(400)
    expect(res.json).toMatchObject({ code: 'BAD_INPUT', field })
    expect(res.json.message).toContain(field)
    expect((await call('GET', '/usage/stats')).json.totals.runs).toBe(before.json.totals.runs)
  })

  it('names the event in a batch: events.1.tags.env', async () => {
    const res = await call('POST', '/usage/track/batch', {
      events: [
        { model: 'gpt-4o', inputTokens: 1, outputTokens: 1 },
        { model: 'gpt-4o', inputTokens: 1, outputTokens: 1, tags: { env: 7 } },
      ],
    })
    expect(res).toMatchObject({ status: 400, json: { field: 'events.1.tags.env' } })
  })
})

describe('filters by feature and tag', () => {
  it('stats, history and the CSV export select the same rows', async () => {
    const rows = (await call('GET', '/usage/history?limit=500')).json.items as {
      id: string
      costUsd: string
      feature: string
      tags: Record<string, string>
    }[]
    const expected = rows.filter((r) => r.tags.env === 'prod' && r.tags.customer === 'acme')
    expect(expected).toHaveLength(1)
    const both = await call('GET', '/usage/history?tag=env:prod,customer:acme')
    expect(both.json.items.map((r: { id: string }) => r.id)).toEqual(expected.map((r) => r.id))

    const prod = rows.filter((r) => r.tags.env === 'prod')
    const stats = await call('GET', '/usage/stats?tag=env:prod&groupBy=feature')
    expect(stats.status).toBe(200)
    expect(stats.json.totals.runs).toBe(prod.length)
    expect(stats.json.totals.costUsd).toBe(nanoToUsd(prod.reduce((acc, r) => acc + usdToNano(r.costUsd), 0n)))
    expect(stats.json.groups.map((g: { key: string }) => g.key)).toEqual(['search'])

    const feature = await call('GET', '/usage/stats?feature=support-bot/summary')
    expect(feature.json.totals.runs).toBe(1)

    const csv = await call('GET', '/usage/export?tag=env:prod')
    expect(csv.status).toBe(200)
    const records = parse(csv.text, { columns: true }) as Record<string, string>[]
    expect(records.map((r) => r.id).sort()).toEqual(prod.map((r) => r.id).sort())
    expect(JSON.parse(records.find((r) => r.id === expected[0]!.id)!.tags!)).toEqual({ env: 'prod', customer: 'acme' })
    expect(records[0]).toHaveProperty('feature')
  })

  it('a malformed tag filter is a 400 naming tag', async () => {
    const res = await call('GET', '/usage/stats?tag=envprod')
    expect(res).toMatchObject({ status: 400, json: { code: 'BAD_INPUT' } })
    expect(res.json.field).toMatch(/^tag/)
  })
})

describe('usage.breakdown', () => {
  it.each([['member'], ['apiKey'], ['feature'], ['model'], ['prompt']] as const)(
    'by %s: the lines add up to the total exactly',
    async (by) => {
      const res = await call('GET', `/usage/breakdown?by=${by}`)
      expect(res.status).toBe(200)
      const total = await call('GET', '/usage/stats')
      const sum = res.json.items.reduce((acc: bigint, l: { costUsd: string }) => acc + usdToNano(l.costUsd), 0n)
      expect(nanoToUsd(sum)).toBe(total.json.totals.costUsd)
      expect(res.json.totalCostUsd).toBe(total.json.totals.costUsd)
      expect(res.json.items.reduce((acc: number, l: { runs: number }) => acc + l.runs, 0)).toBe(total.json.totals.runs)
    },
  )

  it('by tag: values of one key, the rows without it in one line, adding up to the total', async () => {
    const res = await call('GET', '/usage/breakdown?by=tag&tagKey=env')
    const total = await call('GET', '/usage/stats')
    expect(res.json.items.map((l: { key: string | null }) => l.key).sort()).toEqual([null, 'prod', 'staging'].sort())
    const sum = res.json.items.reduce((acc: bigint, l: { costUsd: string }) => acc + usdToNano(l.costUsd), 0n)
    expect(nanoToUsd(sum)).toBe(total.json.totals.costUsd)
    expect(res.json.items.find((l: { key: string | null }) => l.key === null).label).toBe('No env')
  })

  it('labels the API key by its name, and needs tagKey for by=tag', async () => {
    const res = await call('GET', '/usage/breakdown?by=apiKey')
    expect(res.json.items[0].label).toBe('search-service')
    expect(await call('GET', '/usage/breakdown?by=tag')).toMatchObject({ status: 400, json: { field: 'tagKey' } })
    expect(await call('GET', '/usage/breakdown?by=colour')).toMatchObject({ status: 400, json: { field: 'by' } })
  })
})

describe('usage.get', () => {
  it('answers every field of the row with its price version and cost breakdown', async () => {
    const res = await call('GET', `/usage/rows/${ids[0]}`)
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({
      id: ids[0],
      model: 'gpt-4o',
      feature: 'search',
      tags: { env: 'prod', customer: 'acme' },
      apiKeyName: 'search-service',
      priced: true,
    })
    expect(res.json.priceVersion).toBeTruthy()
    const b = res.json.costBreakdown
    expect(nanoToUsd(usdToNano(b.inputUsd) + usdToNano(b.outputUsd) + usdToNano(b.cachedInputUsd))).toBe(
      res.json.costUsd,
    )
    // per-token price × tokens = the part's cost
    expect((usdToNano(res.json.unitPrices.inputPerMTokUsd) * 1000n) / 1_000_000n).toBe(usdToNano(b.inputUsd))
  })

  it("another team's row is NOT_FOUND, as is an id that is no row", async () => {
    expect((await call('GET', `/usage/rows/${ids[0]}`, undefined, otherKey)).status).toBe(404)
    expect((await call('GET', '/usage/rows/9e1b7c1c-5a63-4ad1-9a54-0d4f3a2b1c00')).status).toBe(404)
    expect(await call('GET', '/usage/rows/not-a-uuid')).toMatchObject({ status: 400, json: { field: 'id' } })
  })
})

describe('usage.whatChanged', () => {
  it('compares with the previous period and names the top contributors with core percentages', async () => {
    const res = await call('GET', `/usage/what-changed?from=${TODAY}&to=${TODAY}`)
    expect(res.status).toBe(200)
    expect(res.json.previousCostUsd).toBe('0')
    expect(res.json.change.label).toBe('new')
    const models = res.json.dimensions.find((d: { by: string }) => d.by === 'model').contributors
    expect(models[0].change.label).toBe('new')
    const deltas = models.map((c: { deltaUsd: string }) => usdToNano(c.deltaUsd))
    expect([...deltas].sort((a: bigint, b: bigint) => (a > b ? -1 : a < b ? 1 : 0))).toEqual(deltas)
    expect(
      res.json.dimensions.find((d: { by: string }) => d.by === 'tag').contributors.map((c: { key: string }) => c.key),
    ).toContain('env:prod')
  })
})

describe('saved views', () => {
  it('saves (cleaning the query), lists, replaces by name and deletes, per team', async () => {
    const token = (await issueSession(db, ownerId)).token
    const caller = createCaller(await createContext({ db, sessionToken: token, apiKey: null }))
    const saved = await caller.usage.saveView({
      name: 'Prod search',
      query: '?range=last-7-days&feature=search&tag=env:prod&model=&cursor=abc&evil=1',
    })
    expect(saved.query).toBe('feature=search&range=last-7-days&tag=env%3Aprod')
    await caller.usage.saveView({ name: 'Prod search', query: 'feature=search' })
    const list = await caller.usage.savedViews()
    expect(list.items).toHaveLength(1)
    expect(list.items[0]).toMatchObject({ name: 'Prod search', query: 'feature=search' })
    await expect(caller.usage.saveView({ name: ' ', query: '' })).rejects.toMatchObject({ code: 'BAD_REQUEST' })
    expect((await call('GET', '/usage/stats', undefined, otherKey)).json.totals.runs).toBe(1)
    await caller.usage.deleteView({ id: saved.id })
    expect((await caller.usage.savedViews()).items).toHaveLength(0)
    await expect(caller.usage.deleteView({ id: saved.id })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })
})
