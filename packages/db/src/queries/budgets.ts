import { sql } from 'kysely'
import type { Db } from '../client'
import type { BudgetMode, BudgetPeriod, BudgetScope, ReservationStatus, UsageBudget } from '../schema'

type Executor = Db

export async function listActiveBudgets(db: Executor, teamId: string): Promise<UsageBudget[]> {
  return db
    .selectFrom('usage_budgets')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('active', '=', true)
    .orderBy('id')
    .execute()
}

export async function listBudgets(db: Executor, teamId: string): Promise<UsageBudget[]> {
  return db.selectFrom('usage_budgets').selectAll().where('team_id', '=', teamId).orderBy('created_at').execute()
}

export async function findBudget(db: Executor, teamId: string, id: string): Promise<UsageBudget | undefined> {
  return db
    .selectFrom('usage_budgets')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .executeTakeFirst()
}

export interface BudgetValues {
  name: string
  scope: BudgetScope
  scopeUserId: string | null
  scopeApiKeyId: string | null
  scopePromptId: string | null
  period: BudgetPeriod
  timeZone: string | null
  limitUsd: string
  mode: BudgetMode
  thresholds: number[]
  active: boolean
}

const columns = (v: BudgetValues) => ({
  name: v.name,
  scope: v.scope,
  scope_user_id: v.scopeUserId,
  scope_api_key_id: v.scopeApiKeyId,
  scope_prompt_id: v.scopePromptId,
  period: v.period,
  time_zone: v.timeZone,
  limit_usd: v.limitUsd,
  mode: v.mode,
  thresholds: v.thresholds,
  active: v.active,
})

/** A new budget starts its current period with what was already spent in it (`spentUsd`). */
export async function insertBudget(
  db: Executor,
  teamId: string,
  values: BudgetValues,
  period: { start: Date; spentUsd: string },
): Promise<UsageBudget> {
  return db
    .insertInto('usage_budgets')
    .values({ team_id: teamId, ...columns(values), period_start: period.start, spent_usd: period.spentUsd })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** Replaces a budget's settings and restates its current period's spend (counted by the caller). */
export async function updateBudget(
  db: Executor,
  teamId: string,
  id: string,
  values: BudgetValues,
  period: { start: Date; spentUsd: string },
): Promise<UsageBudget | undefined> {
  return db
    .updateTable('usage_budgets')
    .set({ ...columns(values), period_start: period.start, spent_usd: period.spentUsd, updated_at: new Date() })
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
}

/** Deletes a budget of this team; returns the deleted row, or undefined when there is none. */
export async function deleteBudget(db: Executor, teamId: string, id: string): Promise<UsageBudget | undefined> {
  return db
    .deleteFrom('usage_budgets')
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
}

/** Exact spend of the usage rows a budget's scope covers over [start, end) — from the raw log. */
export async function spendInWindow(
  db: Executor,
  teamId: string,
  scope: { scope: BudgetScope; userId: string | null; apiKeyId: string | null; promptId: string | null },
  start: Date,
  end: Date | null,
): Promise<string> {
  let query = db
    .selectFrom('token_usage_logs')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('cost_usd'), sql<string>`0`).as('spent'))
    .where('team_id', '=', teamId)
    .where('occurred_at', '>=', start)
  if (end) query = query.where('occurred_at', '<', end)
  if (scope.scope === 'user') query = query.where('user_id', '=', scope.userId)
  if (scope.scope === 'api_key') query = query.where('api_key_id', '=', scope.apiKeyId)
  if (scope.scope === 'prompt') query = query.where('prompt_id', '=', scope.promptId)
  const row = await query.executeTakeFirstOrThrow()
  return row.spent
}

export interface BudgetState {
  id: string
  name: string
  scope: BudgetScope
  period: BudgetPeriod
  mode: BudgetMode
  limitUsd: string
  spentUsd: string
  reservedUsd: string
  thresholds: number[]
  periodStart: Date
}

/**
 * The limit that holds in the row's stored period: the permanent limit plus a raise approved for this period
 * only (a budget request with `duration: "period"`). When the period rolls over the raise no longer applies.
 */
const effectiveLimit = sql<string>`limit_usd + case when period_raise_start = period_start then period_raise_usd else 0 end`

const stateColumns = [
  'id',
  'name',
  'scope',
  'period',
  'mode',
  effectiveLimit.as('limitUsd'),
  'spent_usd as spentUsd',
  'reserved_usd as reservedUsd',
  'thresholds',
  'period_start as periodStart',
] as const

