import { calculateCost, nanoToUsd, usdToNano } from '@costwise/core'
import { budgets, jobs, notifications, teams, users, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createApiKey } from '../auth/api-keys'
import { issueSession } from '../auth/service'
import { createContext } from '../context'
import { handleRestRequest } from '../http'
import { createCaller } from '../root'
import type { TeamScope } from '../trpc'
import { expireRequests } from './budget-requests'
import { reserve } from './reserve'

let t: TestDb
let db: Db
let teamId: string
let ownerId: string
let memberId: string
let owner: ReturnType<typeof createCaller>
let member: ReturnType<typeof createCaller>
let memberScope: TeamScope
let writeKey: string
let usageKey: string
const perCall = calculateCost('gpt-4o', { inputTokens: 1000, outputTokens: 1000 }).totalNano
const run = () => reserve(db, memberScope, { model: 'gpt-4o', inputTokens: 1000, maxOutputTokens: 1000 })

beforeAll(async () => {
  t = await createTestDb()
  db = t.db
  const team = await teams.insertTeam(db, { slug: 'asking', name: 'Asking', plan: 'enterprise' })
  teamId = team.id
  const o = await users.insertUser(db, { email: 'o@ask.test', name: 'Owner', passwordHash: 'x' })
  const m = await users.insertUser(db, { email: 'm@ask.test', name: 'Member', passwordHash: 'x' })
  await teams.upsertMember(db, teamId, o.id, 'owner')
  await teams.upsertMember(db, teamId, m.id, 'member')
  ownerId = o.id
  memberId = m.id
  owner = createCaller(await createContext({ db, sessionToken: (await issueSession(db, o.id)).token }))
  member = createCaller(await createContext({ db, sessionToken: (await issueSession(db, m.id)).token }))
  memberScope = { ...team, role: 'member', userId: m.id, apiKeyId: null }
  writeKey = (await createApiKey(db, { teamId, name: 'approver', scopes: ['budgets:write'] })).key
  usageKey = (await createApiKey(db, { teamId, name: 'tool', scopes: ['usage:write'] })).key
})
afterAll(async () => t?.destroy())
beforeEach(async () => {
  await sql`truncate usage_budgets, budget_reservations, budget_requests, notifications cascade`.execute(db)
})

async function allocation(limitNano: bigint) {
  const team = await owner.budgets.save({
    name: 'Team',
    scope: 'team',
    period: 'month',
    limitUsd: nanoToUsd(perCall * 100n),
    mode: 'hard',
  })
  const { allocations } = await owner.budgets.setAllocations({
    budgetId: team.id,
    members: [{ userId: memberId, limitUsd: nanoToUsd(limitNano), mode: 'hard' }],
  })
  return { team, allocation: allocations[0]! }
}

