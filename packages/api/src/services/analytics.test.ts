import { nanoToUsd, usdToNano } from '@costwise/core'
import { teams, users, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { DateTime } from 'luxon'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TeamScope } from '../trpc'
import { stats, topPrompts, usageHistory } from './analytics'
import { recordUsage } from './record-usage'
import type { TrackResult } from './tracking.types'

// Random data through the real ingest path, then every answer checked against sums computed here, in BigInt,
// from the events themselves. The team is in Asia/Kolkata (UTC+05:30) so local days don't align with UTC.
const ZONE = 'Asia/Kolkata'
const NOW = new Date('2026-11-20T12:00:00Z')

function rng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), a | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface Ev {
  model: string
  at: Date
  promptId: string | null
  userId: string
  status: 'ok' | 'error'
  inputTokens: number
  outputTokens: number
  cost: bigint
}

let t: TestDb
let db: Db
let team: TeamScope
const events: Ev[] = []
let promptIds: string[] = []

beforeAll(async () => {
  t = await createTestDb()
  db = t.db
  const created = await teams.insertTeam(db, { slug: 'analytics', name: 'Analytics', timeZone: ZONE })
  const userIds: string[] = []
  for (const n of [1, 2, 3]) {
    const u = await users.insertUser(db, { email: `u${n}@an.test`, name: `U${n}`, passwordHash: 'x' })
    await teams.upsertMember(db, created.id, u.id, 'member')
    userIds.push(u.id)
  }
  team = { ...created, role: 'owner', userId: userIds[0]!, apiKeyId: null }
  promptIds = []
  for (const name of ['a', 'b', 'c']) {
    const p = await db
      .insertInto('prompts')
      .values({ team_id: created.id, name, model: 'gpt-4o' })
      .returning('id')
      .executeTakeFirstOrThrow()
    promptIds.push(p.id)
  }
  const random = rng(42)
  const models = ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4-5', 'gemini-2.5-flash', 'deepseek-chat', 'unknown-model-x']
  const batch = []
  for (let i = 0; i < 1500; i++) {
    const at = new Date(NOW.getTime() - Math.floor(random() * 70 * 86_400_000))
    batch.push({
      model: models[Math.floor(random() * models.length)]!,
      inputTokens: 1 + Math.floor(random() * 20_000),
      outputTokens: Math.floor(random() * 3_000),
      occurredAt: at.toISOString(),
      promptId: random() < 0.7 ? promptIds[Math.floor(random() * 3)]! : undefined,
      userId: userIds[Math.floor(random() * 3)]!,
      status: random() < 0.1 ? ('error' as const) : ('ok' as const),
    })
  }
  const results: TrackResult[] = []
  for (let i = 0; i < batch.length; i += 500)
    results.push(...(await recordUsage(db, team, batch.slice(i, i + 500), NOW)))
  batch.forEach((e, i) =>
    events.push({
      model: e.model,
      at: new Date(e.occurredAt),
      promptId: e.promptId ?? null,
      userId: e.userId,
      status: e.status,
      inputTokens: e.inputTokens,
      outputTokens: e.outputTokens,
      cost: usdToNano(results[i]!.costUsd),
    }),
  )
})
afterAll(async () => t.destroy())

const localDay = (at: Date) => DateTime.fromJSDate(at, { zone: ZONE }).toISODate()!
function expected(from: string, to: string, keep: (e: Ev) => boolean = () => true) {
  const rows = events.filter((e) => localDay(e.at) >= from && localDay(e.at) <= to && keep(e))
  return {
    costUsd: nanoToUsd(rows.reduce((s, e) => s + e.cost, 0n)),
    runs: rows.length,
    errors: rows.filter((e) => e.status === 'error').length,
    inputTokens: rows.reduce((s, e) => s + e.inputTokens, 0),
    outputTokens: rows.reduce((s, e) => s + e.outputTokens, 0),
  }
}