/**
 * Sets `amountUsd` aside on a budget in one atomic statement: the row lock and the re-checked WHERE make
 * concurrent reservations queue on the row, so a hard budget's spent + reserved never passes its limit.
 * A budget whose stored period is older than `currentStart` rolls over first (spent and reserved reset).
 * Returns undefined when a hard budget has no room.
 */
export async function reserveOnBudget(
  db: Executor,
  input: { id: string; currentStart: Date; amountUsd: string },
): Promise<BudgetState | undefined> {
  const rolled = sql<boolean>`period_start < ${input.currentStart}`
  return db
    .updateTable('usage_budgets')
    .set({
      spent_usd: sql`case when ${rolled} then 0 else spent_usd end`,
      reserved_usd: sql`case when ${rolled} then 0 else reserved_usd end + ${input.amountUsd}::numeric`,
      period_start: sql`greatest(period_start, ${input.currentStart})`,
      updated_at: new Date(),
    })
    .where('id', '=', input.id)
    .where((eb) =>
      eb.or([
        eb('mode', '=', 'soft'),
        eb(
          sql`case when ${rolled} then 0 else spent_usd + reserved_usd end + ${input.amountUsd}::numeric`,
          '<=',
          sql`limit_usd + case when period_raise_start = greatest(period_start, ${input.currentStart}) then period_raise_usd else 0 end`,
        ),
      ]),
    )
    .returning(stateColumns)
    .executeTakeFirst()
}

/**
 * Adds actual spend to a budget and releases what its reservations had set aside (only reservations made
 * in the budget's current period still count in `reserved_usd`). Rolls the period over when needed.
 */
export async function chargeBudget(
  db: Executor,
  input: { id: string; currentStart: Date; spentUsd: string; releaseUsd: string },
): Promise<BudgetState & { spentBeforeUsd: string }> {
  const rolled = sql<boolean>`period_start < ${input.currentStart}`
  const row = await db
    .updateTable('usage_budgets')
    .set({
      spent_usd: sql`case when ${rolled} then 0 else spent_usd end + ${input.spentUsd}::numeric`,
      reserved_usd: sql`greatest(case when ${rolled} then 0 else reserved_usd - ${input.releaseUsd}::numeric end, 0)`,
      period_start: sql`greatest(period_start, ${input.currentStart})`,
      updated_at: new Date(),
    })
    .where('id', '=', input.id)
    .returning([...stateColumns, sql<string>`spent_usd - ${input.spentUsd}::numeric`.as('spentBeforeUsd')])
    .executeTakeFirstOrThrow()
  return row
}

/**
 * `chargeBudget` for several budgets in ONE statement (the hot rows of a tracked call, written last so their
 * locks are held only until the commit that follows). Rows are locked in id order, so concurrent charges of
 * overlapping budgets cannot deadlock. Answers in the order of `charges`.
 */
export async function chargeBudgets(
  db: Executor,
  charges: { id: string; currentStart: Date; spentUsd: string; releaseUsd: string }[],
): Promise<(BudgetState & { spentBeforeUsd: string })[]> {
  if (charges.length === 0) return []
  const values = charges.map(
    (c) => sql`(${c.id}::uuid, ${c.currentStart}::timestamptz, ${c.spentUsd}::numeric, ${c.releaseUsd}::numeric)`,
  )
  const result = await sql<BudgetState & { spentBeforeUsd: string }>`
    with c (id, current_start, spent, release) as (values ${sql.join(values)}),
    locked as (select b.id from usage_budgets b join c on c.id = b.id order by b.id for update of b)
    update usage_budgets b set
      spent_usd = case when b.period_start < c.current_start then 0 else b.spent_usd end + c.spent,
      reserved_usd = greatest(case when b.period_start < c.current_start then 0 else b.reserved_usd - c.release end, 0),
      period_start = greatest(b.period_start, c.current_start),
      updated_at = now()
    from c, locked
    where b.id = c.id and locked.id = c.id
    returning b.id, b.name, b.scope, b.period, b.mode, b.limit_usd as "limitUsd", b.spent_usd as "spentUsd",
      b.reserved_usd as "reservedUsd", b.thresholds, b.period_start as "periodStart",
      b.spent_usd - c.spent as "spentBeforeUsd"`.execute(db)
  const byId = new Map(result.rows.map((r) => [r.id, r]))
  return charges.map((c) => {
    const row = byId.get(c.id)
    if (!row) throw new Error(`chargeBudgets: budget ${c.id} is gone`)
    return row
  })
}

