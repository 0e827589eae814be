import { sql, type ExpressionBuilder, type Kysely, type SelectQueryBuilder } from 'kysely'
import type { Db } from '../client'
import type { Database, UsageFeature, UsageStatus } from '../schema'

type Executor = Db

export interface UsageFilters {
  model?: string[]
  provider?: string[]
  promptId?: string[]
  userId?: string[]
  apiKeyId?: string[]
  feature?: UsageFeature[]
  status?: UsageStatus[]
  /** `key:value` tag filters, all of which a row must carry. The rollups keep no tags: these read the raw log. */
  tag?: string[]
}

export type GroupBy =
  'hour' | 'day' | 'week' | 'month' | 'model' | 'provider' | 'prompt' | 'user' | 'apiKey' | 'feature' | 'status' | 'tag'

/** `{ "key": "value" }` as jsonb text, for `tags @> …` (split at the first colon, as core's parseTagFilter). */
function tagContains(filter: string): string {
  const at = filter.indexOf(':')
  return JSON.stringify({ [filter.slice(0, at)]: filter.slice(at + 1) })
}

export interface Totals {
  costUsd: string
  runs: string
  errors: string
  inputTokens: string
  outputTokens: string
  cachedInputTokens: string
  cacheWriteTokens: string
  reasoningTokens: string
  latencyMsSum: string
  unpricedRuns: string
}

type RollupTable = 'usage_rollup_daily' | 'usage_rollup_15min' | NarrowTable

function applyFilters<T extends RollupTable | 'token_usage_logs', O>(
  query: SelectQueryBuilder<Database, T, O>,
  filters: UsageFilters,
): SelectQueryBuilder<Database, T, O> {
  // The same dimension names exist on the rollups and the raw log.
  let q = query as unknown as SelectQueryBuilder<Database, 'usage_rollup_daily', O>
  if (filters.model?.length) q = q.where('model', 'in', filters.model)
  if (filters.provider?.length) q = q.where('provider', 'in', filters.provider)
  if (filters.promptId?.length) q = q.where('prompt_id', 'in', filters.promptId)
  if (filters.userId?.length) q = q.where('user_id', 'in', filters.userId)
  if (filters.apiKeyId?.length) q = q.where('api_key_id', 'in', filters.apiKeyId)
  if (filters.feature?.length) q = q.where('feature', 'in', filters.feature)
  if (filters.status?.length) q = q.where('status', 'in', filters.status)
  for (const tag of filters.tag ?? []) q = q.where(sql<boolean>`tags @> ${tagContains(tag)}::jsonb`)
  return q as unknown as SelectQueryBuilder<Database, T, O>
}

/** A dimension column of the rollups (and the raw log). */
type Dimension = 'model' | 'provider' | 'prompt_id' | 'user_id' | 'api_key_id' | 'feature' | 'status' | 'cost_center_id'
/** What a query filters or groups by: a rollup dimension, or the tags (only the raw log has them). */
type QueryDimension = Dimension | 'tags'

const FILTER_COLUMNS: Record<Exclude<keyof UsageFilters, 'tag'>, Dimension> = {
  model: 'model',
  provider: 'provider',
  promptId: 'prompt_id',
  userId: 'user_id',
  apiKeyId: 'api_key_id',
  feature: 'feature',
  status: 'status',
}

type NarrowTable = 'usage_daily_team' | 'usage_daily_model' | 'usage_daily_prompt' | 'usage_daily_user'
/** The narrow daily rollups (migration 2026-12-03T1300_narrow_rollups) and the one dimension each keeps. */
const NARROW: { table: NarrowTable; dimension: Dimension | null }[] = [
  { table: 'usage_daily_team', dimension: null },
  { table: 'usage_daily_model', dimension: 'model' },
  { table: 'usage_daily_prompt', dimension: 'prompt_id' },
  { table: 'usage_daily_user', dimension: 'user_id' },
]

/**
 * The table that answers a local-day query: the narrowest daily rollup holding every dimension it filters or
 * groups by — (team, day), or (team, day) and one of model, prompt, member — else the wide daily rollup. All
 * agree exactly (the narrow ones are sums of the wide one, kept by triggers in the same transaction).
 */
function dailyTable(filters: UsageFilters, dimensions: QueryDimension[]): RollupTable {
  const needed = new Set(dimensions)
  // Only the filters' own fields: callers may pass their whole input (range, groupBy…) as the filters.
  for (const name of Object.keys(FILTER_COLUMNS) as (keyof typeof FILTER_COLUMNS)[]) {
    if (filters[name]?.length) needed.add(FILTER_COLUMNS[name])
  }
  if (needed.size > 1) return 'usage_rollup_daily'
  const [only = null] = needed
  return NARROW.find((n) => n.dimension === only)?.table ?? 'usage_rollup_daily'
}