const rest = (path: string, key: string, body: unknown) =>
  handleRestRequest(
    db,
    new Request(`http://localhost/api${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    }),
  )

describe('budget requests', () => {
  it('blocked → request → approved for this period → the next run goes through; audit, in-app and email jobs at each step', async () => {
    const { allocation: a } = await allocation(perCall)
    await run()
    await expect(run()).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED', details: { budget: { id: a.id } } })

    const created = await member.budgetRequests.create({
      budgetId: a.id,
      amountUsd: nanoToUsd(perCall * 2n),
      reason: 'Finishing the eval',
      duration: 'period',
    })
    expect(created).toEqual({ id: expect.any(String), status: 'pending' })
    await expect(
      member.budgetRequests.create({ budgetId: a.id, amountUsd: '1', reason: 'again', duration: 'period' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' })
    expect((await notifications.listNotifications(db, teamId, ownerId)).map((n) => n.title)).toEqual([
      expect.stringContaining('Budget request'),
    ])
    expect((await jobs.listPendingJobs(db, 'budget_request__notify')).map((j) => j.payload)).toEqual([
      { requestId: created.id, event: 'created' },
    ])

    // Members see their own requests; they can't decide.
    expect((await member.budgetRequests.list({})).items.map((r) => r.id)).toEqual([created.id])
    await expect(member.budgetRequests.approve({ id: created.id })).rejects.toMatchObject({ code: 'FORBIDDEN' })

    const approved = await owner.budgetRequests.approve({ id: created.id, comment: 'ok for this sprint' })
    expect(approved).toMatchObject({
      status: 'approved',
      approvedAmountUsd: nanoToUsd(perCall * 2n),
      limitUsd: nanoToUsd(perCall * 3n),
    })
    await run()
    await run()
    await expect(run()).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED' })
    // The permanent limit is unchanged: the raise belongs to this period.
    const row = await budgets.findBudget(db, teamId, a.id)
    expect(usdToNano(row!.limit_usd)).toBe(perCall)
    expect(usdToNano(row!.period_raise_usd)).toBe(perCall * 2n)

    expect((await notifications.listNotifications(db, teamId, memberId)).map((n) => n.kind)).toEqual([
      'budget_request.approved',
    ])
    await expect(owner.budgetRequests.approve({ id: created.id })).rejects.toMatchObject({ code: 'CONFLICT' })
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_user_id', 'before', 'after'])
      .where('team_id', '=', teamId)
      .where('action', 'like', 'budget_request.%')
      .orderBy('occurred_at')
      .execute()
    expect(audit.map((r) => [r.action, r.actor_user_id])).toEqual([
      ['budget_request.created', memberId],
      ['budget_request.approved', ownerId],
    ])
    expect(audit[1]).toMatchObject({
      after: { approvedUsd: nanoToUsd(perCall * 2n), duration: 'period', comment: 'ok for this sprint' },
    })
  })

  it('a period raise lapses when the period rolls over; a permanent one stays', async () => {
    const { allocation: a } = await allocation(perCall)
    const periodReq = await member.budgetRequests.create({
      budgetId: a.id,
      amountUsd: nanoToUsd(perCall),
      reason: 'now',
      duration: 'period',
    })
    await owner.budgetRequests.approve({ id: periodReq.id })
    const nextMonth = new Date()
    nextMonth.setUTCMonth(nextMonth.getUTCMonth() + 1, 15)
    // Two fit now; next month only the permanent limit holds again.
    await run()
    await run()
    await expect(run()).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED' })
    await reserve(db, memberScope, { model: 'gpt-4o', inputTokens: 1000, maxOutputTokens: 1000 }, nextMonth)
    await expect(
      reserve(db, memberScope, { model: 'gpt-4o', inputTokens: 1000, maxOutputTokens: 1000 }, nextMonth),
    ).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED' })

    const permanent = await member.budgetRequests.create({
      budgetId: a.id,
      amountUsd: nanoToUsd(perCall),
      reason: 'for good',
      duration: 'permanent',
    })
    await owner.budgetRequests.approve({ id: permanent.id })
    expect(usdToNano((await budgets.findBudget(db, teamId, a.id))!.limit_usd)).toBe(perCall * 2n)
  })

  it('an allocation grows only into what is unallocated of its team budget; approving less is fine', async () => {
    const { team, allocation: a } = await allocation(perCall * 90n)
    const req = await member.budgetRequests.create({
      budgetId: a.id,
      amountUsd: nanoToUsd(perCall * 20n),
      reason: 'big job',
      duration: 'permanent',
    })
    const error = await owner.budgetRequests.approve({ id: req.id }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('not allocated to anyone') })
    expect((error as { cause: { field: string } }).cause.field).toBe('amountUsd')
    const ok = await owner.budgetRequests.approve({ id: req.id, amountUsd: nanoToUsd(perCall * 10n) })
    expect(ok.approvedAmountUsd).toBe(nanoToUsd(perCall * 10n))
    expect((await owner.budgets.allocations({ budgetId: team.id })).unallocatedUsd).toBe('0')
  })

  it('REST: POST /api/budget-requests → 201 pending; approve and deny need budgets:write; bad input names the field', async () => {
    const team = await owner.budgets.save({ name: 'Team', scope: 'team', period: 'month', limitUsd: '1', mode: 'hard' })
    const created = await rest('/budget-requests', usageKey, {
      budgetId: team.id,
      amountUsd: '5',
      reason: 'batch job',
      duration: 'period',
    })
    expect(created.status).toBe(201)
    const body = (await created.json()) as { id: string; status: string }
    expect(body).toEqual({ id: expect.any(String), status: 'pending' })
    const bad = await rest('/budget-requests', usageKey, {
      budgetId: team.id,
      amountUsd: '5',
      reason: 'x',
      duration: 'forever',
    })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ code: 'BAD_INPUT', field: 'duration' })
    const refused = await rest(`/budget-requests/${body.id}/approve`, usageKey, {})
    expect(refused.status).toBe(403)
    expect(await refused.json()).toMatchObject({ missingScope: 'budgets:write' })
    const denied = await rest(`/budget-requests/${body.id}/deny`, writeKey, { comment: 'use the nightly quota' })
    expect(denied.status).toBe(200)
    expect(await denied.json()).toEqual({ id: body.id, status: 'denied' })
    const again = await rest(`/budget-requests/${body.id}/approve`, writeKey, { amountUsd: '2' })
    expect(again.status).toBe(409)
    expect(usdToNano((await budgets.findBudget(db, teamId, team.id))!.limit_usd)).toBe(1_000_000_000n)
  })

  it('pending requests expire at the end of their period (the worker’s task), and the requester is told', async () => {
    const team = await owner.budgets.save({ name: 'Daily', scope: 'team', period: 'day', limitUsd: '1' })
    const req = await member.budgetRequests.create({
      budgetId: team.id,
      amountUsd: '2',
      reason: 'today',
      duration: 'period',
    })
    expect(await expireRequests(db, new Date())).toBe(0)
    expect(await expireRequests(db, new Date(Date.now() + 2 * 86_400_000))).toBe(1)
    const list = await owner.budgetRequests.list({ status: 'expired' })
    expect(list.items.map((r) => r.id)).toEqual([req.id])
    expect(list.counts).toMatchObject({ pending: 0, expired: 1 })
    expect((await notifications.listNotifications(db, teamId, memberId)).map((n) => n.kind)).toContain(
      'budget_request.expired',
    )
    const [row] = await db
      .selectFrom('audit_log')
      .select(['actor_kind', 'action'])
      .where('action', '=', 'budget_request.expired')
      .execute()
    expect(row).toEqual({ actor_kind: 'system', action: 'budget_request.expired' })
  })
})
