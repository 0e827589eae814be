import { calculateCost, nanoToUsd, usdToNano } from '@costwise/core'
import { budgets, teams, users, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { issueSession } from '../auth/service'
import { createContext } from '../context'
import { createCaller } from '../root'
import type { TeamScope } from '../trpc'
import { recordUsage } from './record-usage'
import { reserve } from './reserve'

let t: TestDb
let db: Db
let teamId: string
let owner: ReturnType<typeof createCaller>
const memberIds: string[] = []
let scopeOf: (userId: string) => TeamScope

beforeAll(async () => {
  t = await createTestDb()
  db = t.db
  const team = await teams.insertTeam(db, { slug: 'split', name: 'Split', plan: 'enterprise' })
  teamId = team.id
  const o = await users.insertUser(db, { email: 'o@split.test', name: 'Owner', passwordHash: 'x' })
  await teams.upsertMember(db, teamId, o.id, 'owner')
  for (const n of ['a', 'b', 'c']) {
    const u = await users.insertUser(db, { email: `${n}@split.test`, name: n.toUpperCase(), passwordHash: 'x' })
    await teams.upsertMember(db, teamId, u.id, 'member')
    memberIds.push(u.id)
  }
  owner = createCaller(await createContext({ db, sessionToken: (await issueSession(db, o.id)).token }))
  scopeOf = (userId) => ({ ...team, role: 'member', userId, apiKeyId: null })
})
afterAll(async () => t?.destroy())
beforeEach(async () => {
  await sql`truncate token_usage_logs, usage_idempotency_keys, usage_rollup_daily, usage_rollup_15min, usage_budgets, budget_reservations, usage_alerts cascade`.execute(
    db,
  )
})

describe('per-member allocations of a team budget', () => {
  it('splits equally to the nano-dollar, or by custom amounts; the rest stays with the team', async () => {
    const team = await owner.budgets.save({
      name: 'Team',
      scope: 'team',
      period: 'month',
      limitUsd: '100',
      mode: 'hard',
    })
    const equal = await owner.budgets.setAllocations({
      budgetId: team.id,
      split: 'equal',
      totalUsd: '10',
      members: memberIds.map((userId) => ({ userId })),
    })
    expect(equal.allocations.map((a) => a.limitUsd).sort()).toEqual(['3.333333333', '3.333333333', '3.333333334'])
    expect(equal).toMatchObject({ allocatedUsd: '10', unallocatedUsd: '90' })

    const custom = await owner.budgets.setAllocations({
      budgetId: team.id,
      members: [
        { userId: memberIds[0]!, limitUsd: '60', mode: 'hard' },
        { userId: memberIds[1]!, limitUsd: '25', mode: 'soft' },
      ],
    })
    expect(custom).toMatchObject({ allocatedUsd: '85', unallocatedUsd: '15' })
    expect(custom.allocations.map((a) => [a.userId, a.limitUsd, a.mode, a.parentBudgetId])).toEqual(
      expect.arrayContaining([
        [memberIds[0], '60', 'hard', team.id],
        [memberIds[1], '25', 'soft', team.id],
      ]),
    )
    // Member c was left out: their allocation is gone, its amount back with the team.
    expect(await budgets.memberAllocations(db, teamId, memberIds[2]!)).toHaveLength(0)
  })

  it('refuses allocations that add up to more than the team budget, naming the field and changing nothing', async () => {
    const team = await owner.budgets.save({
      name: 'Team',
      scope: 'team',
      period: 'month',
      limitUsd: '50',
      mode: 'hard',
    })
    const error = await owner.budgets
      .setAllocations({
        budgetId: team.id,
        members: [
          { userId: memberIds[0]!, limitUsd: '30' },
          { userId: memberIds[1]!, limitUsd: '30' },
        ],
      })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('add up to $60, more than the team budget’s $50 limit; lower them by $10'),
    })
    expect((error as { cause: { field: string } }).cause.field).toBe('members')
    expect(await budgets.listAllocations(db, teamId, team.id)).toHaveLength(0)
    // The team budget can't be lowered under what is allocated either.
    await owner.budgets.setAllocations({ budgetId: team.id, members: [{ userId: memberIds[0]!, limitUsd: '40' }] })
    await expect(
      owner.budgets.save({ id: team.id, name: 'Team', scope: 'team', period: 'month', limitUsd: '30', mode: 'hard' }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('allocations add up to $40'),
    })
    // A member's allocation is changed with the team budget, not on its own; only team budgets are split.
    const [allocation] = await budgets.listAllocations(db, teamId, team.id)
    await expect(
      owner.budgets.save({
        id: allocation!.id,
        name: 'X',
        scope: 'user',
        userId: memberIds[0],
        period: 'month',
        limitUsd: '99',
      }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    })
    const userBudget = await owner.budgets.save({
      name: 'Mine',
      scope: 'user',
      userId: memberIds[1],
      period: 'month',
      limitUsd: '5',
    })
    await expect(owner.budgets.setAllocations({ budgetId: userBudget.id, members: [] })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    })
  })

  it('allocations follow the team budget’s period and are enforced like any budget: 64 concurrent reservations never pass a hard allocation', async () => {
    const perCall = calculateCost('gpt-4o', { inputTokens: 1000, outputTokens: 1000 }).totalNano
    const team = await owner.budgets.save({
      name: 'Team',
      scope: 'team',
      period: 'day',
      limitUsd: nanoToUsd(perCall * 100n),
      mode: 'hard',
    })
    await owner.budgets.setAllocations({
      budgetId: team.id,
      members: [{ userId: memberIds[0]!, limitUsd: nanoToUsd(perCall * 7n), mode: 'hard' }],
    })
    await owner.budgets.save({
      id: team.id,
      name: 'Team',
      scope: 'team',
      period: 'month',
      limitUsd: nanoToUsd(perCall * 100n),
      mode: 'hard',
    })
    const [allocation] = await budgets.listAllocations(db, teamId, team.id)
    expect(allocation).toMatchObject({ period: 'month', scope: 'user', scope_user_id: memberIds[0] })

    const attempts = await Promise.allSettled(
      Array.from({ length: 64 }, () =>
        reserve(db, scopeOf(memberIds[0]!), { model: 'gpt-4o', inputTokens: 1000, maxOutputTokens: 1000 }),
      ),
    )
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(7)
    const refused = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected')
    expect(refused).toHaveLength(57)
    for (const r of refused)
      expect(r.reason).toMatchObject({ code: 'BUDGET_EXCEEDED', details: { budget: { id: allocation!.id } } })
    const after = await budgets.findBudget(db, teamId, allocation!.id)
    expect(usdToNano(after!.spent_usd) + usdToNano(after!.reserved_usd)).toBe(perCall * 7n)
    // The team budget counted the same seven; another member (no allocation) still spends from the team budget.
    expect(usdToNano((await budgets.findBudget(db, teamId, team.id))!.reserved_usd)).toBe(perCall * 7n)
    await reserve(db, scopeOf(memberIds[1]!), { model: 'gpt-4o', inputTokens: 1000, maxOutputTokens: 1000 })

    // Soft allocations warn but never block.
    await owner.budgets.setAllocations({
      budgetId: team.id,
      members: [{ userId: memberIds[0]!, limitUsd: nanoToUsd(perCall), mode: 'soft' }],
    })
    const over = await reserve(db, scopeOf(memberIds[0]!), {
      model: 'gpt-4o',
      inputTokens: 1000,
      maxOutputTokens: 1000,
    })
    expect(over.budgets.find((b) => b.scope === 'user')).toMatchObject({ mode: 'soft', level: 'critical' })
  })

  it('a new allocation starts with what the member already spent this period', async () => {
    await recordUsage(db, scopeOf(memberIds[2]!), [{ model: 'gpt-4o-mini', inputTokens: 1_000_000, outputTokens: 0 }])
    const team = await owner.budgets.save({ name: 'Team', scope: 'team', period: 'month', limitUsd: '10' })
    const { allocations } = await owner.budgets.setAllocations({
      budgetId: team.id,
      members: [{ userId: memberIds[2]!, limitUsd: '1' }],
    })
    expect(allocations[0]).toMatchObject({ spentUsd: '0.15' })
  })
})
