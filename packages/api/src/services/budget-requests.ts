import {
  AppError,
  budgetApplies,
  formatUsd,
  nanoToUsd,
  periodWindow,
  budgetRequestInputSchema,
  budgetRequestStatusSchema,
  decisionInputSchema,
  denyInputSchema,
  requestDurationSchema,
  roleAtLeast,
  usdToNano,
  type BudgetRequestInput,
} from '@costwise/core'
import {
  audit,
  budgetRequests,
  budgets,
  jobs,
  members,
  notifications,
  type Database,
  type Db,
  type UsageBudget,
} from '@costwise/db'
import type { Transaction } from 'kysely'
import { z } from 'zod'
import { auditBy } from '../audit'
import type { TeamScope } from '../trpc'

/**
 * Budget requests: someone blocked or warned by a budget asks for more; an owner or admin approves (possibly a
 * different amount) or denies with a comment. Approval raises the limit in the same transaction as the decision
 * and its audit row — for good, or (`duration: "period"`) for the budget's current period only: the raise is
 * stored with the period it belongs to and stops applying when the period rolls over. Pending requests expire
 * at the end of the period they were made in (worker task `budget_request__expire`).
 */

export const budgetRequestViewSchema = z.object({
  id: z.string(),
  budgetId: z.string(),
  budgetName: z.string(),
  budgetPeriod: z.string(),
  requestedBy: z.string().nullable(),
  requestedByUserId: z.string().nullable(),
  amountUsd: z.string(),
  reason: z.string(),
  duration: requestDurationSchema,
  status: budgetRequestStatusSchema,
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  approvedAmountUsd: z.string().nullable(),
  comment: z.string().nullable(),
})
export type BudgetRequestView = z.infer<typeof budgetRequestViewSchema>

function toView(r: budgetRequests.BudgetRequestRow): BudgetRequestView {
  return {
    id: r.id,
    budgetId: r.budgetId,
    budgetName: r.budgetName,
    budgetPeriod: r.budgetPeriod,
    requestedBy: r.requesterLabel,
    requestedByUserId: r.requestedByUserId,
    amountUsd: nanoToUsd(usdToNano(r.amountUsd)),
    reason: r.reason,
    duration: r.duration,
    status: r.status,
    createdAt: r.createdAt.toISOString(),
    expiresAt: r.expiresAt?.toISOString() ?? null,
    decidedBy: r.decidedByLabel,
    decidedAt: r.decidedAt?.toISOString() ?? null,
    approvedAmountUsd: r.approvedAmountUsd === null ? null : nanoToUsd(usdToNano(r.approvedAmountUsd)),
    comment: r.comment,
  }
}

const REQUESTS_PAGE = '/dashboard/budget-requests'
const money = (usd: string) => formatUsd(usdToNano(usd))
const isAdmin = (team: TeamScope) => team.role !== null && roleAtLeast(team.role, 'admin')

/** Tells people in the app (in the request's transaction, once per request, event and person). */
async function notify(
  trx: Transaction<Database>,
  teamId: string,
  requestId: string,
  event: string,
  userIds: string[],
  title: string,
  body: string,
) {
  await notifications.insertNotifications(
    trx,
    [...new Set(userIds)].map((userId) => ({
      teamId,
      userId,
      kind: `budget_request.${event}`,
      dedupeKey: `request:${requestId}:${event}:${userId}`,
      title,
      body,
      link: `${REQUESTS_PAGE}#request-${requestId}`,
    })),
  )
  // Email goes out from the worker, through the outbox/SMTP path alerts use.
  await jobs.enqueueJob(
    trx,
    'budget_request__notify',
    { requestId, event },
    { jobKey: `budget_request__notify:${requestId}:${event}`, maxAttempts: 10 },
  )
}

