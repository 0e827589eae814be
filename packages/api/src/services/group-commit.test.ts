import { calculateCost, nanoToUsd, usdToNano } from '@costwise/core'
import { budgets, teams, users, usage, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { TeamScope } from '../trpc'
import { recordUsageGrouped } from './group-commit'
import { reserve } from './reserve'

let t: TestDb
let db: Db
let team: TeamScope

// How many transactions wrote the usage rows: each row's xmin is the id of the transaction that inserted it.
async function writingTransactions(): Promise<number> {
  const row = await sql<{ n: number }>`select count(distinct xmin::text)::int as n from token_usage_logs`.execute(db)
  return row.rows[0]!.n
}

async function makeBudget(limitUsd: string) {
  return budgets.insertBudget(
    db,
    team.id,
    {
      name: 'Team',
      scope: 'team',
      scopeUserId: null,
      scopeApiKeyId: null,
      scopePromptId: null,
      period: 'month',
      timeZone: null,
      mode: 'hard',
      thresholds: [50, 80, 100],
      active: true,
      limitUsd,
    },
    { start: new Date('2000-01-01T00:00:00Z'), spentUsd: '0' },
  )
}

const cost = (model: string, inputTokens: number, outputTokens: number) =>
  usdToNano(nanoToUsd(calculateCost(model, { inputTokens, outputTokens }).totalNano))

beforeAll(async () => {
  t = await createTestDb()
  db = t.db
  const created = await teams.insertTeam(db, { slug: 'group-team', name: 'Group', timeZone: 'Europe/Berlin' })
  const user = await users.insertUser(db, { email: 'g@group.test', name: 'G', passwordHash: 'x' })
  await teams.upsertMember(db, created.id, user.id, 'owner')
  team = { ...created, role: 'owner', userId: user.id, apiKeyId: null }
})
afterAll(async () => t.destroy())
beforeEach(async () => {
  await sql`truncate token_usage_logs, usage_idempotency_keys, usage_rollup_daily, usage_rollup_15min, usage_budgets, budget_reservations, usage_alerts cascade`.execute(
    db,
  )
})

describe('group commit of concurrent tracked calls', () => {
  it('writes concurrent callers in fewer transactions than callers, each with its own result, counting each once', async () => {
    const budget = await makeBudget('1000')
    const callers = Array.from({ length: 40 }, (_, i) =>
      recordUsageGrouped(db, team, [{ model: 'gpt-4o-mini', inputTokens: 1000 + i, outputTokens: 100 }]),
    )
    const results = await Promise.all(callers)
    // Each caller gets its own row and its own cost.
    expect(new Set(results.map(([r]) => r!.id)).size).toBe(40)
    results.forEach(([r], i) => expect(usdToNano(r!.costUsd)).toBe(cost('gpt-4o-mini', 1000 + i, 100)))
    expect(await usage.countUsageRows(db, team.id)).toBe(40)
    // The budget and the rollup hold the exact sum, once.
    const expected = results.reduce((s, [r]) => s + usdToNano(r!.costUsd), 0n)
    const stored = await budgets.findBudget(db, team.id, budget.id)
    expect(usdToNano(stored!.spent_usd)).toBe(expected)
    const rollup = await db
      .selectFrom('usage_rollup_daily')
      .select((eb) => [eb.fn.sum<string>('runs').as('runs'), eb.fn.sum<string>('cost_usd').as('cost')])
      .executeTakeFirstOrThrow()
    expect(rollup.runs).toBe('40')
    expect(usdToNano(rollup.cost)).toBe(expected)
    // Fewer transactions than callers: they were grouped.
    expect(await writingTransactions()).toBeLessThan(40)
  })

  it('gives a caller with bad input its own error; the others in the group are recorded', async () => {
    const unknownPrompt = '00000000-0000-4000-8000-000000000000'
    const settled = await Promise.allSettled([
      recordUsageGrouped(db, team, [{ model: 'gpt-4o', inputTokens: 10, outputTokens: 5 }]),
      recordUsageGrouped(db, team, [{ model: 'gpt-4o', inputTokens: 10, outputTokens: 5, promptId: unknownPrompt }]),
      recordUsageGrouped(db, team, [{ model: 'gpt-4o', inputTokens: 20, outputTokens: 5 }]),
    ])
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'BAD_INPUT', field: 'promptId' })
    expect(await usage.countUsageRows(db, team.id)).toBe(2)
  })

  it('when one caller fails the group’s transaction, every other caller is still recorded and only that one fails', async () => {
    // A latency past PostgreSQL's integer (the HTTP schema caps it; this calls the service directly): valid to
    // the checks before the transaction, refused by the database inside it.
    const settled = await Promise.allSettled([
      recordUsageGrouped(db, team, [{ model: 'gpt-4o', inputTokens: 10, outputTokens: 5, idempotencyKey: 'g-1' }]),
      recordUsageGrouped(db, team, [{ model: 'gpt-4o', inputTokens: 10, outputTokens: 5, latencyMs: 3_000_000_000 }]),
      recordUsageGrouped(db, team, [{ model: 'gpt-4o', inputTokens: 30, outputTokens: 5, idempotencyKey: 'g-3' }]),
    ])
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(await usage.countUsageRows(db, team.id)).toBe(2)
    const keys = await db
      .selectFrom('usage_idempotency_keys')
      .select('idempotency_key')
      .orderBy('idempotency_key')
      .execute()
    expect(keys.map((k) => k.idempotency_key)).toEqual(['g-1', 'g-3'])
  })

  it('records one idempotency key sent by two concurrent callers once; the other is told it is a duplicate', async () => {
    const budget = await makeBudget('1000')
    const event = { model: 'gpt-4o-mini', inputTokens: 500, outputTokens: 50, idempotencyKey: 'same-call' }
    const results = await Promise.all(Array.from({ length: 8 }, () => recordUsageGrouped(db, team, [event])))
    expect(new Set(results.map(([r]) => r!.id)).size).toBe(1)
    expect(results.filter(([r]) => !r!.duplicate)).toHaveLength(1)
    expect(await usage.countUsageRows(db, team.id)).toBe(1)
    const stored = await budgets.findBudget(db, team.id, budget.id)
    expect(usdToNano(stored!.spent_usd)).toBe(cost('gpt-4o-mini', 500, 50))
  })

  it('a key reused by another caller of the group for a different event fails only that caller', async () => {
    const settled = await Promise.allSettled([
      recordUsageGrouped(db, team, [
        { model: 'gpt-4o-mini', inputTokens: 10, outputTokens: 1, idempotencyKey: 'shared-key' },
      ]),
      recordUsageGrouped(db, team, [
        { model: 'gpt-4o-mini', inputTokens: 99, outputTokens: 1, idempotencyKey: 'shared-key' },
      ]),
      recordUsageGrouped(db, team, [{ model: 'gpt-4o-mini', inputTokens: 20, outputTokens: 1 }]),
    ])
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      field: 'idempotencyKey',
    })
    expect(await usage.countUsageRows(db, team.id)).toBe(2)
  })

  it('settles each caller’s reservation in a group: nothing stays reserved, spent is the exact sum', async () => {
    const budget = await makeBudget('1000')
    const reservations = await Promise.all(
      Array.from({ length: 10 }, () =>
        reserve(db, team, { model: 'gpt-4o', inputTokens: 1000, maxOutputTokens: 1000 }),
      ),
    )
    const held = await budgets.findBudget(db, team.id, budget.id)
    expect(usdToNano(held!.reserved_usd)).toBeGreaterThan(0n)
    const results = await Promise.all(
      reservations.map((r, i) =>
        recordUsageGrouped(db, team, [
          { model: 'gpt-4o', inputTokens: 1000, outputTokens: 100 + i, reservationId: r.reservationId },
        ]),
      ),
    )
    const stored = await budgets.findBudget(db, team.id, budget.id)
    expect(stored!.reserved_usd).toBe('0.000000000')
    expect(usdToNano(stored!.spent_usd)).toBe(results.reduce((s, [r]) => s + usdToNano(r!.costUsd), 0n))
    const statuses = await db.selectFrom('budget_reservations').select('status').execute()
    expect(statuses.every((s) => s.status === 'settled')).toBe(true)
  })
})
