import {
  isoDaySchema,
  localDayOf,
  previousRange,
  rangeInstants,
  refineFromBeforeTo,
  resolveDayRange,
  type DayRange,
  usageFeatureSchema,
  usageStatusSchema,
  tagFilterSchema,
  AppError,
  calculateCost,
  nanoToUsd,
  usdToNano,
  type PricingContext,
} from '@costwise/core'
import { analytics, costCenters, recommendations, type Db } from '@costwise/db'
import { z } from 'zod'
import type { TeamScope } from '../trpc'
import { allocateUsage, linesAsTotals } from './cost-centers'
import { teamPricing } from './pricing'

/** A query-string list: `a,b,c` or an array, at most `max` items (50 unless said). */
export const commaList = <T extends z.ZodType>(item: T, max = 50) =>
  z
    .preprocess(
      (v) =>
        typeof v === 'string'
          ? v
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
          : v,
      z.array(item).max(max),
    )
    .optional()

/**
 * A whole number that arrives as a JSON number (tRPC, JSON bodies) or as decimal digits in a query string
 * (REST GET). Nothing else becomes a number: not "0x10", "1e3", " 5", "", true, null or [5].
 */
export const queryInt = (schema: z.ZodNumber) =>
  z.preprocess((v) => (typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : v), schema)

export const filterFields = {
  model: commaList(z.string().min(1).max(200)),
  provider: commaList(z.string().min(1).max(50)),
  promptId: commaList(z.uuid('promptId must be a UUID')),
  userId: commaList(z.uuid('userId must be a UUID')),
  apiKeyId: commaList(z.uuid('apiKeyId must be a UUID')),
  feature: commaList(usageFeatureSchema),
  status: commaList(usageStatusSchema),
  /** `key:value` tags a row must all carry, e.g. `env:prod,customer:acme`. */
  tag: commaList(tagFilterSchema, 10),
}
export const filtersSchema = z.object(filterFields)

export const rangeFields = {
  /** First local day (YYYY-MM-DD, the team's time zone), inclusive. Default: 29 days before `to`. */
  from: isoDaySchema.optional(),
  /** Last local day, inclusive. Default: today. */
  to: isoDaySchema.optional(),
}

export const rangeSchema = z.object(rangeFields).superRefine(refineFromBeforeTo)

export const groupBySchema = z.enum([
  'hour',
  'day',
  'week',
  'month',
  'model',
  'provider',
  'prompt',
  'user',
  'apiKey',
  'feature',
  'status',
  'costCenter',
])

export const statsInputSchema = z
  .object({ ...rangeFields, ...filterFields, groupBy: groupBySchema.default('day') })
  .superRefine(refineFromBeforeTo)

const totalsSchema = z.object({
  costUsd: z.string(),
  runs: z.number(),
  errors: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cachedInputTokens: z.number(),
  reasoningTokens: z.number(),
  avgCostPerRunUsd: z.string(),
  avgLatencyMs: z.number().nullable(),
  unpricedRuns: z.number(),
})
export const statsOutputSchema = z.object({
  timeZone: z.string(),
  from: z.string(),
  to: z.string(),
  groupBy: groupBySchema,
  totals: totalsSchema,
  previous: totalsSchema.extend({ from: z.string(), to: z.string() }),
  groups: z.array(totalsSchema.extend({ key: z.string().nullable() })),
})
export type StatsOutput = z.infer<typeof statsOutputSchema>

const MAX_HOURLY_DAYS = 31

/** Resolves a [from, to] local-day range in the team's zone by core's one rule (default: the last 30 days). */
export function resolveRange(input: { from?: string; to?: string }, timeZone: string, now = new Date()) {
  return resolveDayRange(input, localDayOf(timeZone, now))
}

function toTotals(t: analytics.Totals) {
  const runs = Number(t.runs)
  const cost = usdToNano(t.costUsd)
  return {
    costUsd: nanoToUsd(cost),
    runs,
    errors: Number(t.errors),
    inputTokens: Number(t.inputTokens),
    outputTokens: Number(t.outputTokens),
    cachedInputTokens: Number(t.cachedInputTokens),
    reasoningTokens: Number(t.reasoningTokens),
    avgCostPerRunUsd: nanoToUsd(runs > 0 ? cost / BigInt(runs) : 0n),
    avgLatencyMs: runs > 0 ? Math.round(Number(t.latencyMsSum) / runs) : null,
    unpricedRuns: Number(t.unpricedRuns),
  }
}

