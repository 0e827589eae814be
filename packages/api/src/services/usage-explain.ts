import {
  AppError,
  TAG_KEY_PATTERN,
  changeBetween,
  nanoToUsd,
  percentOf,
  previousRange,
  priceFor,
  ratesFor,
  type PricingContext,
  refineFromBeforeTo,
  usdToNano,
} from '@costwise/core'
import { analytics, apiKeys, teams, type Db } from '@costwise/db'
import { z } from 'zod'
import type { TeamScope } from '../trpc'
import { costBreakdownOf, filterFields, historyItemSchema, rangeFields, resolveRange } from './analytics'
import { teamPricing } from './pricing'

// Analytics that explain (issue 12): who and what spent (breakdowns), one request in full (detail), and what
// changed against the previous period of the same length.

export const BREAKDOWN_DIMENSIONS = ['member', 'apiKey', 'feature', 'tag', 'model', 'prompt'] as const
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number]
const GROUP_OF: Record<BreakdownDimension, analytics.GroupBy> = {
  member: 'user',
  apiKey: 'apiKey',
  feature: 'feature',
  tag: 'tag',
  model: 'model',
  prompt: 'prompt',
}

/** The most groups a breakdown lists; the rest are summed into one "Other" line, so the lines add up to the total. */
export const BREAKDOWN_MAX_ITEMS = 25

const tagKeySchema = z
  .string()
  .regex(TAG_KEY_PATTERN, 'tagKey must be 1–40 letters, digits or . _ - (a tag key, e.g. env)')

export const breakdownInputSchema = z
  .object({
    ...rangeFields,
    ...filterFields,
    by: z.enum(BREAKDOWN_DIMENSIONS, { error: `by must be one of ${BREAKDOWN_DIMENSIONS.join(', ')}` }),
    /** With `by: tag`: which tag key's values to break down by. */
    tagKey: tagKeySchema.optional(),
  })
  .superRefine(refineFromBeforeTo)
  .superRefine((v, ctx) => {
    if (v.by === 'tag' && !v.tagKey)
      ctx.addIssue({ code: 'custom', path: ['tagKey'], message: 'tagKey is required to break down by tag (e.g. env)' })
  })

const lineSchema = z.object({
  /** The member / key / prompt id, the feature, model or tag value; null for "none" (and for the "Other" line). */
  key: z.string().nullable(),
  label: z.string(),
  /** True for the line that sums every group beyond the first {@link BREAKDOWN_MAX_ITEMS}. */
  other: z.boolean(),
  costUsd: z.string(),
  runs: z.number(),
  errors: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  /** Share of the total cost, percent with two decimals (core's percentOf). */
  sharePercent: z.number(),
})

export const breakdownOutputSchema = z.object({
  from: z.string(),
  to: z.string(),
  by: z.enum(BREAKDOWN_DIMENSIONS),
  tagKey: z.string().nullable(),
  totalCostUsd: z.string(),
  totalRuns: z.number(),
  /** The tag keys recorded in the range under these filters (at most 50), for choosing `tagKey`. */
  tagKeys: z.array(z.string()),
  /** Largest cost first; the lines add up to the totals exactly. */
  items: z.array(lineSchema),
})
export type BreakdownOutput = z.infer<typeof breakdownOutputSchema>

/** Names for ids: members (name or email), API keys and prompts of the team. */
async function labeller(db: Db, teamId: string) {
  const [members, keys, prompts] = await Promise.all([
    teams.listMembers(db, teamId),
    apiKeys.listApiKeys(db, teamId),
    db.selectFrom('prompts').select(['id', 'name']).where('team_id', '=', teamId).execute(),
  ])
  const member = new Map(members.map((m) => [m.id, m.name || m.email]))
  const key = new Map(keys.map((k) => [k.id, k.name]))
  const prompt = new Map(prompts.map((p) => [p.id, p.name]))
  return (dim: BreakdownDimension | 'tagPair', value: string | null, tagKey?: string): string => {
    if (dim === 'member') return value === null ? 'No member (API key calls)' : (member.get(value) ?? 'Former member')
    if (dim === 'apiKey') return value === null ? 'No API key (the app)' : (key.get(value) ?? 'Deleted key')
    if (dim === 'prompt') return value === null ? 'No prompt' : (prompt.get(value) ?? 'Deleted prompt')
    if (dim === 'tag') return value === null ? `No ${tagKey ?? 'tag'}` : `${tagKey}: ${value}`
    return value ?? '—'
  }
}

interface Sum {
  cost: bigint
  runs: number
  errors: number
  inputTokens: number
  outputTokens: number
}
const sumOf = (g: analytics.Totals): Sum => ({
  cost: usdToNano(g.costUsd),
  runs: Number(g.runs),
  errors: Number(g.errors),
  inputTokens: Number(g.inputTokens),
  outputTokens: Number(g.outputTokens),
})
const add = (a: Sum, b: Sum): Sum => ({
  cost: a.cost + b.cost,
  runs: a.runs + b.runs,
  errors: a.errors + b.errors,
  inputTokens: a.inputTokens + b.inputTokens,
  outputTokens: a.outputTokens + b.outputTokens,
})
const ZERO: Sum = { cost: 0n, runs: 0, errors: 0, inputTokens: 0, outputTokens: 0 }
const byCost = <T extends { sum: Sum; key: string | null }>(a: T, b: T) =>
  a.sum.cost === b.sum.cost ? String(a.key).localeCompare(String(b.key)) : a.sum.cost > b.sum.cost ? -1 : 1

