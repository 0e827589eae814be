import { sql } from 'kysely'
import type { Db } from '../client'
import type { NewUsageLog } from '../schema'

type Executor = Pick<Db, 'selectFrom' | 'insertInto' | 'updateTable' | 'deleteFrom'>

/** Inserts usage rows as multi-row statements of at most `chunk` rows (for seeding and batch ingest). */
export async function insertUsageRows(db: Executor, rows: NewUsageLog[], chunk = 1000): Promise<number> {
  let inserted = 0
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk)
    await db.insertInto('token_usage_logs').values(part).execute()
    inserted += part.length
  }
  return inserted
}

/**
 * Recomputes the rollups of one team over [start, end) from the raw usage rows: the daily rows of the local
 * days in that window, and its 15-minute slots, are replaced by a fresh group-by. Days are calendar days in `timeZone`;
 * `start` and `end` must be local midnights in that zone (see @costwise/core periodWindow).
 * Returns the number of rollup rows written. Runs in the caller's transaction, or opens one.
 */
export async function rebuildRollups(
  db: Db,
  input: { teamId: string; timeZone: string; start: Date; end: Date },
): Promise<number> {
  if (!db.isTransaction) return db.transaction().execute((trx) => rebuildRollups(trx, input))
  const trx = db
  // One rebuild per team at a time, so two catch-up jobs can't interleave their delete and insert.
  await sql`select pg_advisory_xact_lock(hashtextextended(${`rollup:${input.teamId}`}, 0))`.execute(trx)
  const firstDay = sql<string>`(${input.start}::timestamptz at time zone ${input.timeZone})::date`
  const lastDay = sql<string>`(${input.end}::timestamptz at time zone ${input.timeZone})::date`
  await trx
    .deleteFrom('usage_rollup_daily')
    .where('team_id', '=', input.teamId)
    .where('day', '>=', firstDay)
    .where('day', '<', lastDay)
    .execute()
  const result = await sql`
    insert into usage_rollup_daily (
      team_id, day, model, provider, prompt_id, user_id, api_key_id, feature, status, cost_center_id,
      runs, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens,
      cost_usd, latency_ms_sum, unpriced_runs
    )
    select team_id, (occurred_at at time zone ${input.timeZone})::date, model, provider, prompt_id, user_id,
           api_key_id, feature, status, cost_center_id, count(*), sum(input_tokens), sum(output_tokens), sum(cached_input_tokens),
           sum(cache_write_tokens), sum(reasoning_tokens), sum(cost_usd), coalesce(sum(latency_ms), 0),
           count(*) filter (where not priced)
    from token_usage_logs
    where team_id = ${input.teamId} and occurred_at >= ${input.start} and occurred_at < ${input.end}
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`.execute(trx)
  // The 15-minute rollup: local midnights are slot boundaries in every zone, so the window is whole slots.
  await trx
    .deleteFrom('usage_rollup_15min')
    .where('team_id', '=', input.teamId)
    .where('slot', '>=', input.start)
    .where('slot', '<', input.end)
    .execute()
  await sql`
    insert into usage_rollup_15min (
      team_id, slot, model, provider, prompt_id, user_id, api_key_id, feature, status, cost_center_id,
      runs, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens,
      cost_usd, latency_ms_sum, unpriced_runs
    )
    select team_id, date_bin('15 minutes', occurred_at, timestamptz '2000-01-01 00:00:00+00'), model, provider, prompt_id, user_id, api_key_id, feature, status,
           cost_center_id, count(*), sum(input_tokens), sum(output_tokens), sum(cached_input_tokens), sum(cache_write_tokens),
           sum(reasoning_tokens), sum(cost_usd), coalesce(sum(latency_ms), 0), count(*) filter (where not priced)
    from token_usage_logs
    where team_id = ${input.teamId} and occurred_at >= ${input.start} and occurred_at < ${input.end}
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`.execute(trx)
  return Number(result.numAffectedRows ?? 0n)
}

export interface DailyUsage {
  day: string
  costUsd: string
  inputTokens: string
  outputTokens: string
  runs: string
}

/** Cost, tokens and runs per local day (the rollup's days) for a team over [fromDay, toDay], from the (team, day) rollup. */
export async function dailyUsage(db: Executor, teamId: string, fromDay: string, toDay: string): Promise<DailyUsage[]> {
  const rows = await db
    .selectFrom('usage_daily_team')
    .select((eb) => [
      'day',
      eb.fn.sum<string>('cost_usd').as('costUsd'),
      eb.fn.sum<string>('input_tokens').as('inputTokens'),
      eb.fn.sum<string>('output_tokens').as('outputTokens'),
      eb.fn.sum<string>('runs').as('runs'),
    ])
    .where('team_id', '=', teamId)
    .where('day', '>=', fromDay)
    .where('day', '<=', toDay)
    .groupBy('day')
    .orderBy('day')
    .execute()
  return rows
}

/** Exact totals straight from the raw rows, for checks that the rollup agrees. */
export async function rawUsageTotals(db: Executor, teamId: string, start: Date, end: Date) {
  return db
    .selectFrom('token_usage_logs')
    .select((eb) => [
      eb.fn.coalesce(eb.fn.sum<string>('cost_usd'), sql<string>`0`).as('costUsd'),
      eb.fn.countAll<string>().as('runs'),
      eb.fn.coalesce(eb.fn.sum<string>('input_tokens'), sql<string>`0`).as('inputTokens'),
      eb.fn.coalesce(eb.fn.sum<string>('output_tokens'), sql<string>`0`).as('outputTokens'),
    ])
    .where('team_id', '=', teamId)
    .where('occurred_at', '>=', start)
    .where('occurred_at', '<', end)
    .executeTakeFirstOrThrow()
}

export async function countUsageRows(db: Executor, teamId: string): Promise<number> {
  const row = await db
    .selectFrom('token_usage_logs')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('team_id', '=', teamId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