const isNarrow = (table: RollupTable) => table.startsWith('usage_daily_')

/** Sums of runs and cost by status: columns of their own on the narrow rollups, filtered sums on the wide ones. */
function byStatus(table: RollupTable) {
  return isNarrow(table)
    ? {
        errors: sql<string>`coalesce(sum(error_runs), 0)`,
        okRuns: sql<string>`coalesce(sum(ok_runs), 0)`,
        okCost: sql<string>`coalesce(sum(ok_cost_usd), 0)`,
      }
    : {
        errors: sql<string>`coalesce(sum(runs) filter (where status = 'error'), 0)`,
        okRuns: sql<string>`coalesce(sum(runs) filter (where status = 'ok'), 0)`,
        okCost: sql<string>`coalesce(sum(cost_usd) filter (where status = 'ok'), 0)`,
      }
}

const sums = (table: RollupTable) => (eb: ExpressionBuilder<Database, 'usage_rollup_daily'>) => [
  sql<string>`coalesce(sum(cost_usd), 0)`.as('costUsd'),
  sql<string>`coalesce(sum(runs), 0)`.as('runs'),
  byStatus(table).errors.as('errors'),
  sql<string>`coalesce(sum(input_tokens), 0)`.as('inputTokens'),
  sql<string>`coalesce(sum(output_tokens), 0)`.as('outputTokens'),
  sql<string>`coalesce(sum(cached_input_tokens), 0)`.as('cachedInputTokens'),
  sql<string>`coalesce(sum(cache_write_tokens), 0)`.as('cacheWriteTokens'),
  sql<string>`coalesce(sum(reasoning_tokens), 0)`.as('reasoningTokens'),
  sql<string>`coalesce(sum(latency_ms_sum), 0)`.as('latencyMsSum'),
  sql<string>`coalesce(sum(unpriced_runs), 0)`.as('unpricedRuns'),
  eb.val(1).as('_'),
]

/**
 * A local-day range [fromDay, toDay] of the daily rollups, or an instant range [from, to) of the 15-minute one
 * (whose bounds must be slot boundaries, e.g. local midnights).
 */
export type Range = { kind: 'days'; fromDay: string; toDay: string } | { kind: 'slots'; from: Date; to: Date }

/**
 * The raw log shaped like a rollup (one run per row, the day in the team's zone), for what the rollups cannot
 * answer: tag filters and tag groups. Same columns, so every query below reads either.
 */
function raw(db: Executor, teamId: string, range: Range) {
  const zone = sql`(select time_zone from teams where id = ${teamId}::uuid)`
  let q = db.selectFrom('token_usage_logs').where('team_id', '=', teamId)
  q =
    range.kind === 'days'
      ? q
          .where('occurred_at', '>=', sql<Date>`(${range.fromDay}::date)::timestamp at time zone ${zone}`)
          .where('occurred_at', '<', sql<Date>`(${range.toDay}::date + 1)::timestamp at time zone ${zone}`)
      : q.where('occurred_at', '>=', range.from).where('occurred_at', '<', range.to)
  const sub = q.select([
    'team_id',
    'model',
    'provider',
    'prompt_id',
    'user_id',
    'api_key_id',
    'feature',
    'status',
    'cost_center_id',
    'tags',
    sql<string>`(occurred_at at time zone ${zone})::date`.as('day'),
    sql<Date>`occurred_at`.as('slot'),
    sql<string>`1::bigint`.as('runs'),
    'input_tokens',
    'output_tokens',
    'cached_input_tokens',
    'cache_write_tokens',
    'reasoning_tokens',
    'cost_usd',
    sql<string>`coalesce(latency_ms, 0)::bigint`.as('latency_ms_sum'),
    sql<string>`(case when priced then 0 else 1 end)::bigint`.as('unpriced_runs'),
  ])
  return db.selectFrom(sub.as('usage_rollup_daily')) as unknown as ReturnType<typeof daily>
}

/** True when a query needs the raw log (tags are not in the rollups). */
const needsRaw = (filters: UsageFilters, dimensions: QueryDimension[]) =>
  Boolean(filters.tag?.length) || dimensions.includes('tags')

/**
 * The rows of the rollup that answers a query over `range` with these filters, grouped by `dimensions`: the
 * query (filters applied) and the table, whose sums to use (`sums(table)`, `byStatus(table)`). Tag filters and tag
 * groups read the raw log, shaped like the wide daily rollup.
 */