/**
 * Usage by member, API key, feature, tag value, model or prompt over the range and filters, largest cost first.
 * Every row of the range lands in exactly one line (a row without the dimension in the "none" line), so the
 * lines add up to the total exactly.
 */
export async function breakdown(
  db: Db,
  team: TeamScope,
  input: z.output<typeof breakdownInputSchema>,
  now = new Date(),
): Promise<BreakdownOutput> {
  const range = resolveRange(input, team.timeZone, now)
  const days: analytics.Range = { kind: 'days', fromDay: range.from, toDay: range.to }
  const [groups, label, tagKeys] = await Promise.all([
    analytics.grouped(db, team.id, days, input, GROUP_OF[input.by], { timeZone: team.timeZone, tagKey: input.tagKey }),
    labeller(db, team.id),
    analytics.tagKeys(db, team.id, days, input),
  ])
  const lines = groups.map((g) => ({ key: g.key, sum: sumOf(g) })).sort(byCost)
  const total = lines.reduce((acc, l) => add(acc, l.sum), ZERO)
  const shown = lines.slice(0, BREAKDOWN_MAX_ITEMS)
  const rest = lines.slice(BREAKDOWN_MAX_ITEMS)
  const line = (key: string | null, text: string, sum: Sum, other: boolean) => ({
    key,
    label: text,
    other,
    costUsd: nanoToUsd(sum.cost),
    runs: sum.runs,
    errors: sum.errors,
    inputTokens: sum.inputTokens,
    outputTokens: sum.outputTokens,
    sharePercent: percentOf(sum.cost, total.cost),
  })
  const items = shown.map((l) => line(l.key, label(input.by, l.key, input.tagKey), l.sum, false))
  if (rest.length > 0)
    items.push(
      line(
        null,
        `Other (${rest.length})`,
        rest.reduce((acc, l) => add(acc, l.sum), ZERO),
        true,
      ),
    )
  return {
    from: range.from,
    to: range.to,
    by: input.by,
    tagKey: input.tagKey ?? null,
    totalCostUsd: nanoToUsd(total.cost),
    totalRuns: total.runs,
    tagKeys,
    items,
  }
}

// ---- what changed -------------------------------------------------------------------------------------

export const CHANGE_DIMENSIONS = ['model', 'prompt', 'member', 'apiKey', 'tag'] as const
export const CHANGE_TOP = 5

export const whatChangedInputSchema = z.object({ ...rangeFields, ...filterFields }).superRefine(refineFromBeforeTo)

const contributorSchema = z.object({
  key: z.string().nullable(),
  label: z.string(),
  costUsd: z.string(),
  previousCostUsd: z.string(),
  /** Current minus previous, signed exact USD. */
  deltaUsd: z.string(),
  /** Core's one percentage-change rule (changeBetween): e.g. "+12.3%", "−4.5%", "new". */
  change: z.object({
    direction: z.enum(['up', 'down', 'flat', 'new']),
    percent: z.number().nullable(),
    label: z.string(),
  }),
})

export const whatChangedOutputSchema = z.object({
  from: z.string(),
  to: z.string(),
  previous: z.object({ from: z.string(), to: z.string() }),
  costUsd: z.string(),
  previousCostUsd: z.string(),
  deltaUsd: z.string(),
  change: contributorSchema.shape.change,
  /** Per dimension, the groups whose cost moved most (by absolute change, largest first), at most {@link CHANGE_TOP}. */
  dimensions: z.array(z.object({ by: z.enum(CHANGE_DIMENSIONS), contributors: z.array(contributorSchema) })),
})
export type WhatChangedOutput = z.infer<typeof whatChangedOutputSchema>

const abs = (n: bigint) => (n < 0n ? -n : n)

/**
 * Cost against the previous period of the same length, and the top contributors to the difference by model,
 * prompt, member, API key and tag (`key:value`; a row with several tags counts under each of them).
 */