/** Dashboard figures from the rollups only: totals, the same span just before, and groups. */
export async function stats(
  db: Db,
  team: TeamScope,
  input: z.output<typeof statsInputSchema>,
  now = new Date(),
): Promise<StatsOutput> {
  const zone = team.timeZone
  const range = resolveRange(input, zone, now)
  const previous = previousRange(range)
  const filters: analytics.UsageFilters = input
  const days = (r: DayRange): analytics.Range => ({ kind: 'days', fromDay: r.from, toDay: r.to })
  let groupRange: analytics.Range = days(range)
  if (input.groupBy === 'hour') {
    if (range.days > MAX_HOURLY_DAYS) {
      throw new AppError(
        'BAD_INPUT',
        `groupBy: hourly groups cover at most ${MAX_HOURLY_DAYS} days; pick a shorter range or group by day.`,
        {
          field: 'groupBy',
        },
      )
    }
    const { start, end } = rangeInstants(range, zone)
    groupRange = { kind: 'slots', from: start, to: end }
  }
  const [current, before, groups] = await Promise.all([
    analytics.totals(db, team.id, days(range), filters),
    analytics.totals(db, team.id, days(previous), filters),
    input.groupBy === 'costCenter'
      ? costCenterGroups(db, team.id, days(range), filters)
      : analytics.grouped(db, team.id, groupRange, filters, input.groupBy, { timeZone: zone, limit: 1000 }),
  ])
  return {
    timeZone: zone,
    from: range.from,
    to: range.to,
    groupBy: input.groupBy,
    totals: toTotals(current),
    previous: { ...toTotals(before), from: previous.from, to: previous.to },
    groups: groups.map((g) => ({ key: g.key, ...toTotals(g) })),
  }
}

/**
 * Usage allocated to cost centres (core's rule: the event's centre, else the prompt's, the key's split, the
 * member's), keyed by the centre's code; "unallocated" is the null key. Largest cost first; the groups add up
 * to the totals exactly.
 */
async function costCenterGroups(
  db: Db,
  teamId: string,
  range: analytics.Range,
  filters: analytics.UsageFilters,
): Promise<analytics.Group[]> {
  const [lines, centers] = await Promise.all([
    allocateUsage(db, teamId, range, filters),
    costCenters.listCostCenters(db, teamId),
  ])
  const code = new Map(centers.map((c) => [c.id, c.code]))
  return [...linesAsTotals(lines)]
    .map(([id, totals]) => ({ key: id === null ? null : (code.get(id) ?? id), ...totals }))
    .sort((a, b) => {
      const d = usdToNano(b.costUsd) - usdToNano(a.costUsd)
      return d === 0n ? String(a.key).localeCompare(String(b.key)) : d > 0n ? 1 : -1
    })
}

export const topPromptsInputSchema = z
  .object({
    ...rangeFields,
    ...filterFields,
    sortBy: z.enum(['cost', 'runs', 'efficiency']).default('cost'),
    limit: queryInt(z.number().int().min(1).max(100)).default(10),
  })
  .superRefine(refineFromBeforeTo)

export const topPromptsOutputSchema = z.object({
  from: z.string(),
  to: z.string(),
  items: z.array(
    totalsSchema.extend({
      promptId: z.string(),
      name: z.string(),
      okRuns: z.number(),
      costPerSuccessfulRunUsd: z.string().nullable(),
      /** 0–100 over the last 30 days, from the latest recommendation refresh; null before one. */
      efficiencyScore: z.number().nullable(),
      efficiencyComponents: z.record(z.string(), z.number()).nullable(),
    }),
  ),
})
export type TopPromptsOutput = z.infer<typeof topPromptsOutputSchema>

