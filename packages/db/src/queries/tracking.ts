import { sql } from 'kysely'
import type { Db } from '../client'
import type { UsageFeature, UsageStatus } from '../schema'

/** A Kysely instance or a transaction. */
type Executor = Db

/**
 * Claims idempotency keys for new usage rows. Returns the keys this call claimed; the others were
 * claimed before (or by a concurrent call, which this one waited for) and are duplicates.
 */
export async function claimIdempotencyKeys(
  db: Executor,
  teamId: string,
  claims: { key: string; usageLogId: string; occurredAt: Date; requestHash: string }[],
): Promise<Set<string>> {
  if (claims.length === 0) return new Set()
  const rows = await db
    .insertInto('usage_idempotency_keys')
    .values(
      claims.map((c) => ({
        team_id: teamId,
        idempotency_key: c.key,
        usage_log_id: c.usageLogId,
        occurred_at: c.occurredAt,
        request_hash: c.requestHash,
      })),
    )
    .onConflict((oc) => oc.columns(['team_id', 'idempotency_key']).doNothing())
    .returning('idempotency_key')
    .execute()
  return new Set(rows.map((r) => r.idempotency_key))
}

export interface RecordedUsage {
  idempotencyKey: string | null
  id: string
  costUsd: string
  priced: boolean
  requestHash: string | null
}

/** The rows already recorded under these keys (for answering retries with the first result). */
export async function findUsageByKeys(db: Executor, teamId: string, keys: string[]): Promise<RecordedUsage[]> {
  if (keys.length === 0) return []
  return db
    .selectFrom('usage_idempotency_keys as k')
    .innerJoin('token_usage_logs as l', (join) =>
      join
        .onRef('l.team_id', '=', 'k.team_id')
        .onRef('l.occurred_at', '=', 'k.occurred_at')
        .onRef('l.id', '=', 'k.usage_log_id'),
    )
    .select([
      'k.idempotency_key as idempotencyKey',
      'l.id',
      'l.cost_usd as costUsd',
      'l.priced',
      'k.request_hash as requestHash',
    ])
    .where('k.team_id', '=', teamId)
    .where('k.idempotency_key', 'in', keys)
    .execute()
}

export interface RollupDelta {
  teamId: string
  /** A local day (YYYY-MM-DD) for the daily rollup, or a 15-minute slot start (Date) for the other. */
  bucket: string | Date
  model: string
  provider: string
  promptId: string | null
  userId: string | null
  apiKeyId: string | null
  feature: UsageFeature
  status: UsageStatus
  /** The cost centre the events named (null: none). */
  costCenterId: string | null
  runs: number
  inputTokens: bigint
  outputTokens: bigint
  cachedInputTokens: bigint
  cacheWriteTokens: bigint
  reasoningTokens: bigint
  /** Exact decimal USD. */
  costUsd: string
  latencyMsSum: bigint
  unpricedRuns: number
}

/**
 * Adds deltas to the daily or 15-minute rollup in one statement. Callers pass deltas sorted by key so that
 * concurrent batches lock rollup rows in the same order (no deadlocks).
 */
export async function addToRollup(db: Executor, table: 'daily' | '15min', deltas: RollupDelta[]): Promise<void> {
  if (deltas.length === 0) return
  const bucketColumn = table === 'daily' ? sql.raw('day') : sql.raw('slot')
  const tableName = sql.raw(table === 'daily' ? 'usage_rollup_daily' : 'usage_rollup_15min')
  const values = deltas.map(
    (d) => sql`(${d.teamId}::uuid, ${table === 'daily' ? sql`${d.bucket}::date` : sql`${d.bucket}::timestamptz`},
      ${d.model}, ${d.provider}, ${d.promptId}::uuid, ${d.userId}::uuid, ${d.apiKeyId}::uuid, ${d.feature}, ${d.status}, ${d.costCenterId}::uuid,
      ${d.runs}::bigint, ${d.inputTokens.toString()}::bigint, ${d.outputTokens.toString()}::bigint,
      ${d.cachedInputTokens.toString()}::bigint, ${d.cacheWriteTokens.toString()}::bigint,
      ${d.reasoningTokens.toString()}::bigint, ${d.costUsd}::numeric, ${d.latencyMsSum.toString()}::bigint,
      ${d.unpricedRuns}::bigint)`,
  )
  await sql`
    insert into ${tableName} as r (
      team_id, ${bucketColumn}, model, provider, prompt_id, user_id, api_key_id, feature, status, cost_center_id,
      runs, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens,
      cost_usd, latency_ms_sum, unpriced_runs
    ) values ${sql.join(values)}
    on conflict (team_id, ${bucketColumn}, model, provider, prompt_id, user_id, api_key_id, feature, status, cost_center_id) do update set
      runs = r.runs + excluded.runs,
      input_tokens = r.input_tokens + excluded.input_tokens,
      output_tokens = r.output_tokens + excluded.output_tokens,
      cached_input_tokens = r.cached_input_tokens + excluded.cached_input_tokens,
      cache_write_tokens = r.cache_write_tokens + excluded.cache_write_tokens,
      reasoning_tokens = r.reasoning_tokens + excluded.reasoning_tokens,
      cost_usd = r.cost_usd + excluded.cost_usd,
      latency_ms_sum = r.latency_ms_sum + excluded.latency_ms_sum,
      unpriced_runs = r.unpriced_runs + excluded.unpriced_runs,
      updated_at = now()`.execute(db)
}