export async function insertReservation(
  db: Executor,
  input: {
    teamId: string
    idempotencyKey: string | null
    model: string
    estimatedUsd: string
    expiresAt: Date
    items: { budgetId: string; periodStart: Date; amountUsd: string }[]
  },
) {
  const reservation = await db
    .insertInto('budget_reservations')
    .values({
      team_id: input.teamId,
      idempotency_key: input.idempotencyKey,
      model: input.model,
      estimated_usd: input.estimatedUsd,
      expires_at: input.expiresAt,
    })
    .returning(['id', 'estimated_usd', 'expires_at', 'status'])
    .executeTakeFirstOrThrow()
  if (input.items.length > 0) {
    await db
      .insertInto('budget_reservation_items')
      .values(
        input.items.map((i) => ({
          reservation_id: reservation.id,
          budget_id: i.budgetId,
          period_start: i.periodStart,
          amount_usd: i.amountUsd,
        })),
      )
      .execute()
  }
  return reservation
}

export async function findReservationByKey(db: Executor, teamId: string, idempotencyKey: string) {
  return db
    .selectFrom('budget_reservations')
    .select(['id', 'estimated_usd', 'expires_at', 'status'])
    .where('team_id', '=', teamId)
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst()
}

/**
 * Locks the team's held reservations among `ids` and returns them with their items. Reservations that
 * were settled, released or expired already are left out (their hold was released then).
 */
export async function lockHeldReservations(db: Executor, teamId: string, ids: string[]) {
  if (ids.length === 0) return []
  const reservations = await db
    .selectFrom('budget_reservations')
    .select(['id', 'estimated_usd'])
    .where('team_id', '=', teamId)
    .where('id', 'in', ids)
    .where('status', '=', 'held')
    .orderBy('id')
    .forUpdate()
    .execute()
  if (reservations.length === 0) return []
  const items = await db
    .selectFrom('budget_reservation_items')
    .select(['reservation_id', 'budget_id', 'period_start', 'amount_usd'])
    .where(
      'reservation_id',
      'in',
      reservations.map((r) => r.id),
    )
    .execute()
  return reservations.map((r) => ({ ...r, items: items.filter((i) => i.reservation_id === r.id) }))
}

export async function markReservations(
  db: Executor,
  updates: { id: string; status: ReservationStatus; actualUsd?: string | null; usageLogId?: string | null }[],
): Promise<void> {
  if (updates.length === 0) return
  // One statement for all of them (a group of tracked calls may settle many reservations).
  const values = updates.map(
    (u) => sql`(${u.id}::uuid, ${u.status}::text, ${u.actualUsd ?? null}::numeric, ${u.usageLogId ?? null}::uuid)`,
  )
  await sql`
    update budget_reservations r set status = u.status, actual_usd = u.actual, usage_log_id = u.log, settled_at = now()
    from (values ${sql.join(values)}) as u (id, status, actual, log)
    where r.id = u.id`.execute(db)
}