/** Asks for more on a budget. People ask on budgets that apply to them (admins on any); one pending request per budget and person. */
export async function createRequest(db: Db, team: TeamScope, raw: BudgetRequestInput, now = new Date()) {
  const input = budgetRequestInputSchema.parse(raw)
  return db.transaction().execute(async (trx) => {
    const budget = await budgets.findBudget(trx, team.id, input.budgetId)
    if (!budget)
      throw new AppError('BAD_INPUT', 'budgetId: no budget with this id in your team.', { field: 'budgetId' })
    const applies =
      budget.scope === 'prompt' ||
      budgetApplies(
        {
          scope: budget.scope,
          userId: budget.scope_user_id,
          apiKeyId: budget.scope_api_key_id,
          promptId: budget.scope_prompt_id,
        },
        { userId: team.userId, apiKeyId: team.apiKeyId, promptId: null },
      )
    if (!applies && !isAdmin(team)) {
      throw new AppError(
        'BAD_INPUT',
        'budgetId: this budget does not cover your calls; ask for more on one that does.',
        { field: 'budgetId' },
      )
    }
    const mine = await budgetRequests.listRequests(trx, team.id, { status: 'pending', limit: 500 })
    if (
      mine.some(
        (r) =>
          r.budgetId === budget.id &&
          ((team.userId && r.requestedByUserId === team.userId) ||
            (team.apiKeyId && r.requestedByApiKeyId === team.apiKeyId)),
      )
    ) {
      throw new AppError('CONFLICT', `You have a pending request on “${budget.name}” already; wait for its answer.`, {
        field: 'budgetId',
      })
    }
    const window = periodWindow(budget.period, now, budget.time_zone ?? team.timeZone)
    const amountUsd = nanoToUsd(usdToNano(input.amountUsd))
    const id = await budgetRequests.insertRequest(trx, {
      teamId: team.id,
      budgetId: budget.id,
      userId: team.userId,
      apiKeyId: team.apiKeyId,
      amountUsd,
      reason: input.reason,
      duration: input.duration,
      periodStart: window.start,
      expiresAt: window.end,
    })
    await audit.record(trx, {
      ...auditBy(team),
      action: 'budget_request.created',
      target: { type: 'budget_request', id },
      after: { budgetId: budget.id, budget: budget.name, amountUsd, duration: input.duration, reason: input.reason },
    })
    const admins = (await members.emailsByRole(trx, team.id, ['owner', 'admin'])).filter(
      (a) => a.userId !== team.userId,
    )
    await notify(
      trx,
      team.id,
      id,
      'created',
      admins.map((a) => a.userId),
      `Budget request: ${money(amountUsd)} more on “${budget.name}”`,
      `${input.duration === 'period' ? 'For this period only' : 'For good'}. Reason: ${input.reason}`,
    )
    return { id, status: 'pending' as const }
  })
}

/** Requests: everyone's for owners, admins and keys with budgets:read; a member's or viewer's own otherwise. */
export async function listRequests(
  db: Db,
  team: TeamScope,
  input: { status?: z.infer<typeof budgetRequestStatusSchema>; limit?: number },
) {
  const own = team.apiKeyId === null && !isAdmin(team) ? (team.userId ?? undefined) : undefined
  const [rows, counts] = await Promise.all([
    budgetRequests.listRequests(db, team.id, { status: input.status, requestedBy: own, limit: input.limit ?? 100 }),
    budgetRequests.countRequestsByStatus(db, team.id, own),
  ])
  return { items: rows.map(toView), counts, canDecide: isAdmin(team) || team.apiKeyId !== null }
}

async function lockPending(trx: Transaction<Database>, team: TeamScope, id: string) {
  const request = await budgetRequests.lockPendingRequest(trx, team.id, id)
  if (!request) throw new AppError('NOT_FOUND', 'No budget request with this id in your team.', { field: 'id' })
  if (request.status !== 'pending')
    throw new AppError('CONFLICT', `This request was ${request.status} already.`, { field: 'id' })
  return request
}

/** What is left of a team budget once its members' allocations are counted (for the period, or for good). */
async function unallocated(trx: Transaction<Database>, team: TeamScope, parentId: string, periodStart: Date | null) {
  const parent = await budgets.lockBudget(trx, team.id, parentId)
  if (!parent) return null
  const limitOf = (b: UsageBudget) => {
    const { limitUsd, raiseUsd } = budgets.effectiveLimitUsd(b)
    const raised = periodStart !== null && b.period_start.getTime() === periodStart.getTime()
    return usdToNano(limitUsd) + (raised ? usdToNano(raiseUsd) : 0n)
  }
  const allocations = await budgets.listAllocations(trx, team.id, parentId)
  const allocated = allocations.reduce((s, a) => s + limitOf(a), 0n)
  return { parent, free: limitOf(parent) - allocated }
}

/**
 * Approves a pending request, possibly for a different amount: raises the budget's limit (for its current
 * period only when the request says `period`), records the decision and the audit row, and tells the requester —
 * all in one transaction. A member's allocation can only grow into what is unallocated of its team budget.
 */
