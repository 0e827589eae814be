import { usdToNano } from '@costwise/core'
import { teams, users, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiKey } from '../auth/api-keys'
import { issueSession } from '../auth/service'
import { createContext } from '../context'
import { createCaller } from '../root'
import type { TeamScope } from '../trpc'
import { recordUsage } from './record-usage'

let t: TestDb
let db: Db
let caller: ReturnType<typeof createCaller>
let teamId: string
const people: string[] = []

beforeAll(async () => {
  t = await createTestDb()
  db = t.db
  const team = await teams.insertTeam(db, { slug: 'squad', name: 'Squad', plan: 'enterprise' })
  teamId = team.id
  const owner = await users.insertUser(db, { email: 'o@squad.test', name: 'Owner', passwordHash: 'x' })
  await teams.upsertMember(db, teamId, owner.id, 'owner')
  people.push(owner.id)
  for (const n of ['ann', 'bob', 'cy']) {
    const u = await users.insertUser(db, { email: `${n}@squad.test`, name: n, passwordHash: 'x' })
    await teams.upsertMember(db, teamId, u.id, 'member')
    people.push(u.id)
  }
  const key = await createApiKey(db, { teamId, name: 'tool', scopes: ['usage:write'] })
  caller = createCaller(await createContext({ db, sessionToken: (await issueSession(db, owner.id)).token }))
  const scope = (userId: string | null, apiKeyId: string | null = null): TeamScope => ({
    ...team,
    role: 'member',
    userId,
    apiKeyId,
  })
  // Two periods of mixed usage: models, statuses, cached tokens, a key without a member.
  const day = (d: number, h = 10) => new Date(Date.UTC(2026, 2, d, h)).toISOString()
  const events: [string | null, string | null, Parameters<typeof recordUsage>[2][number]][] = []
  for (let d = 1; d <= 28; d++) {
    events.push([
      people[1]!,
      null,
      {
        model: 'gpt-4o',
        inputTokens: 1000 + d * 10,
        outputTokens: 200,
        cachedInputTokens: 300,
        occurredAt: day(d),
        latencyMs: 400,
      },
    ])
    events.push([
      people[2]!,
      null,
      {
        model: 'gpt-4o-mini',
        inputTokens: 5000,
        outputTokens: 900,
        occurredAt: day(d, 12),
        status: d % 5 === 0 ? 'error' : 'ok',
        latencyMs: 250,
      },
    ])
    if (d % 2)
      events.push([
        people[2]!,
        null,
        { model: 'claude-sonnet-4-5', inputTokens: 800, outputTokens: 100, occurredAt: day(d, 13), feature: 'lab' },
      ])
    if (d % 3 === 0)
      events.push([
        null,
        key.record.id,
        { model: 'gpt-4o-mini', inputTokens: 20_000, outputTokens: 10, occurredAt: day(d, 9) },
      ])
  }
  for (const [userId, apiKeyId, e] of events) await recordUsage(db, scope(userId, apiKeyId), [e])
})
afterAll(async () => t?.destroy())

describe('team usage', () => {
  const cases = [
    { name: 'all usage', filters: {} },
    { name: 'one model', filters: { model: ['gpt-4o-mini'] } },
    { name: 'errors only', filters: { status: ['error' as const] } },
    { name: 'lab feature', filters: { feature: ['lab' as const] } },
  ]
  it.each(cases)(
    'every member’s cost, runs and tokens equal the stats API grouped by user ($name)',
    async ({ filters }) => {
      const range = { from: '2026-03-15', to: '2026-03-28' }
      const [usage, stats] = await Promise.all([
        caller.analytics.teamUsage({ ...range, ...filters }),
        caller.usage.stats({ ...range, ...filters, groupBy: 'user' }),
      ])
      const byUser = new Map(stats.groups.map((g) => [g.key, g]))
      for (const row of usage.members) {
        const g = byUser.get(row.userId)
        expect({
          user: row.userId,
          cost: row.costUsd,
          runs: row.runs,
          input: row.inputTokens,
          output: row.outputTokens,
        }).toEqual({
          user: row.userId,
          cost: g?.costUsd ?? '0',
          runs: g?.runs ?? 0,
          input: g?.inputTokens ?? 0,
          output: g?.outputTokens ?? 0,
        })
      }
      // Nobody with usage is left out, and the team figures are the stats totals.
      expect(new Set(usage.members.filter((m) => m.runs > 0).map((m) => m.userId))).toEqual(
        new Set(stats.groups.map((g) => g.key)),
      )
      expect(usage.team).toMatchObject({
        costUsd: stats.totals.costUsd,
        runs: stats.totals.runs,
        inputTokens: stats.totals.inputTokens,
        outputTokens: stats.totals.outputTokens,
      })
      expect(usage.team.previousCostUsd).toBe(stats.previous.costUsd)
      const shares = usage.members.reduce((s, m) => s + (m.shareOfTeam ?? 0), 0)
      if (usdToNano(stats.totals.costUsd) > 0n) expect(Math.abs(shares - 100)).toBeLessThan(0.05)
    },
  )

  it('efficiency figures: error rate, cost per successful run, cache hit ratio, most used model', async () => {
    const usage = await caller.analytics.teamUsage({ from: '2026-03-01', to: '2026-03-28' })
    const bob = usage.members.find((m) => m.userId === people[2])!
    const stats = await caller.usage.stats({
      from: '2026-03-01',
      to: '2026-03-28',
      userId: [people[2]!],
      groupBy: 'status',
    })
    const ok = stats.groups.find((g) => g.key === 'ok')!
    expect(bob.errorRate).toBe(Math.round((stats.totals.errors / stats.totals.runs) * 10_000) / 100)
    expect(usdToNano(bob.costPerSuccessfulRunUsd!)).toBe(usdToNano(stats.totals.costUsd) / BigInt(ok.runs))
    expect(bob.topModel).toBe('gpt-4o-mini')
    const ann = usage.members.find((m) => m.userId === people[1])!
    expect(ann.cacheHitRatio).toBeGreaterThan(0)
    expect(ann.errorRate).toBe(0)
    expect(usage.members.find((m) => m.userId === null)).toMatchObject({ name: 'No member (API keys)' })
    expect(usage.members.find((m) => m.userId === people[3])).toMatchObject({ runs: 0, costUsd: '0', topModel: null })
    const compare = await caller.analytics.compareMembers({
      from: '2026-03-01',
      to: '2026-03-28',
      members: [people[1]!, people[2]!],
    })
    expect(compare.days).toHaveLength(28)
    const annTotal = compare.days.reduce((s, d) => s + usdToNano(d.costs[0]!), 0n)
    expect(annTotal).toBe(usdToNano(ann.costUsd))
  })

  it('is an enterprise feature: other plans are refused with the plan named', async () => {
    await teams.setTeamPlan(db, teamId, 'pro')
    const fresh = createCaller(await createContext({ db, sessionToken: (await issueSession(db, people[0]!)).token }))
    await expect(fresh.analytics.teamUsage({})).rejects.toMatchObject({
      code: 'FORBIDDEN',
      cause: { details: { feature: 'teamAnalytics', requiredTier: 'enterprise' } },
    })
    await teams.setTeamPlan(db, teamId, 'enterprise')
  })
})
