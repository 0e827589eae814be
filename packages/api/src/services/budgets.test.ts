import { teams, users, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { issueSession } from '../auth/service'
import { createContext } from '../context'
import { createCaller } from '../root'
import type { TeamScope } from '../trpc'
import { recordUsage } from './record-usage'

let t: TestDb
let db: Db
let owner: ReturnType<typeof createCaller>
let scope: TeamScope

beforeAll(async () => {
  t = await createTestDb()
  db = t.db
  const team = await teams.insertTeam(db, { slug: 'order', name: 'Order', plan: 'enterprise' })
  const o = await users.insertUser(db, { email: 'o@order.test', name: 'Owner', passwordHash: 'x' })
  await teams.upsertMember(db, team.id, o.id, 'owner')
  scope = { ...team, role: 'owner', userId: o.id, apiKeyId: null }
  owner = createCaller(await createContext({ db, sessionToken: (await issueSession(db, o.id)).token }))
})
afterAll(async () => t?.destroy())

describe('budgets.list order', () => {
  it('lists the most urgent first and keeps that order when a budget is saved', async () => {
    // $0.15 of tracked team usage; every budget below covers it, so their shares differ by their limits.
    await recordUsage(db, scope, [{ model: 'gpt-4o-mini', inputTokens: 1_000_000, outputTokens: 0 }])
    const weekly = await owner.budgets.save({ name: 'Weekly', period: 'week', limitUsd: '10' }) // 1.5 %
    await owner.budgets.save({ name: 'Monthly', period: 'month', limitUsd: '1' }) // 15 %, resets after Daily
    const total = await owner.budgets.save({ name: 'Total', period: 'total', limitUsd: '0.2' }) // 75 %
    await owner.budgets.save({ name: 'Daily', period: 'day', limitUsd: '1' }) // 15 %, resets first
    const names = async () => (await owner.budgets.list()).budgets.map((b) => b.name)
    expect(await names()).toEqual(['Total', 'Daily', 'Monthly', 'Weekly'])

    // Editing budgets (the way the budgets page saves them) leaves everything where it was.
    await owner.budgets.save({ id: weekly.id, name: 'Weekly', period: 'week', limitUsd: '10', mode: 'soft' })
    await owner.budgets.save({ id: total.id, name: 'Total', period: 'total', limitUsd: '0.2', thresholds: [50, 90] })
    expect(await names()).toEqual(['Total', 'Daily', 'Monthly', 'Weekly'])

    // Raising a limit lowers its share, and the order follows the rule, not the save.
    await owner.budgets.save({ id: total.id, name: 'Total', period: 'total', limitUsd: '100' })
    expect(await names()).toEqual(['Daily', 'Monthly', 'Weekly', 'Total'])
  })
})