export async function approveRequest(
  db: Db,
  team: TeamScope,
  raw: z.input<typeof decisionInputSchema>,
  now = new Date(),
) {
  const input = decisionInputSchema.parse(raw)
  return db.transaction().execute(async (trx) => {
    const request = await lockPending(trx, team, input.id)
    const budget = await budgets.lockBudget(trx, team.id, request.budget_id)
    if (!budget) throw new AppError('NOT_FOUND', 'The budget of this request no longer exists.', { field: 'id' })
    const amount = usdToNano(input.amountUsd ?? request.amount_usd)
    const window = periodWindow(budget.period, now, budget.time_zone ?? team.timeZone)
    const periodOnly = request.duration === 'period'
    if (periodOnly && window.start.getTime() !== request.period_start.getTime()) {
      throw new AppError(
        'CONFLICT',
        'The period this request was for has ended; it can no longer be approved (it expires).',
        { field: 'id' },
      )
    }
    if (budget.parent_budget_id) {
      const room = await unallocated(trx, team, budget.parent_budget_id, periodOnly ? window.start : null)
      if (room && amount > room.free) {
        throw new AppError(
          'BAD_INPUT',
          `amountUsd: “${room.parent.name}” has ${formatUsd(room.free > 0n ? room.free : 0n)} not allocated to anyone; approve at most that, or raise the team budget first.`,
          { field: 'amountUsd', details: { unallocatedUsd: nanoToUsd(room.free > 0n ? room.free : 0n) } },
        )
      }
    }
    const raised = await budgets.raiseLimit(trx, {
      teamId: team.id,
      id: budget.id,
      amountUsd: nanoToUsd(amount),
      periodOnly: periodOnly ? { start: window.start } : null,
    })
    if (!raised)
      throw new AppError('CONFLICT', 'The budget moved on to a newer period; the request can no longer be approved.', {
        field: 'id',
      })
    const approvedAmountUsd = nanoToUsd(amount)
    await budgetRequests.decideRequest(
      trx,
      request.id,
      {
        status: 'approved',
        decidedBy: team.userId,
        decidedByApiKeyId: team.apiKeyId,
        approvedAmountUsd,
        comment: input.comment || null,
      },
      now,
    )
    const before = budgets.effectiveLimitUsd(budget)
    const after = budgets.effectiveLimitUsd(raised)
    await audit.record(trx, {
      ...auditBy(team),
      action: 'budget_request.approved',
      target: { type: 'budget_request', id: request.id },
      before: {
        budgetId: budget.id,
        budget: budget.name,
        requestedUsd: nanoToUsd(usdToNano(request.amount_usd)),
        limitUsd: before.limitUsd,
        periodRaiseUsd: before.raiseUsd,
      },
      after: {
        approvedUsd: approvedAmountUsd,
        duration: request.duration,
        limitUsd: after.limitUsd,
        periodRaiseUsd: after.raiseUsd,
        comment: input.comment || null,
      },
    })
    if (request.requested_by_user_id) {
      await notify(
        trx,
        team.id,
        request.id,
        'approved',
        [request.requested_by_user_id],
        `Approved: ${money(approvedAmountUsd)} more on “${budget.name}”`,
        `${periodOnly ? 'For this period.' : 'For good.'}${input.comment ? ` ${input.comment}` : ''}`,
      )
    }
    return {
      id: request.id,
      status: 'approved' as const,
      approvedAmountUsd,
      limitUsd: nanoToUsd(usdToNano(after.limitUsd) + usdToNano(after.raiseUsd)),
    }
  })
}

/** Denies a pending request with an optional comment, records it and tells the requester. */
export async function denyRequest(db: Db, team: TeamScope, raw: z.input<typeof denyInputSchema>, now = new Date()) {
  const input = denyInputSchema.parse(raw)
  return db.transaction().execute(async (trx) => {
    const request = await lockPending(trx, team, input.id)
    const budget = await budgets.findBudget(trx, team.id, request.budget_id)
    await budgetRequests.decideRequest(
      trx,
      request.id,
      {
        status: 'denied',
        decidedBy: team.userId,
        decidedByApiKeyId: team.apiKeyId,
        approvedAmountUsd: null,
        comment: input.comment || null,
      },
      now,
    )
    await audit.record(trx, {
      ...auditBy(team),
      action: 'budget_request.denied',
      target: { type: 'budget_request', id: request.id },
      before: {
        budgetId: request.budget_id,
        budget: budget?.name ?? null,
        requestedUsd: nanoToUsd(usdToNano(request.amount_usd)),
      },
      after: { comment: input.comment || null },
    })
    if (request.requested_by_user_id) {
      await notify(
        trx,
        team.id,
        request.id,
        'denied',
        [request.requested_by_user_id],
        `Denied: your request on “${budget?.name ?? 'a budget'}”`,
        input.comment || 'No comment.',
      )
    }
    return { id: request.id, status: 'denied' as const }
  })
}

/** Expires pending requests whose period has ended (the worker, each minute). Returns how many. */
export async function expireRequests(db: Db, now = new Date()): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const due = await budgetRequests.lockExpiredRequests(trx, now)
    for (const r of due) {
      const request = await budgetRequests.findRequestById(trx, r.id)
      await budgetRequests.decideRequest(
        trx,
        r.id,
        { status: 'expired', decidedBy: null, decidedByApiKeyId: null, approvedAmountUsd: null, comment: null },
        now,
      )
      await audit.record(trx, {
        teamId: r.teamId,
        actor: { kind: 'system' },
        action: 'budget_request.expired',
        target: { type: 'budget_request', id: r.id },
        before: { budgetId: r.budgetId, requestedUsd: nanoToUsd(usdToNano(r.amountUsd)), status: 'pending' },
        after: { status: 'expired' },
      })
      if (request?.requestedByUserId) {
        await notify(
          trx,
          r.teamId,
          r.id,
          'expired',
          [request.requestedByUserId],
          `Expired: your request on “${request.budgetName}”`,
          'The budget’s period ended before anyone answered. Ask again if you still need more.',
        )
      }
    }
    return due.length
  })
}

export async function findRequestView(db: Db, team: TeamScope, id: string) {
  const row = await budgetRequests.findRequest(db, team.id, id)
  return row ? toView(row) : null
}