describe('stats equal sums over the raw events', () => {
  it('totals and the previous period, for the default 30 days', async () => {
    const result = await stats(db, team, { groupBy: 'day' }, NOW)
    expect(result.to).toBe('2026-11-20')
    expect(result.from).toBe('2026-10-22')
    expect(result.totals).toMatchObject(expected(result.from, result.to))
    expect(result.previous).toMatchObject(expected(result.previous.from, result.previous.to))
    expect(result.groups).toHaveLength(30)
    for (const g of result.groups) expect(g).toMatchObject(expected(g.key!, g.key!))
  })

  it.each([
    ['model', (e: Ev, key: string | null) => e.model === key],
    ['prompt', (e: Ev, key: string | null) => e.promptId === key],
    ['user', (e: Ev, key: string | null) => e.userId === key],
    ['status', (e: Ev, key: string | null) => e.status === key],
  ] as const)('groups by %s', async (groupBy, matches) => {
    const result = await stats(db, team, { from: '2026-09-15', to: '2026-11-20', groupBy }, NOW)
    const sum = result.groups.reduce((s, g) => s + usdToNano(g.costUsd), 0n)
    expect(nanoToUsd(sum)).toBe(result.totals.costUsd)
    for (const g of result.groups)
      expect(g).toMatchObject(expected('2026-09-15', '2026-11-20', (e) => matches(e, g.key)))
  })

  it('filters by model and prompt together', async () => {
    const input = {
      from: '2026-10-01',
      to: '2026-11-10',
      groupBy: 'week' as const,
      model: ['gpt-4o', 'unknown-model-x'],
      promptId: [promptIds[1]!],
    }
    const result = await stats(db, team, input, NOW)
    expect(result.totals).toMatchObject(
      expected(
        '2026-10-01',
        '2026-11-10',
        (e) => ['gpt-4o', 'unknown-model-x'].includes(e.model) && e.promptId === promptIds[1],
      ),
    )
    expect(result.totals.unpricedRuns).toBeGreaterThan(0)
  })

  it('groups by hour (in local time) for short ranges and refuses long ones', async () => {
    const result = await stats(db, team, { from: '2026-11-18', to: '2026-11-19', groupBy: 'hour' }, NOW)
    const sum = result.groups.reduce((s, g) => s + g.runs, 0)
    expect(sum).toBe(expected('2026-11-18', '2026-11-19').runs)
    await expect(stats(db, team, { from: '2026-08-01', to: '2026-11-19', groupBy: 'hour' }, NOW)).rejects.toMatchObject(
      { field: 'groupBy' },
    )
  })

  it('top prompts by cost and efficiency', async () => {
    const byCost = await topPrompts(db, team, { from: '2026-09-15', to: '2026-11-20', sortBy: 'cost', limit: 10 }, NOW)
    expect(byCost.items).toHaveLength(3)
    for (const item of byCost.items) {
      expect(item).toMatchObject(expected('2026-09-15', '2026-11-20', (e) => e.promptId === item.promptId))
    }
    const costs = byCost.items.map((i) => usdToNano(i.costUsd))
    expect([...costs].sort((a, b) => (a > b ? -1 : 1))).toEqual(costs)
    const byEff = await topPrompts(
      db,
      team,
      { from: '2026-09-15', to: '2026-11-20', sortBy: 'efficiency', limit: 10 },
      NOW,
    )
    const eff = byEff.items.map((i) => usdToNano(i.costPerSuccessfulRunUsd!))
    expect([...eff].sort((a, b) => (a < b ? -1 : 1))).toEqual(eff)
  })

  it('top prompts honour every filter, not only the dates', async () => {
    const [first, second] = promptIds
    const userId = team.userId!
    const input = {
      from: '2026-09-15',
      to: '2026-11-20',
      sortBy: 'cost' as const,
      limit: 10,
      model: ['gpt-4o', 'claude-sonnet-4-5'],
      userId: [userId],
      status: ['ok' as const],
    }
    const filtered = await topPrompts(db, team, input, NOW)
    const keep = (e: Ev) =>
      (e.model === 'gpt-4o' || e.model === 'claude-sonnet-4-5') && e.userId === userId && e.status === 'ok'
    expect(filtered.items.length).toBeGreaterThan(0)
    for (const item of filtered.items) {
      expect(item).toMatchObject(expected('2026-09-15', '2026-11-20', (e) => e.promptId === item.promptId && keep(e)))
    }
    // One prompt only: the others are not listed at all.
    const one = await topPrompts(db, team, { ...input, promptId: [first!] }, NOW)
    expect(one.items.map((i) => i.promptId)).toEqual([first])
    expect(one.items.some((i) => i.promptId === second)).toBe(false)
    const none = await topPrompts(db, team, { ...input, feature: ['improve' as const] }, NOW)
    expect(none.items).toEqual([])
  })

  it('history pages through every row exactly once, in order', async () => {
    const seen: string[] = []
    let cursor: string | null = null
    let lastCost: bigint | null = null
    do {
      const page: Awaited<ReturnType<typeof usageHistory>> = await usageHistory(
        db,
        team,
        { from: '2026-11-01', to: '2026-11-20', sort: 'costUsd', direction: 'desc', limit: 37, cursor },
        NOW,
      )
      for (const row of page.items) {
        const cost = usdToNano(row.costUsd)
        if (lastCost !== null) expect(cost <= lastCost).toBe(true)
        lastCost = cost
        seen.push(row.id)
      }
      cursor = page.nextCursor
    } while (cursor)
    expect(new Set(seen).size).toBe(seen.length)
    expect(seen.length).toBe(expected('2026-11-01', '2026-11-20').runs)
    await expect(
      usageHistory(db, team, { sort: 'occurredAt', direction: 'desc', limit: 10, cursor: 'garbage' }, NOW),
    ).rejects.toMatchObject({ field: 'cursor' })
  })
})