function base(db: Executor, teamId: string, range: Range, filters: UsageFilters, dimensions: QueryDimension[]) {
  if (needsRaw(filters, dimensions))
    return { query: applyFilters(raw(db, teamId, range), filters), table: 'usage_rollup_daily' as RollupTable }
  if (range.kind === 'days') {
    const table = dailyTable(filters, dimensions)
    const query = (db as unknown as Kysely<Pick<Database, 'usage_rollup_daily'>>)
      .selectFrom(table as 'usage_rollup_daily')
      .where('team_id', '=', teamId)
      .where('day', '>=', range.fromDay)
      .where('day', '<=', range.toDay)
    return { query: applyFilters(query, filters), table }
  }
  const query = db
    .selectFrom('usage_rollup_15min')
    .where('team_id', '=', teamId)
    .where('slot', '>=', range.from)
    .where('slot', '<', range.to) as unknown as ReturnType<typeof daily>
  return { query: applyFilters(query, filters), table: 'usage_rollup_15min' as RollupTable }
}
const daily = (db: Executor) => db.selectFrom('usage_rollup_daily')

export async function totals(db: Executor, teamId: string, range: Range, filters: UsageFilters): Promise<Totals> {
  const { query, table } = base(db, teamId, range, filters, [])
  const row = await query.select(sums(table)).executeTakeFirstOrThrow()
  const { _: _unused, ...rest } = row
  return rest
}

export interface Group extends Totals {
  key: string | null
}

const groupExpr: Record<Exclude<GroupBy, 'hour' | 'tag'>, ReturnType<typeof sql<string>>> = {
  day: sql<string>`to_char(day, 'YYYY-MM-DD')`,
  week: sql<string>`to_char(date_trunc('week', day), 'YYYY-MM-DD')`,
  month: sql<string>`to_char(date_trunc('month', day), 'YYYY-MM')`,
  model: sql<string>`model`,
  provider: sql<string>`provider`,
  prompt: sql<string>`prompt_id::text`,
  user: sql<string>`user_id::text`,
  apiKey: sql<string>`api_key_id::text`,
  feature: sql<string>`feature`,
  status: sql<string>`status`,
}

/** The dimension a non-time grouping reads. */
const GROUP_DIMENSION = {
  model: 'model',
  provider: 'provider',
  prompt: 'prompt_id',
  user: 'user_id',
  apiKey: 'api_key_id',
  feature: 'feature',
  status: 'status',
} as const satisfies Partial<Record<GroupBy, Dimension>>

/** Totals per group. Time groups come back in time order; the others by cost, largest first. */
export async function grouped(
  db: Executor,
  teamId: string,
  range: Range,
  filters: UsageFilters,
  groupBy: GroupBy,
  options: { timeZone: string; limit?: number; tagKey?: string } = { timeZone: 'UTC' },
): Promise<Group[]> {
  const key =
    groupBy === 'hour'
      ? sql<string>`to_char(slot at time zone ${options.timeZone}, 'YYYY-MM-DD"T"HH24:00')`
      : groupBy === 'tag'
        ? sql<string>`tags ->> ${options.tagKey ?? ''}::text`
        : groupExpr[groupBy]
  const timeOrdered = groupBy === 'hour' || groupBy === 'day' || groupBy === 'week' || groupBy === 'month'
  const { query: source, table } = base(
    db,
    teamId,
    range,
    filters,
    groupBy === 'tag'
      ? ['tags']
      : groupBy in GROUP_DIMENSION
        ? [GROUP_DIMENSION[groupBy as keyof typeof GROUP_DIMENSION]]
        : [],
  )
  let query = source.select((eb) => [key.as('key'), ...sums(table)(eb)]).groupBy(sql`1`)
  query = timeOrdered ? query.orderBy(sql`1`) : query.orderBy(sql`2`, 'desc').orderBy(sql`1`)
  if (options.limit) query = query.limit(options.limit)
  const rows = await query.execute()
  return rows.map(({ _: _unused, ...rest }) => rest)
}

export interface PromptStats extends Totals {
  promptId: string
  name: string | null
  okRuns: string
}

