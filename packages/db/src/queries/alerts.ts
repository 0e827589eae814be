import { sql } from 'kysely'
import type { Db } from '../client'
import type { AlertKind, AlertLevel } from '../schema'

type Executor = Db

/** One alert per (budget, period, threshold): returns the id when this call created it, else undefined. */
export async function insertAlertOnce(
  db: Executor,
  input: {
    teamId: string
    budgetId: string
    periodStart: Date
    threshold: number
    level: AlertLevel
    spentUsd: string
    limitUsd: string
  },
): Promise<string | undefined> {
  const row = await db
    .insertInto('usage_alerts')
    .values({
      team_id: input.teamId,
      budget_id: input.budgetId,
      period_start: input.periodStart,
      threshold: input.threshold,
      level: input.level,
      spent_usd: input.spentUsd,
      limit_usd: input.limitUsd,
    })
    .onConflict((oc) => oc.columns(['budget_id', 'period_start', 'threshold']).doNothing())
    .returning('id')
    .executeTakeFirst()
  return row?.id
}

/**
 * A forecast or anomaly alert, once per `dedupeKey` in the team: returns the id when this call created it,
 * else undefined. Forecast alerts name their budget; anomaly alerts have none. `spentUsd`/`limitUsd` hold the
 * figures the alert compares (projected vs limit; the bucket's spend vs its usual line).
 */
export async function insertInsightAlert(
  db: Executor,
  input: {
    teamId: string
    kind: Exclude<AlertKind, 'budget_threshold'>
    budgetId: string | null
    dedupeKey: string
    periodStart: Date
    level: AlertLevel
    spentUsd: string
    limitUsd: string
    details: Record<string, unknown>
  },
): Promise<string | undefined> {
  const row = await db
    .insertInto('usage_alerts')
    .values({
      team_id: input.teamId,
      kind: input.kind,
      budget_id: input.budgetId,
      dedupe_key: input.dedupeKey,
      period_start: input.periodStart,
      threshold: null,
      level: input.level,
      spent_usd: input.spentUsd,
      limit_usd: input.limitUsd,
      details: JSON.stringify(input.details),
    })
    .onConflict((oc) => oc.columns(['team_id', 'dedupe_key']).where('dedupe_key', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst()
  return row?.id
}

/** Which of these dedupe keys already have an alert in the team. */
export async function existingDedupeKeys(db: Executor, teamId: string, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set()
  const rows = await db
    .selectFrom('usage_alerts')
    .select('dedupe_key')
    .where('team_id', '=', teamId)
    .where('dedupe_key', 'in', keys)
    .execute()
  return new Set(rows.map((r) => r.dedupe_key!))
}

export interface AlertListOptions {
  status?: 'unread' | 'active' | 'all'
  limit: number
  cursor?: { createdAt: Date; id: string } | null
}

export async function listAlerts(db: Executor, teamId: string, options: AlertListOptions) {
  let query = db
    .selectFrom('usage_alerts as a')
    .leftJoin('usage_budgets as b', 'b.id', 'a.budget_id')
    .select([
      'a.id',
      'a.kind',
      'a.details',
      'a.budget_id as budgetId',
      'b.name as budgetName',
      'b.scope',
      'b.period',
      'a.period_start as periodStart',
      'a.threshold',
      'a.level',
      'a.spent_usd as spentUsd',
      'a.limit_usd as limitUsd',
      'a.created_at as createdAt',
      'a.read_at as readAt',
      'a.acknowledged_at as acknowledgedAt',
      'a.dismissed_at as dismissedAt',
    ])
    .where('a.team_id', '=', teamId)
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(options.limit + 1)
  if (options.status === 'unread') query = query.where('a.read_at', 'is', null).where('a.dismissed_at', 'is', null)
  if (options.status === 'active') query = query.where('a.dismissed_at', 'is', null)
  if (options.cursor) {
    const c = options.cursor
    query = query.where(sql<boolean>`(a.created_at, a.id) < (${c.createdAt}, ${c.id}::uuid)`)
  }
  const rows = await query.execute()
  return { items: rows.slice(0, options.limit), hasMore: rows.length > options.limit }
}

export async function countUnreadAlerts(db: Executor, teamId: string): Promise<number> {
  const row = await db
    .selectFrom('usage_alerts')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('team_id', '=', teamId)
    .where('read_at', 'is', null)
    .where('dismissed_at', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Acknowledging marks read too. Returns the ids that changed. */
export async function acknowledgeAlerts(
  db: Executor,
  teamId: string,
  ids: string[],
  userId: string | null,
): Promise<string[]> {
  if (ids.length === 0) return []
  const now = new Date()
  const rows = await db
    .updateTable('usage_alerts')
    .set((eb) => ({
      acknowledged_at: now,
      acknowledged_by: userId,
      read_at: eb.fn.coalesce('read_at', sql<Date>`${now}`),
    }))
    .where('team_id', '=', teamId)
    .where('id', 'in', ids)
    .where('acknowledged_at', 'is', null)
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

export async function dismissAlerts(db: Executor, teamId: string, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return []
  const now = new Date()
  const rows = await db
    .updateTable('usage_alerts')
    .set((eb) => ({ dismissed_at: now, read_at: eb.fn.coalesce('read_at', sql<Date>`${now}`) }))
    .where('team_id', '=', teamId)
    .where('id', 'in', ids)
    .where('dismissed_at', 'is', null)
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

export async function findAlertForNotification(db: Executor, id: string) {
  return db
    .selectFrom('usage_alerts as a')
    .leftJoin('usage_budgets as b', 'b.id', 'a.budget_id')
    .innerJoin('teams as t', 't.id', 'a.team_id')
    .select([
      'a.id',
      'a.kind',
      'a.details',
      'a.period_start as periodStart',
      'a.team_id as teamId',
      't.name as teamName',
      't.slug as teamSlug',
      'b.name as budgetName',
      'b.period',
      'b.mode',
      'b.id as budgetId',
      'b.scope',
      'b.scope_user_id as scopeUserId',
      'a.period_start as periodStart',
      'a.threshold',
      'a.level',
      'a.spent_usd as spentUsd',
      'a.limit_usd as limitUsd',
      'a.created_at as createdAt',
      'a.notified_at as notifiedAt',
    ])
    .where('a.id', '=', id)
    .executeTakeFirst()
}

export async function markAlertNotified(db: Executor, id: string): Promise<void> {
  await db.updateTable('usage_alerts').set({ notified_at: new Date() }).where('id', '=', id).execute()
}

/** Alerts whose notification has not completed since `before` (its job was lost or is stuck). */
export async function listUnnotifiedAlerts(
  db: Executor,
  before: Date,
  limit = 500,
): Promise<{ id: string; teamId: string }[]> {
  return db
    .selectFrom('usage_alerts')
    .select(['id', 'team_id as teamId'])
    .where('notified_at', 'is', null)
    .where('created_at', '<', before)
    .orderBy('created_at')
    .limit(limit)
    .execute()
}