/** Locks up to `limit` held reservations past their expiry (skipping ones another worker holds). */
export async function lockExpiredReservations(db: Executor, now: Date, limit: number) {
  const rows = await db
    .selectFrom('budget_reservations')
    .select(['id', 'team_id'])
    .where('status', '=', 'held')
    .where('expires_at', '<', now)
    .orderBy('expires_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute()
  return rows
}

/** Releases what these reservations hold on their budgets (for the budgets' current periods only). */
export async function releaseReservationHolds(db: Executor, reservationIds: string[]): Promise<void> {
  if (reservationIds.length === 0) return
  await sql`
    with held as (
      select i.budget_id, sum(i.amount_usd) as amount
      from budget_reservation_items i
      join usage_budgets b on b.id = i.budget_id and b.period_start = i.period_start
      where i.reservation_id = any(${reservationIds}::uuid[])
      group by i.budget_id
      order by i.budget_id
    )
    update usage_budgets b set reserved_usd = greatest(b.reserved_usd - held.amount, 0), updated_at = now()
    from held where b.id = held.budget_id`.execute(db)
}

/** Restates a budget's spend for its current period (after repricing), keeping what is reserved. */
export async function restateSpend(db: Executor, id: string, periodStart: Date, spentUsd: string): Promise<void> {
  await db
    .updateTable('usage_budgets')
    .set({
      spent_usd: spentUsd,
      reserved_usd: sql`case when period_start < ${periodStart} then 0 else reserved_usd end`,
      period_start: periodStart,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute()
}

// ---- per-member allocations ------------------------------------------------------------------------

/** Locks a budget row of the team (allocation changes and limit raises serialise on it). */
export async function lockBudget(db: Executor, teamId: string, id: string): Promise<UsageBudget | undefined> {
  return db
    .selectFrom('usage_budgets')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

/** A team budget's allocations (user budgets carved from it), by id. */
export async function listAllocations(db: Executor, teamId: string, parentId: string): Promise<UsageBudget[]> {
  return db
    .selectFrom('usage_budgets')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('parent_budget_id', '=', parentId)
    .orderBy('id')
    .execute()
}

/** Sets an allocation's settings (limit, mode, and the parent's period, zone and thresholds). */
export async function updateAllocation(
  db: Executor,
  id: string,
  values: {
    name: string
    limitUsd: string
    mode: BudgetMode
    period: BudgetPeriod
    timeZone: string | null
    thresholds: number[]
    active: boolean
  },
  period: { start: Date; spentUsd: string } | null,
): Promise<UsageBudget> {
  return db
    .updateTable('usage_budgets')
    .set({
      name: values.name,
      limit_usd: values.limitUsd,
      mode: values.mode,
      period: values.period,
      time_zone: values.timeZone,
      thresholds: values.thresholds,
      active: values.active,
      ...(period ? { period_start: period.start, spent_usd: period.spentUsd } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function insertAllocation(
  db: Executor,
  teamId: string,
  parentId: string,
  values: BudgetValues,
  period: { start: Date; spentUsd: string },
): Promise<UsageBudget> {
  return db
    .insertInto('usage_budgets')
    .values({
      team_id: teamId,
      ...columns(values),
      parent_budget_id: parentId,
      period_start: period.start,
      spent_usd: period.spentUsd,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** Deletes allocations by id (their amount returns to the team budget). */
export async function deleteBudgets(db: Executor, teamId: string, ids: string[]): Promise<UsageBudget[]> {
  if (ids.length === 0) return []
  return db.deleteFrom('usage_budgets').where('team_id', '=', teamId).where('id', 'in', ids).returningAll().execute()
}

/** A member's allocations in a team (removed with them when they leave). */
export async function memberAllocations(db: Executor, teamId: string, userId: string): Promise<UsageBudget[]> {
  return db
    .selectFrom('usage_budgets')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('scope_user_id', '=', userId)
    .where('parent_budget_id', 'is not', null)
    .execute()
}

// ---- raises (approved budget requests) ---------------------------------------------------------------

/**
 * Raises a budget's limit in one statement: for good (`limit_usd`), or for the period starting `periodStart`
 * only. A period raise on a row whose stored period is older rolls the row over first (as a charge would), and
 * raises in the same period add up. Returns undefined when the period asked for is already over.
 */
export async function raiseLimit(
  db: Executor,
  input: { teamId: string; id: string; amountUsd: string; periodOnly: { start: Date } | null },
): Promise<UsageBudget | undefined> {
  if (!input.periodOnly) {
    return db
      .updateTable('usage_budgets')
      .set({ limit_usd: sql`limit_usd + ${input.amountUsd}::numeric`, updated_at: new Date() })
      .where('team_id', '=', input.teamId)
      .where('id', '=', input.id)
      .returningAll()
      .executeTakeFirst()
  }
  const start = input.periodOnly.start
  const rolled = sql<boolean>`period_start < ${start}`
  return db
    .updateTable('usage_budgets')
    .set({
      spent_usd: sql`case when ${rolled} then 0 else spent_usd end`,
      reserved_usd: sql`case when ${rolled} then 0 else reserved_usd end`,
      period_raise_usd: sql`case when period_raise_start = ${start} and not ${rolled} then period_raise_usd else 0 end + ${input.amountUsd}::numeric`,
      period_raise_start: start,
      period_start: sql`greatest(period_start, ${start})`,
      updated_at: new Date(),
    })
    .where('team_id', '=', input.teamId)
    .where('id', '=', input.id)
    .where('period_start', '<=', start)
    .returningAll()
    .executeTakeFirst()
}

/** The limit that holds in a budget's stored period (the permanent one plus this period's raise). */
export function effectiveLimitUsd(
  b: Pick<UsageBudget, 'limit_usd' | 'period_raise_usd' | 'period_raise_start' | 'period_start'>,
): { limitUsd: string; raiseUsd: string } {
  const raised = b.period_raise_start !== null && b.period_raise_start.getTime() === b.period_start.getTime()
  return { limitUsd: b.limit_usd, raiseUsd: raised ? b.period_raise_usd : '0' }
}