/**
 * Prompts ranked by cost, runs or efficiency (cost per successful run, cheapest first), under every filter given,
 * each with its efficiency score (0–100, last 30 days, from the latest recommendation refresh; null before one).
 */
export async function topPrompts(
  db: Db,
  team: TeamScope,
  input: z.output<typeof topPromptsInputSchema>,
  now = new Date(),
): Promise<TopPromptsOutput> {
  const range = resolveRange(input, team.timeZone, now)
  const rows = await analytics.promptStats(db, team.id, { kind: 'days', fromDay: range.from, toDay: range.to }, input)
  const scores = new Map(
    (
      await recommendations.listScores(
        db,
        team.id,
        rows.map((r) => r.promptId),
      )
    ).map((s) => [s.promptId, s]),
  )
  const items = rows.map((r) => {
    const okRuns = Number(r.okRuns)
    const cost = usdToNano(r.costUsd)
    return {
      promptId: r.promptId,
      name: r.name ?? '(deleted prompt)',
      ...toTotals(r),
      okRuns,
      costPerSuccessfulRunUsd: okRuns > 0 ? nanoToUsd(cost / BigInt(okRuns)) : null,
      efficiencyScore: scores.get(r.promptId)?.score ?? null,
      efficiencyComponents: scores.get(r.promptId)?.components ?? null,
      _cost: cost,
      _eff: okRuns > 0 ? cost / BigInt(okRuns) : null,
    }
  })
  const cmp = {
    cost: (a: (typeof items)[number], b: (typeof items)[number]) =>
      a._cost === b._cost ? 0 : a._cost > b._cost ? -1 : 1,
    runs: (a: (typeof items)[number], b: (typeof items)[number]) => b.runs - a.runs,
    efficiency: (a: (typeof items)[number], b: (typeof items)[number]) =>
      a._eff === null ? 1 : b._eff === null ? -1 : a._eff === b._eff ? 0 : a._eff < b._eff ? -1 : 1,
  }[input.sortBy]
  return {
    from: range.from,
    to: range.to,
    items: items
      .sort(cmp)
      .slice(0, input.limit)
      .map(({ _cost, _eff, ...rest }) => rest),
  }
}

export const historyInputSchema = z
  .object({
    ...rangeFields,
    ...filterFields,
    sort: z.enum(['occurredAt', 'costUsd']).default('occurredAt'),
    direction: z.enum(['asc', 'desc']).default('desc'),
    limit: queryInt(z.number().int().min(1).max(500)).default(50),
    cursor: z.string().max(300).nullish(),
  })
  .superRefine(refineFromBeforeTo)

const cursorSchema = z.object({ sort: z.enum(['occurredAt', 'costUsd']), value: z.string(), id: z.uuid() })

function decodeCursor(cursor: string | null | undefined, sort: string) {
  if (!cursor) return null
  try {
    const parsed = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')))
    if (parsed.sort !== sort) throw new Error('sort changed')
    return parsed
  } catch {
    throw new AppError(
      'BAD_INPUT',
      'cursor: not a cursor from this listing (or the sort changed); start from the first page.',
      {
        field: 'cursor',
      },
    )
  }
}

const usd = z.string()
export const costBreakdownSchema = z.object({
  inputUsd: usd,
  cachedInputUsd: usd,
  cacheWriteUsd: usd,
  audioInputUsd: usd,
  imageInputUsd: usd,
  outputUsd: usd,
  reasoningUsd: usd,
  feesUsd: z.record(z.string(), usd),
  tierAboveInputTokens: z.number().nullable(),
  batch: z.boolean(),
})