/** Per-prompt totals over a day range, with the count of successful runs (for cost per successful run). */
export async function promptStats(
  db: Executor,
  teamId: string,
  range: Range,
  filters: UsageFilters,
): Promise<PromptStats[]> {
  const { query, table } = base(db, teamId, range, filters, ['prompt_id'])
  const rows = await query
    .where('prompt_id', 'is not', null)
    .select((eb) => [
      sql<string>`prompt_id::text`.as('promptId'),
      byStatus(table).okRuns.as('okRuns'),
      ...sums(table)(eb),
    ])
    .groupBy('prompt_id')
    .execute()
  const ids = rows.map((r) => r.promptId)
  const names = ids.length
    ? new Map(
        (
          await db
            .selectFrom('prompts')
            .select(['id', 'name'])
            .where('team_id', '=', teamId)
            .where('id', 'in', ids)
            .execute()
        ).map((p) => [p.id, p.name]),
      )
    : new Map<string, string>()
  return rows.map(({ _: _unused, ...r }) => ({ ...r, name: names.get(r.promptId) ?? null }))
}

/** The columns of a usage row that history lists (the detail view adds the rest). */
const HISTORY_COLUMNS = [
  'id',
  'occurred_at as occurredAt',
  'model',
  'provider',
  'prompt_id as promptId',
  'user_id as userId',
  'api_key_id as apiKeyId',
  'feature',
  'status',
  'input_tokens as inputTokens',
  'output_tokens as outputTokens',
  'cached_input_tokens as cachedInputTokens',
  'cache_write_tokens as cacheWriteTokens',
  'reasoning_tokens as reasoningTokens',
  'cost_usd as costUsd',
  'priced',
  'latency_ms as latencyMs',
  'audio_input_tokens as audioInputTokens',
  'image_input_tokens as imageInputTokens',
  'service_tier as serviceTier',
  'batch',
  'tool_calls as toolCalls',
  'price_version as priceVersion',
  'unpriced_reason as unpricedReason',
  'tags',
] as const

export interface HistoryCursor {
  sort: 'occurredAt' | 'costUsd'
  value: string
  id: string
}

export interface HistoryRow {
  id: string
  occurredAt: Date
  model: string
  provider: string
  promptId: string | null
  userId: string | null
  apiKeyId: string | null
  feature: string
  status: string
  inputTokens: number
  outputTokens: number
  cachedInputTokens: number
  cacheWriteTokens: number
  reasoningTokens: number
  costUsd: string
  priced: boolean
  latencyMs: number | null
  audioInputTokens: number
  imageInputTokens: number
  serviceTier: 'default' | 'flex' | 'priority' | null
  batch: boolean
  toolCalls: Record<string, number>
  priceVersion: string | null
  unpricedReason: string | null
  tags: Record<string, string>
}

/**
 * Raw usage rows over [from, to), newest (or costliest) first, with keyset pagination: a page ends with a
 * cursor for the next one, so deep pages cost the same as the first.
 */
export async function history(
  db: Executor,
  teamId: string,
  input: {
    from: Date
    to: Date
    filters: UsageFilters
    sort: 'occurredAt' | 'costUsd'
    direction: 'asc' | 'desc'
    limit: number
    cursor?: HistoryCursor | null
  },
): Promise<{ rows: HistoryRow[]; next: HistoryCursor | null }> {
  const column = input.sort === 'occurredAt' ? sql.ref('occurred_at') : sql.ref('cost_usd')
  const cmp = sql.raw(input.direction === 'desc' ? '<' : '>')
  let query = applyFilters(
    db
      .selectFrom('token_usage_logs')
      .select(HISTORY_COLUMNS)
      .where('team_id', '=', teamId)
      .where('occurred_at', '>=', input.from)
      .where('occurred_at', '<', input.to),
    input.filters,
  )
  if (input.cursor) {
    const value =
      input.sort === 'occurredAt'
        ? sql`${new Date(input.cursor.value)}::timestamptz`
        : sql`${input.cursor.value}::numeric`
    query = query.where(sql<boolean>`(${column}, id) ${cmp} (${value}, ${input.cursor.id}::uuid)`)
  }
  const rows = await query
    .orderBy(column, input.direction)
    .orderBy('id', input.direction)
    .limit(input.limit + 1)
    .execute()
  const page = rows.slice(0, input.limit)
  const last = page[page.length - 1]
  const next =
    rows.length > input.limit && last
      ? {
          sort: input.sort,
          value: input.sort === 'occurredAt' ? last.occurredAt.toISOString() : last.costUsd,
          id: last.id,
        }
      : null
  return { rows: page, next }
}

export interface UsageRowDetail extends HistoryRow {
  recordedAt: Date
  resolvedModel: string | null
  idempotencyKey: string | null
  reservationId: string | null
  costCenterId: string | null
  metadata: Record<string, unknown>
}