export async function whatChanged(
  db: Db,
  team: TeamScope,
  input: z.output<typeof whatChangedInputSchema>,
  now = new Date(),
): Promise<WhatChangedOutput> {
  const range = resolveRange(input, team.timeZone, now)
  const prev = previousRange(range)
  const cur: analytics.Range = { kind: 'days', fromDay: range.from, toDay: range.to }
  const before: analytics.Range = { kind: 'days', fromDay: prev.from, toDay: prev.to }
  const grouped = (r: analytics.Range, by: (typeof CHANGE_DIMENSIONS)[number]) =>
    by === 'tag'
      ? analytics
          .tagPairs(db, team.id, r, input)
          .then((rows) => rows.map((t) => ({ key: t.tag as string | null, costUsd: t.costUsd })))
      : analytics.grouped(db, team.id, r, input, GROUP_OF[by], { timeZone: team.timeZone })
  const [label, totalNow, totalBefore, ...pairs] = await Promise.all([
    labeller(db, team.id),
    analytics.totals(db, team.id, cur, input),
    analytics.totals(db, team.id, before, input),
    ...CHANGE_DIMENSIONS.map((by) => Promise.all([grouped(cur, by), grouped(before, by)])),
  ])
  const dimensions = CHANGE_DIMENSIONS.map((by, i) => {
    const [now_, then] = pairs[i]!
    const costs = new Map<string | null, { now: bigint; then: bigint }>()
    for (const g of now_) costs.set(g.key, { now: usdToNano(g.costUsd), then: 0n })
    for (const g of then) costs.set(g.key, { now: costs.get(g.key)?.now ?? 0n, then: usdToNano(g.costUsd) })
    const contributors = [...costs]
      .map(([key, c]) => ({ key, ...c, delta: c.now - c.then }))
      .filter((c) => c.delta !== 0n)
      .sort((a, b) =>
        abs(a.delta) === abs(b.delta)
          ? String(a.key).localeCompare(String(b.key))
          : abs(a.delta) > abs(b.delta)
            ? -1
            : 1,
      )
      .slice(0, CHANGE_TOP)
      .map((c) => ({
        key: c.key,
        label: by === 'tag' ? (c.key ?? '—') : label(by, c.key),
        costUsd: nanoToUsd(c.now),
        previousCostUsd: nanoToUsd(c.then),
        deltaUsd: nanoToUsd(c.delta),
        change: changeBetween(c.now, c.then),
      }))
    return { by, contributors }
  })
  const nowCost = usdToNano(totalNow.costUsd)
  const thenCost = usdToNano(totalBefore.costUsd)
  return {
    from: range.from,
    to: range.to,
    previous: { from: prev.from, to: prev.to },
    costUsd: nanoToUsd(nowCost),
    previousCostUsd: nanoToUsd(thenCost),
    deltaUsd: nanoToUsd(nowCost - thenCost),
    change: changeBetween(nowCost, thenCost),
    dimensions,
  }
}

// ---- one request --------------------------------------------------------------------------------------

export const usageGetInputSchema = z.object({ id: z.uuid('id must be a usage row id (UUID)') })

/** Per-million-token prices of the version charged, as decimal USD strings (a kind without its own price shows what it was charged as). */
const unitPricesSchema = z.object({
  inputPerMTokUsd: z.string(),
  cachedInputPerMTokUsd: z.string(),
  cacheWritePerMTokUsd: z.string(),
  outputPerMTokUsd: z.string(),
  reasoningPerMTokUsd: z.string(),
})

export const usageGetOutputSchema = historyItemSchema.extend({
  recordedAt: z.string(),
  resolvedModel: z.string().nullable(),
  promptName: z.string().nullable(),
  memberName: z.string().nullable(),
  apiKeyName: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  idempotencyKey: z.string().nullable(),
  reservationId: z.string().nullable(),
  costCenterId: z.string().nullable(),
  /** Prices of the version charged, per million tokens; null when unpriced or the version is no longer derivable. */
  unitPrices: unitPricesSchema.nullable(),
})
export type UsageGetOutput = z.infer<typeof usageGetOutputSchema>

/** One usage row of the caller's team with every field, its price version and cost breakdown; NOT_FOUND otherwise. */
export async function usageGet(db: Db, team: TeamScope, id: string): Promise<UsageGetOutput> {
  const row = await analytics.usageRow(db, team.id, id)
  if (!row) throw new AppError('NOT_FOUND', 'No such usage row in this team.', { field: 'id' })
  const [pricing, label] = await Promise.all([teamPricing(db, team.id), labeller(db, team.id)])
  const costBreakdown = costBreakdownOf(row, pricing)
  return {
    ...row,
    occurredAt: row.occurredAt.toISOString(),
    recordedAt: row.recordedAt.toISOString(),
    promptName: row.promptId ? label('prompt', row.promptId) : null,
    memberName: row.userId ? label('member', row.userId) : null,
    apiKeyName: row.apiKeyId ? label('apiKey', row.apiKeyId) : null,
    costUsd: nanoToUsd(usdToNano(row.costUsd)),
    unitPrices: costBreakdown ? unitPricesOf(row, pricing) : null,
    costBreakdown,
  }
}

/** The per-1M-token rates the row was charged (core's ratesFor: its tier by prompt size, its service tier). */
function unitPricesOf(row: analytics.UsageRowDetail, pricing: PricingContext) {
  const version = priceFor(row.model, row.occurredAt, pricing).version
  const rates = version ? ratesFor(version, row.inputTokens, row.serviceTier ?? 'default') : null
  if (!rates) return null
  return {
    inputPerMTokUsd: nanoToUsd(rates.input),
    cachedInputPerMTokUsd: nanoToUsd(rates.cachedInput),
    cacheWritePerMTokUsd: nanoToUsd(rates.cacheWrite),
    outputPerMTokUsd: nanoToUsd(rates.output),
    reasoningPerMTokUsd: nanoToUsd(rates.reasoning),
  }
}
