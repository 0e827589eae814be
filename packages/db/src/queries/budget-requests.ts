import { sql } from 'kysely'
import type { Db } from '../client'
import type { BudgetRequestDuration, BudgetRequestStatus } from '../schema'

type Executor = Db

export interface BudgetRequestRow {
  id: string
  teamId: string
  budgetId: string
  budgetName: string
  budgetScope: string
  budgetPeriod: string
  requestedByUserId: string | null
  requestedByApiKeyId: string | null
  requesterLabel: string | null
  amountUsd: string
  reason: string
  duration: BudgetRequestDuration
  status: BudgetRequestStatus
  periodStart: Date
  expiresAt: Date | null
  decidedBy: string | null
  decidedByLabel: string | null
  decidedAt: Date | null
  approvedAmountUsd: string | null
  comment: string | null
  createdAt: Date
}

function selectRequests(db: Executor) {
  return db
    .selectFrom('budget_requests as r')
    .innerJoin('usage_budgets as b', 'b.id', 'r.budget_id')
    .leftJoin('users as u', 'u.id', 'r.requested_by_user_id')
    .leftJoin('api_keys as k', 'k.id', 'r.requested_by_api_key_id')
    .leftJoin('users as d', 'd.id', 'r.decided_by')
    .select([
      'r.id',
      'r.team_id as teamId',
      'r.budget_id as budgetId',
      'b.name as budgetName',
      'b.scope as budgetScope',
      'b.period as budgetPeriod',
      'r.requested_by_user_id as requestedByUserId',
      'r.requested_by_api_key_id as requestedByApiKeyId',
      sql<string | null>`coalesce(u.email, k.name)`.as('requesterLabel'),
      'r.amount_usd as amountUsd',
      'r.reason',
      'r.duration',
      'r.status',
      'r.period_start as periodStart',
      'r.expires_at as expiresAt',
      'r.decided_by as decidedBy',
      'd.email as decidedByLabel',
      'r.decided_at as decidedAt',
      'r.approved_amount_usd as approvedAmountUsd',
      'r.comment',
      'r.created_at as createdAt',
    ])
}

export async function insertRequest(
  db: Executor,
  input: {
    teamId: string
    budgetId: string
    userId: string | null
    apiKeyId: string | null
    amountUsd: string
    reason: string
    duration: BudgetRequestDuration
    periodStart: Date
    expiresAt: Date | null
  },
): Promise<string> {
  const row = await db
    .insertInto('budget_requests')
    .values({
      team_id: input.teamId,
      budget_id: input.budgetId,
      requested_by_user_id: input.userId,
      requested_by_api_key_id: input.apiKeyId,
      amount_usd: input.amountUsd,
      reason: input.reason,
      duration: input.duration,
      period_start: input.periodStart,
      expires_at: input.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function findRequest(db: Executor, teamId: string, id: string): Promise<BudgetRequestRow | undefined> {
  return selectRequests(db).where('r.team_id', '=', teamId).where('r.id', '=', id).executeTakeFirst()
}

/** Any team's request (the worker's notifications). */
export async function findRequestById(db: Executor, id: string): Promise<BudgetRequestRow | undefined> {
  return selectRequests(db).where('r.id', '=', id).executeTakeFirst()
}

/** Locks a pending request of the team (a decision is taken once). */
export async function lockPendingRequest(db: Executor, teamId: string, id: string) {
  return db
    .selectFrom('budget_requests')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

export async function decideRequest(
  db: Executor,
  id: string,
  input: {
    status: 'approved' | 'denied' | 'expired'
    decidedBy: string | null
    decidedByApiKeyId: string | null
    approvedAmountUsd: string | null
    comment: string | null
  },
  now = new Date(),
): Promise<boolean> {
  const row = await db
    .updateTable('budget_requests')
    .set({
      status: input.status,
      decided_by: input.decidedBy,
      decided_by_api_key_id: input.decidedByApiKeyId,
      decided_at: now,
      approved_amount_usd: input.approvedAmountUsd,
      comment: input.comment,
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returning('id')
    .executeTakeFirst()
  return Boolean(row)
}

/** A team's requests, newest first; with a status, only those. */
export async function listRequests(
  db: Executor,
  teamId: string,
  options: { status?: BudgetRequestStatus; requestedBy?: string; limit: number },
): Promise<BudgetRequestRow[]> {
  let query = selectRequests(db).where('r.team_id', '=', teamId)
  if (options.status) query = query.where('r.status', '=', options.status)
  if (options.requestedBy) query = query.where('r.requested_by_user_id', '=', options.requestedBy)
  return query.orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').limit(options.limit).execute()
}

export async function countRequestsByStatus(
  db: Executor,
  teamId: string,
  requestedBy?: string,
): Promise<Record<BudgetRequestStatus, number>> {
  let query = db
    .selectFrom('budget_requests')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('team_id', '=', teamId)
    .groupBy('status')
  if (requestedBy) query = query.where('requested_by_user_id', '=', requestedBy)
  const rows = await query.execute()
  const counts: Record<BudgetRequestStatus, number> = { pending: 0, approved: 0, denied: 0, expired: 0 }
  for (const r of rows) counts[r.status] = Number(r.n)
  return counts
}

/** Locks up to `limit` pending requests whose period has ended (skipping those another worker holds). */
export async function lockExpiredRequests(db: Executor, now: Date, limit = 500) {
  return db
    .selectFrom('budget_requests')
    .select(['id', 'team_id as teamId', 'budget_id as budgetId', 'amount_usd as amountUsd'])
    .where('status', '=', 'pending')
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute()
}