/** Which of these prompt ids belong to the team. */
export async function teamPromptIds(db: Executor, teamId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const rows = await db
    .selectFrom('prompts')
    .select('id')
    .where('team_id', '=', teamId)
    .where('id', 'in', ids)
    .execute()
  return new Set(rows.map((r) => r.id))
}

/** Which of these user ids are members of the team. */
export async function teamMemberIds(db: Executor, teamId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const rows = await db
    .selectFrom('team_members')
    .select('user_id')
    .where('team_id', '=', teamId)
    .where('user_id', 'in', ids)
    .execute()
  return new Set(rows.map((r) => r.user_id))
}

/**
 * Every usage row of a team (or all teams) in [start, end), oldest first, a page at a time — for re-pricing a
 * window. Carries what pricing needs and what the row was charged.
 */
export async function listUsageForRepricing(
  db: Executor,
  options: {
    teamId?: string
    start: Date
    end: Date
    limit: number
    after?: { occurredAt: Date; id: string } | null
    unpricedOnly?: boolean
  },
) {
  let query = db
    .selectFrom('token_usage_logs')
    .select([
      'id',
      'team_id',
      'occurred_at',
      'model',
      'provider',
      'input_tokens',
      'output_tokens',
      'cached_input_tokens',
      'cache_write_tokens',
      'reasoning_tokens',
      'audio_input_tokens',
      'image_input_tokens',
      'service_tier',
      'batch',
      'tool_calls',
      'metadata',
      'priced',
      'price_version',
      'resolved_model',
      'cost_usd',
    ])
    .where('occurred_at', '>=', options.start)
    .where('occurred_at', '<', options.end)
    .orderBy('occurred_at')
    .orderBy('id')
    .limit(options.limit)
  if (options.teamId) query = query.where('team_id', '=', options.teamId)
  if (options.unpricedOnly) query = query.where('priced', '=', false)
  if (options.after)
    query = query.where(sql<boolean>`(occurred_at, id) > (${options.after.occurredAt}, ${options.after.id}::uuid)`)
  return query.execute()
}

/** Sets a row's price (or marks it unpriced with the reason), whatever it was before. */
export async function updateUsagePrice(
  db: Executor,
  row: { teamId: string; occurredAt: Date; id: string },
  price: {
    priced: boolean
    resolvedModel: string | null
    priceVersion: string | null
    costUsd: string
    unpricedReason: string | null
  },
): Promise<void> {
  await db
    .updateTable('token_usage_logs')
    .set({
      priced: price.priced,
      resolved_model: price.resolvedModel,
      price_version: price.priceVersion,
      cost_usd: price.costUsd,
      unpriced_reason: price.unpricedReason,
    })
    .where('team_id', '=', row.teamId)
    .where('occurred_at', '=', row.occurredAt)
    .where('id', '=', row.id)
    .execute()
}

export interface UnpricedModel {
  model: string
  rows: string
  firstSeen: Date
  lastSeen: Date
}

/** The models a team sent that have no price, with how many rows wait for one (the partial index on unpriced rows). */
export async function unpricedModels(db: Executor, teamId: string, limit = 50): Promise<UnpricedModel[]> {
  return db
    .selectFrom('token_usage_logs')
    .select([
      'model',
      sql<string>`count(*)::text`.as('rows'),
      sql<Date>`min(occurred_at)`.as('firstSeen'),
      sql<Date>`max(occurred_at)`.as('lastSeen'),
    ])
    .where('team_id', '=', teamId)
    .where('priced', '=', false)
    .groupBy('model')
    .orderBy(sql`count(*)`, 'desc')
    .orderBy('model')
    .limit(limit)
    .execute()
}