/** One usage row of the team, with every field; undefined when the team has no such row. */
export async function usageRow(db: Executor, teamId: string, id: string): Promise<UsageRowDetail | undefined> {
  return db
    .selectFrom('token_usage_logs')
    .select([
      ...HISTORY_COLUMNS,
      'recorded_at as recordedAt',
      'resolved_model as resolvedModel',
      'idempotency_key as idempotencyKey',
      'reservation_id as reservationId',
      'cost_center_id as costCenterId',
      'metadata',
    ])
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .executeTakeFirst()
}

/** The tag keys the range's rows carry, by name (at most 50). */
export async function tagKeys(db: Executor, teamId: string, range: Range, filters: UsageFilters): Promise<string[]> {
  const rows = await applyFilters(raw(db, teamId, range), filters)
    .where(sql<boolean>`tags <> '{}'::jsonb`)
    .select(sql<string>`jsonb_object_keys(tags)`.as('key'))
    .distinct()
    .orderBy('key')
    .limit(50)
    .execute()
  return rows.map((r) => r.key)
}

export interface TagPairGroup extends Totals {
  tag: string
}

/** Totals per `key:value` tag pair (a row with several tags counts under each), largest cost first. */
export async function tagPairs(
  db: Executor,
  teamId: string,
  range: Range,
  filters: UsageFilters,
  limit = 200,
): Promise<TagPairGroup[]> {
  const rows = await applyFilters(raw(db, teamId, range), filters)
    .innerJoin(sql<{ key: string; value: string }>`lateral jsonb_each_text(tags)`.as('t'), (join) => join.onTrue())
    .select((eb) => [
      sql<string>`t.key || ':' || t.value`.as('tag'),
      ...sums('usage_rollup_daily')(eb as unknown as ExpressionBuilder<Database, 'usage_rollup_daily'>),
    ])
    .groupBy(sql`1`)
    .orderBy(sql`2`, 'desc')
    .orderBy(sql`1`)
    .limit(limit)
    .execute()
  return rows.map(({ _: _unused, ...rest }) => rest)
}

/** Totals by the dimensions cost allocation needs: the centre an event named, its prompt, key and member. */
export interface AllocationGroup extends Totals {
  costCenterId: string | null
  promptId: string | null
  apiKeyId: string | null
  userId: string | null
}

export async function allocationGroups(
  db: Executor,
  teamId: string,
  range: Range,
  filters: UsageFilters,
): Promise<AllocationGroup[]> {
  const { query, table } = base(db, teamId, range, filters, ['cost_center_id', 'prompt_id', 'api_key_id', 'user_id'])
  const rows = await query
    .select((eb) => [
      sql<string | null>`cost_center_id::text`.as('costCenterId'),
      sql<string | null>`prompt_id::text`.as('promptId'),
      sql<string | null>`api_key_id::text`.as('apiKeyId'),
      sql<string | null>`user_id::text`.as('userId'),
      ...sums(table)(eb),
    ])
    .groupBy(sql`1, 2, 3, 4`)
    .execute()
  return rows.map(({ _: _unused, ...rest }) => rest)
}

export interface MemberModelStats extends Totals {
  userId: string | null
  model: string
  okRuns: string
  okCostUsd: string
}

/** Totals per (member, model) with successful runs and their cost (team usage: cost per successful run, top model). */
export async function memberModelStats(
  db: Executor,
  teamId: string,
  range: Range,
  filters: UsageFilters,
): Promise<MemberModelStats[]> {
  const { query, table } = base(db, teamId, range, filters, ['user_id', 'model'])
  const rows = await query
    .select((eb) => [
      sql<string | null>`user_id::text`.as('userId'),
      sql<string>`model`.as('model'),
      byStatus(table).okRuns.as('okRuns'),
      byStatus(table).okCost.as('okCostUsd'),
      ...sums(table)(eb),
    ])
    .groupBy(sql`1, 2`)
    .execute()
  return rows.map(({ _: _unused, ...rest }) => rest)
}

/** Cost per member per local day (the comparison chart), for these members. */
export async function memberDailyCost(
  db: Executor,
  teamId: string,
  range: Extract<Range, { kind: 'days' }>,
  filters: UsageFilters,
  userIds: string[],
) {
  if (userIds.length === 0) return []
  return base(db, teamId, range, filters, ['user_id'])
    .query.where('user_id', 'in', userIds)
    .select([
      sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'),
      sql<string>`user_id::text`.as('userId'),
      sql<string>`coalesce(sum(cost_usd), 0)`.as('costUsd'),
    ])
    .groupBy(sql`1, 2`)
    .orderBy(sql`1`)
    .execute()
}
