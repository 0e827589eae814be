import { usdToNano } from '@costwise/core'
import { teams, usage } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_LOGIN, seedDemo } from './seed'

describe('demo seed', () => {
  let t: TestDb
  const now = new Date('2026-11-24T15:00:00Z')
  beforeAll(async () => {
    t = await createTestDb()
  })
  afterAll(async () => t.destroy())

  it('creates the demo team with ~90 days of usage whose rollups equal the raw rows, once', async () => {
    const first = await seedDemo(t.db, { hashPassword: async (p) => `test:${p}`, now })
    expect(first.created).toBe(true)
    expect(first.usageRows).toBeGreaterThan(15_000)
    const team = await teams.findTeamBySlug(t.db, 'demo')
    expect(team?.timeZone).toBe('America/New_York')
    expect(team?.plan).toBe('enterprise')
    const members = await teams.listMembers(t.db, team!.id)
    expect(members.map((m) => m.role).sort()).toEqual(['admin', 'member', 'member', 'owner', 'viewer'])
    expect(members.find((m) => m.email === DEMO_LOGIN.email)).toMatchObject({ role: 'owner' })

    const raw = await usage.rawUsageTotals(t.db, team!.id, new Date(0), now)
    const daily = await usage.dailyUsage(t.db, team!.id, '2000-01-01', '2100-01-01')
    expect(daily.length).toBe(90)
    expect(daily.reduce((s, d) => s + usdToNano(d.costUsd), 0n)).toBe(usdToNano(raw.costUsd))
    const slots = await t.db
      .selectFrom('usage_rollup_15min')
      .select((eb) => eb.fn.sum<string>('cost_usd').as('cost'))
      .executeTakeFirstOrThrow()
    expect(usdToNano(slots.cost)).toBe(usdToNano(raw.costUsd))

    const budgets = await t.db.selectFrom('usage_budgets').select(['name', 'spent_usd', 'limit_usd']).execute()
    expect(budgets).toHaveLength(4)
    const monthly = budgets.find((b) => b.name === 'Team monthly')!
    const monthSpend = await usage.rawUsageTotals(t.db, team!.id, new Date('2026-11-01T04:00:00Z'), now)
    expect(monthly.spent_usd).toBe(monthSpend.costUsd)
    const alertCount = await t.db
      .selectFrom('usage_alerts')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(alertCount.n)).toBeGreaterThan(0)

    expect((await seedDemo(t.db, { hashPassword: async (p) => p, now })).created).toBe(false)
    expect(await usage.countUsageRows(t.db, team!.id)).toBe(first.usageRows)
  })
})
