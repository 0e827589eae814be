import { calculateCost, nanoToUsd, usdToNano } from '@costwise/core'
import { budgets, jobs, teams, users, usage, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { TeamScope } from '../trpc'
import { recordUsage } from './record-usage'
import { saveBudget } from './budgets'
import { expireReservations, reserve } from './reserve'

let t: TestDb
let db: Db
let team: TeamScope
let userId: string

async function makeBudget(
  values: Partial<budgets.BudgetValues> & { limitUsd: string },
  start = new Date('2000-01-01T00:00:00Z'),
) {
  return budgets.insertBudget(
    db,
    team.id,
    {
      name: 'Budget',
      scope: 'team',
      scopeUserId: null,
      scopeApiKeyId: null,
      scopePromptId: null,
      period: 'month',
      timeZone: null,
      mode: 'hard',
      thresholds: [50, 80, 100],
      active: true,
      ...values,
    },
    { start, spentUsd: '0' },
  )
}

beforeAll(async () => {
  t = await createTestDb()
  db = t.db
  const created = await teams.insertTeam(db, { slug: 'track-team', name: 'Track', timeZone: 'America/New_York' })
  const user = await users.insertUser(db, { email: 'u@track.test', name: 'U', passwordHash: 'x' })
  await teams.upsertMember(db, created.id, user.id, 'owner')
  userId = user.id
  team = { ...created, role: 'owner', userId: user.id, apiKeyId: null }
})
afterAll(async () => t.destroy())
beforeEach(async () => {
  await sql`truncate token_usage_logs, usage_idempotency_keys, usage_rollup_daily, usage_rollup_15min, usage_budgets, budget_reservations, usage_alerts cascade`.execute(
    db,
  )
  await sql`delete from graphile_worker._private_jobs`.execute(db)
})

describe('recordUsage', () => {
  it('prices on the server and keeps the price version', async () => {
    const [result] = await recordUsage(db, team, [{ model: 'gpt-4o-2024-11-20', inputTokens: 1234, outputTokens: 567 }])
    const expected = calculateCost('gpt-4o', { inputTokens: 1234, outputTokens: 567 })
    expect(result).toMatchObject({
      costUsd: nanoToUsd(expected.totalNano),
      duplicate: false,
      unpriced: false,
      model: 'gpt-4o',
    })
    const row = await db.selectFrom('token_usage_logs').selectAll().executeTakeFirstOrThrow()
    expect(row.price_version).toBe(expected.versionId)
    expect(row.user_id).toBe(userId)
  })

  it('is idempotent: a retry returns the first result and counts nothing twice', async () => {
    const event = { model: 'gpt-4o-mini', inputTokens: 1000, outputTokens: 200, idempotencyKey: 'call-1' }
    const [first] = await recordUsage(db, team, [event])
    const [again] = await recordUsage(db, team, [event])
    const batch = await recordUsage(db, team, [
      event,
      { ...event, idempotencyKey: 'call-2' },
      { ...event, idempotencyKey: 'call-2' },
    ])
    expect(again).toMatchObject({ id: first!.id, costUsd: first!.costUsd, duplicate: true })
    expect(batch.map((r) => r.duplicate)).toEqual([true, false, true])
    expect(batch[2]!.id).toBe(batch[1]!.id)
    expect(await usage.countUsageRows(db, team.id)).toBe(2)
    const rollup = await db
      .selectFrom('usage_rollup_daily')
      .select((eb) => eb.fn.sum<string>('runs').as('runs'))
      .executeTakeFirstOrThrow()
    expect(rollup.runs).toBe('2')
  })

  it('counts concurrent retries of one key once', async () => {
    const event = { model: 'gpt-4o-mini', inputTokens: 10, outputTokens: 5, idempotencyKey: 'racy' }
    const results = await Promise.all(Array.from({ length: 16 }, () => recordUsage(db, team, [event])))
    expect(new Set(results.map(([r]) => r!.id)).size).toBe(1)
    expect(results.filter(([r]) => !r!.duplicate)).toHaveLength(1)
    expect(await usage.countUsageRows(db, team.id)).toBe(1)
  })

  it('records an unknown model unpriced and says so', async () => {
    const [result] = await recordUsage(db, team, [{ model: 'acme-secret-llm', inputTokens: 10, outputTokens: 5 }])
    expect(result).toMatchObject({ unpriced: true, costUsd: '0', model: null })
    expect(await usage.countUsageRows(db, team.id)).toBe(1)
  })

  it('rejects references to another team and times in the future, changing nothing', async () => {
    const other = await teams.insertTeam(db, { slug: 'other-team', name: 'Other' })
    const prompt = await db
      .insertInto('prompts')
      .values({ team_id: other.id, name: 'p', model: 'gpt-4o' })
      .returning('id')
      .executeTakeFirstOrThrow()
    await expect(
      recordUsage(db, team, [{ model: 'gpt-4o', inputTokens: 1, outputTokens: 1, promptId: prompt.id }]),
    ).rejects.toMatchObject({ code: 'BAD_INPUT', field: 'promptId' })
    await expect(
      recordUsage(db, team, [
        { model: 'gpt-4o', inputTokens: 1, outputTokens: 1 },
        {
          model: 'gpt-4o',
          inputTokens: 1,
          outputTokens: 1,
          occurredAt: new Date(Date.now() + 3_600_000).toISOString(),
        },
      ]),
    ).rejects.toMatchObject({ code: 'BAD_INPUT', field: 'events.1.occurredAt' })
    expect(await usage.countUsageRows(db, team.id)).toBe(0)
  })

  it('keeps the rollups equal to the raw rows', async () => {
    const models = ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4-5', 'gemini-2.5-flash', 'mystery-model']
    const events = Array.from({ length: 300 }, (_, i) => ({
      model: models[i % models.length]!,
      inputTokens: 100 + ((i * 7919) % 5000),
      outputTokens: (i * 104729) % 900,
      occurredAt: new Date(Date.now() - ((i * 3_600_000 * 7) % (20 * 86_400_000))).toISOString(),
    }))
    for (let i = 0; i < events.length; i += 100) await recordUsage(db, team, events.slice(i, i + 100))
    const raw = await usage.rawUsageTotals(db, team.id, new Date(0), new Date(Date.now() + 60_000))
    for (const table of ['usage_rollup_daily', 'usage_rollup_15min'] as const) {
      const r = await db
        .selectFrom(table)
        .select((eb) => [
          eb.fn.sum<string>('cost_usd').as('cost'),
          eb.fn.sum<string>('runs').as('runs'),
          eb.fn.sum<string>('input_tokens').as('input'),
        ])
        .executeTakeFirstOrThrow()
      expect(usdToNano(r.cost)).toBe(usdToNano(raw.costUsd))
      expect(r.runs).toBe(raw.runs)
      expect(r.input).toBe(raw.inputTokens)
    }
  })
})

describe('budgets', () => {
  it('64 concurrent reservations never take a hard budget past its limit', async () => {
    // Each call is gpt-4o with 1000 input + 1000 output tokens = $0.0125; the limit fits exactly 10.
    const perCall = calculateCost('gpt-4o', { inputTokens: 1000, outputTokens: 1000 }).totalNano
    const budget = await makeBudget({ limitUsd: nanoToUsd(perCall * 10n) })
    const attempts = await Promise.allSettled(
      Array.from({ length: 64 }, () =>
        reserve(db, team, { model: 'gpt-4o', inputTokens: 1000, maxOutputTokens: 1000 }),
      ),
    )
    const ok = attempts.filter((a) => a.status === 'fulfilled')
    const refused = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected')
    expect(ok).toHaveLength(10)
    expect(refused).toHaveLength(54)
    for (const r of refused)
      expect(r.reason).toMatchObject({ code: 'BUDGET_EXCEEDED', details: { budget: { id: budget.id } } })
    const after = await budgets.findBudget(db, team.id, budget.id)
    expect(usdToNano(after!.reserved_usd)).toBe(perCall * 10n)

    // Settling with the actual (smaller) cost moves it from reserved to spent; room opens again.
    const first = ok[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof reserve>>>
    await recordUsage(db, team, [
      { model: 'gpt-4o', inputTokens: 1000, outputTokens: 10, reservationId: first.value.reservationId },
    ])
    const settled = await budgets.findBudget(db, team.id, budget.id)
    const actual = calculateCost('gpt-4o', { inputTokens: 1000, outputTokens: 10 }).totalNano
    expect(usdToNano(settled!.spent_usd)).toBe(actual)
    expect(usdToNano(settled!.reserved_usd)).toBe(perCall * 9n)
    expect(usdToNano(settled!.spent_usd) + usdToNano(settled!.reserved_usd)).toBeLessThanOrEqual(perCall * 10n)
  })

  it('soft budgets warn but never block; unsettled reservations expire', async () => {
    const soft = await makeBudget({ limitUsd: '0.000001', mode: 'soft' })
    const r = await reserve(db, team, { model: 'gpt-4o', inputTokens: 1000, maxOutputTokens: 1000, ttlSeconds: 10 })
    expect(r.budgets[0]).toMatchObject({ id: soft.id, level: 'critical' })
    expect(await expireReservations(db, new Date(Date.now() + 11_000))).toBe(1)
    const after = await budgets.findBudget(db, team.id, soft.id)
    expect(after!.reserved_usd).toBe('0.000000000')
    const status = await db.selectFrom('budget_reservations').select('status').executeTakeFirstOrThrow()
    expect(status.status).toBe('expired')
  })

  it('creates one alert per threshold crossed and enqueues its notification in the same transaction', async () => {
    const budget = await makeBudget({ limitUsd: '1', mode: 'soft' })
    // gpt-4o-mini: 1M input tokens = $0.15; 4 of them = $0.60 → crosses 50 %.
    const big = { model: 'gpt-4o-mini', inputTokens: 1_000_000, outputTokens: 0 }
    await recordUsage(db, team, [big, big, big, big])
    await recordUsage(db, team, [big, big]) // $0.90 → 80 %
    await recordUsage(db, team, [big]) // $1.05 → 100 %
    await recordUsage(db, team, [big]) // nothing new
    const rows = await db
      .selectFrom('usage_alerts')
      .select(['threshold', 'level', 'budget_id'])
      .orderBy('threshold')
      .execute()
    expect(rows).toEqual([
      { threshold: 50, level: 'info', budget_id: budget.id },
      { threshold: 80, level: 'warning', budget_id: budget.id },
      { threshold: 100, level: 'critical', budget_id: budget.id },
    ])
    expect(await queuedAlertIds()).toHaveLength(3)
  })

  it('a budget created, then lowered, below what is already spent alerts the thresholds it has crossed, once', async () => {
    const big = { model: 'gpt-4o-mini', inputTokens: 1_000_000, outputTokens: 0 } // $0.15 each
    await recordUsage(db, team, [big, big, big, big]) // $0.60 this month
    const alertRows = () =>
      db.selectFrom('usage_alerts').select(['threshold', 'spent_usd', 'limit_usd']).orderBy('threshold').execute()

    const created = await saveBudget(db, team, { name: 'Late', period: 'month', limitUsd: '1', mode: 'soft' })
    expect(created.spentUsd).toBe('0.6')
    const [first, ...others] = await alertRows()
    expect(others).toEqual([])
    expect({
      threshold: first!.threshold,
      spent: nanoToUsd(usdToNano(first!.spent_usd)),
      limit: nanoToUsd(usdToNano(first!.limit_usd)),
    }).toEqual({
      threshold: 50,
      spent: '0.6',
      limit: '1',
    })
    expect(await queuedAlertIds()).toHaveLength(1)

    // Saved again unchanged: nothing new. Lowered to $0.70 (85 %): 80 % now, not 50 % again.
    await saveBudget(db, team, { id: created.id, name: 'Late', period: 'month', limitUsd: '1', mode: 'soft' })
    await saveBudget(db, team, { id: created.id, name: 'Late', period: 'month', limitUsd: '0.7', mode: 'soft' })
    expect((await alertRows()).map((a) => a.threshold)).toEqual([50, 80])
    // Lowered to $0.50 (120 %): 100 %. And the next charge raises nothing more.
    await saveBudget(db, team, { id: created.id, name: 'Late', period: 'month', limitUsd: '0.5', mode: 'soft' })
    await recordUsage(db, team, [big])
    expect((await alertRows()).map((a) => a.threshold)).toEqual([50, 80, 100])
    expect(await queuedAlertIds()).toHaveLength(3)

    // An inactive budget stays quiet.
    await saveBudget(db, team, { name: 'Off', period: 'month', limitUsd: '0.01', mode: 'soft', active: false })
    expect((await alertRows()).length).toBe(3)
  })

  it('a day budget in New York resets at local midnight, across the DST change', async () => {
    // 2026-11-01 is 25 hours long in New York. Spend at 23:30 EST (04:30Z next day) is still Nov 1.
    const dayStart = new Date('2026-11-01T04:00:00Z') // 00:00 EDT
    const budget = await makeBudget({ limitUsd: '100', period: 'day', mode: 'soft' }, dayStart)
    const late = new Date('2026-11-02T04:30:00Z') // 23:30 EST, Nov 1
    await recordUsage(
      db,
      team,
      [{ model: 'gpt-4o-mini', inputTokens: 1_000_000, outputTokens: 0, occurredAt: late.toISOString() }],
      late,
    )
    expect((await budgets.findBudget(db, team.id, budget.id))!.spent_usd).toBe('0.150000000')
    const nextDay = new Date('2026-11-02T05:30:00Z') // 00:30 EST, Nov 2: a new period
    await recordUsage(
      db,
      team,
      [{ model: 'gpt-4o-mini', inputTokens: 1_000_000, outputTokens: 0, occurredAt: nextDay.toISOString() }],
      nextDay,
    )
    const after = (await budgets.findBudget(db, team.id, budget.id))!
    expect(after.spent_usd).toBe('0.150000000')
    expect(after.period_start.toISOString()).toBe('2026-11-02T05:00:00.000Z')
    const days = await db.selectFrom('usage_rollup_daily').select('day').distinct().orderBy('day').execute()
    expect(days.map((d) => d.day)).toEqual(['2026-11-01', '2026-11-02'])
  })
})

/** The alert ids waiting in notification jobs (batch jobs keyed per team: several alerts share one job). */
async function queuedAlertIds(): Promise<string[]> {
  return (await jobs.listPendingJobs(db, 'alert__notify')).flatMap((j) =>
    (Array.isArray(j.payload) ? j.payload : [j.payload]).map((p: { alertId: string }) => p.alertId),
  )
}