/** One usage row as listings show it (history; usage.get's detail extends it). */
export const historyItemSchema = z.object({
  id: z.string(),
  occurredAt: z.string(),
  model: z.string(),
  provider: z.string(),
  promptId: z.string().nullable(),
  userId: z.string().nullable(),
  apiKeyId: z.string().nullable(),
  feature: z.string(),
  status: z.string(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cachedInputTokens: z.number(),
  cacheWriteTokens: z.number(),
  reasoningTokens: z.number(),
  audioInputTokens: z.number(),
  imageInputTokens: z.number(),
  costUsd: usd,
  priced: z.boolean(),
  latencyMs: z.number().nullable(),
  serviceTier: z.enum(['default', 'flex', 'priority']).nullable(),
  batch: z.boolean(),
  toolCalls: z.record(z.string(), z.number()),
  priceVersion: z.string().nullable(),
  unpricedReason: z.string().nullable(),
  tags: z.record(z.string(), z.string()),
  /** The cost by part, recomputed with the price version charged; null when unpriced or no longer derivable. */
  costBreakdown: costBreakdownSchema.nullable(),
})

export const historyOutputSchema = z.object({
  items: z.array(historyItemSchema),
  /** Pass it back as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
})
export type HistoryOutput = z.infer<typeof historyOutputSchema>

/** Raw usage rows, newest or costliest first, a page at a time. */
export async function usageHistory(
  db: Db,
  team: TeamScope,
  input: z.output<typeof historyInputSchema>,
  now = new Date(),
): Promise<HistoryOutput> {
  const range = resolveRange(input, team.timeZone, now)
  const { start, end } = rangeInstants(range, team.timeZone)
  const page = await analytics.history(db, team.id, {
    from: start,
    to: end,
    filters: input,
    sort: input.sort,
    direction: input.direction,
    limit: input.limit,
    cursor: decodeCursor(input.cursor, input.sort),
  })
  const pricing = page.rows.length ? await teamPricing(db, team.id) : {}
  return {
    items: page.rows.map((r) => ({
      ...r,
      occurredAt: r.occurredAt.toISOString(),
      costUsd: nanoToUsd(usdToNano(r.costUsd)),
      costBreakdown: costBreakdownOf(r, pricing),
    })),
    nextCursor: page.next ? Buffer.from(JSON.stringify(page.next)).toString('base64url') : null,
  }
}

/**
 * A recorded call's cost by part (input, cached, cache writes, audio, image, output, reasoning, per-call fees), in
 * USD, recomputed from its tokens with the price version it was charged. Null when the call is unpriced, or when
 * the prices in effect now no longer give that version (re-price to refresh it).
 */
export function costBreakdownOf(
  r: Pick<
    analytics.HistoryRow,
    | 'model'
    | 'occurredAt'
    | 'inputTokens'
    | 'outputTokens'
    | 'cachedInputTokens'
    | 'cacheWriteTokens'
    | 'reasoningTokens'
    | 'audioInputTokens'
    | 'imageInputTokens'
    | 'toolCalls'
    | 'batch'
    | 'serviceTier'
    | 'priced'
    | 'priceVersion'
    | 'costUsd'
  >,
  pricing: PricingContext,
) {
  if (!r.priced || !r.priceVersion) return null
  let cost
  try {
    cost = calculateCost(
      r.model,
      {
        inputTokens: r.inputTokens,
        outputTokens: r.outputTokens,
        cachedInputTokens: r.cachedInputTokens,
        cacheWriteTokens: r.cacheWriteTokens,
        reasoningTokens: r.reasoningTokens,
        audioInputTokens: r.audioInputTokens,
        imageInputTokens: r.imageInputTokens,
        toolCalls: r.toolCalls,
      },
      r.occurredAt,
      { ...pricing, batch: r.batch, serviceTier: r.serviceTier ?? 'default' },
    )
  } catch {
    return null
  }
  if (cost.versionId !== r.priceVersion || cost.totalNano !== usdToNano(r.costUsd)) return null
  const b = cost.breakdown
  return {
    inputUsd: nanoToUsd(b.inputNano),
    cachedInputUsd: nanoToUsd(b.cachedInputNano),
    cacheWriteUsd: nanoToUsd(b.cacheWriteNano),
    audioInputUsd: nanoToUsd(b.audioInputNano),
    imageInputUsd: nanoToUsd(b.imageInputNano),
    outputUsd: nanoToUsd(b.outputNano),
    reasoningUsd: nanoToUsd(b.reasoningNano),
    feesUsd: Object.fromEntries(Object.entries(b.fees).map(([kind, fee]) => [kind, nanoToUsd(fee!)])),
    tierAboveInputTokens: cost.tierAboveInputTokens,
    batch: cost.batch,
  }
}
