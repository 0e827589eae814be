import { usdToNano, type Nano } from '../money'
import { MODEL_CAPABILITIES, MODELS } from '../pricing/catalog'
import { costWithVersion } from '../pricing/cost'
import { priceAt } from '../pricing/price'
import { resolveModel } from '../pricing/resolve'
import type { ModelEntry, PriceVersion, PricingContext } from '../pricing/types'
import type { NormalizedUsage } from '../pricing/usage'
import { RULES } from './rules'
import type { EngineInput, UsageSlice } from './types'

/** The instant a slice is priced at: 00:00 UTC of its day, when that day's price versions take effect. */
export function sliceTime(slice: Pick<UsageSlice, 'day'>): Date {
  return new Date(`${slice.day}T00:00:00Z`)
}

export function sliceUsage(slice: UsageSlice): NormalizedUsage {
  return {
    inputTokens: slice.inputTokens,
    outputTokens: slice.outputTokens,
    cachedInputTokens: slice.cachedInputTokens,
    cacheWriteTokens: slice.cacheWriteTokens,
    reasoningTokens: slice.reasoningTokens,
    audioInputTokens: slice.audioInputTokens,
    imageInputTokens: slice.imageInputTokens,
    toolCalls: slice.toolCalls,
  }
}

export interface RepriceOptions {
  pricing?: PricingContext
  /** Price every slice as sent through the batch API (else each slice as it was sent). */
  batch?: boolean
  /** Changes the usage before pricing (e.g. the prefix read from cache, the input capped). */
  usage?: (u: NormalizedUsage) => NormalizedUsage
}

/**
 * What the slices would have cost on `model`, exactly: each slice priced as ingestion prices it (calculateCost's
 * rules: the team's prices at its own day, its processing tier, batch flag and tool calls), times its run count.
 * Null when the model has no price for one of them.
 */
const NO_PRICING: PricingContext = {}
// Plain re-pricing of one slice on one model, remembered: cheaper_model and the efficiency score ask the same.
const plainCosts = new WeakMap<PricingContext, WeakMap<UsageSlice, Map<string, Nano | null>>>()

export function reprice(slices: readonly UsageSlice[], model: string, options: RepriceOptions = {}): Nano | null {
  // calculateCost's rules, with the price version looked up once per day (slices are already valid usage).
  const versions = new Map<string, PriceVersion | null>()
  const plain = !options.usage && !options.batch
  const pricing = options.pricing ?? NO_PRICING
  let cache = plain ? plainCosts.get(pricing) : undefined
  if (plain && !cache) plainCosts.set(pricing, (cache = new WeakMap()))
  let total = 0n
  for (const slice of slices) {
    const known = cache?.get(slice)?.get(model)
    if (known === null) return null
    if (known !== undefined) {
      total += known
      continue
    }
    let version = versions.get(slice.day)
    if (version === undefined) {
      version = priceAt(model, sliceTime(slice), pricing)
      versions.set(slice.day, version)
    }
    const usage = options.usage ? options.usage(sliceUsage(slice)) : sliceUsage(slice)
    const result = version
      ? costWithVersion(version, usage, options.batch ?? slice.batch, slice.serviceTier ?? 'default')
      : null
    const cost = result?.priced ? result.totalNano * BigInt(slice.runs) : null
    if (cache) {
      let perModel = cache.get(slice)
      if (!perModel) cache.set(slice, (perModel = new Map<string, bigint | null>()))
      perModel.set(model, cost)
    }
    if (cost === null) return null
    total += cost
  }
  return total
}

/** What the slices cost, as recorded. */
export function recordedCost(slices: readonly UsageSlice[]): Nano {
  let total = 0n
  for (const s of slices) total += s.costNano
  return total
}

export function runsOf(slices: readonly UsageSlice[]): number {
  let n = 0
  for (const s of slices) n += s.runs
  return n
}

const resolved = new Map<string, string | null>()

/** The canonical model id a slice ran on, or null for a model the catalogue does not know. */
export function resolvedId(model: string): string | null {
  let id = resolved.get(model)
  if (id === undefined) {
    id = resolveModel(model)?.id ?? null
    if (resolved.size < 10_000) resolved.set(model, id)
  }
  return id
}

/**
 * Models a workload on `current` could move to: same provider (so token counts carry over), same
 * capability class, input modalities that include the current model's, not legacy, and room for the
 * largest prompt and completion seen. The current model is not included.
 */
export function candidateModels(
  current: ModelEntry,
  fit: { maxInputTokens: number; maxOutputTokens: number },
): ModelEntry[] {
  const caps = MODEL_CAPABILITIES[current.id]
  if (!caps) return []
  return MODELS.filter((m) => {
    if (m.id === current.id || m.legacy || m.provider !== current.provider) return false
    if (current.encoding && m.encoding && m.encoding !== current.encoding) return false
    const other = MODEL_CAPABILITIES[m.id]
    if (!other || other.class !== caps.class) return false
    if (!caps.modalities.every((mod) => other.modalities.includes(mod))) return false
    return m.contextWindow >= fit.maxInputTokens && m.maxOutputTokens >= fit.maxOutputTokens
  })
}

/** Cached-input and input rates (nano per 1M tokens) of a model at `at`, with the team's prices. */
export function cacheRates(
  model: string,
  at: Date,
  pricing?: PricingContext,
): { input: Nano; cached: Nano | null } | null {
  const version = priceAt(model, at, pricing)
  if (!version) return null
  return {
    input: usdToNano(version.inputPerMTok),
    cached: version.cachedInputPerMTok ? usdToNano(version.cachedInputPerMTok) : null,
  }
}

/** The provider's batch discount (percent string) for a model at `at`, or null when it has none. */
export function batchDiscount(model: string, at: Date, pricing?: PricingContext): string | null {
  const pct = priceAt(model, at, pricing)?.batchDiscountPct ?? null
  return pct !== null && Number(pct) > 0 ? pct : null
}

/**
 * Prompt tokens a provider would serve from cache for a stable prefix of `prefixTokens`: OpenAI (and the
 * local demo server, which behaves like it) caches in 128-token steps; the others cache the marked prefix.
 */
export function cacheableTokens(provider: string, prefixTokens: number): number {
  if (provider === 'openai' || provider === 'local') return Math.floor(prefixTokens / 128) * 128
  return prefixTokens
}

/** A row that was billed: priced, and the call happened (ok or failed; blocked calls cost nothing). */
export const billed = (s: UsageSlice) => s.priced && (s.status === 'ok' || s.status === 'error')

const statsCache = new WeakMap<readonly UsageSlice[], Map<string, { runs: number; errors: number }>>()

/** Billed runs and failed runs per model across the team (computed once per set of slices). */
function modelStats(all: readonly UsageSlice[]) {
  let stats = statsCache.get(all)
  if (!stats) {
    stats = new Map()
    for (const s of all) {
      const id = billed(s) ? resolvedId(s.model) : null
      if (!id) continue
      const e = stats.get(id) ?? { runs: 0, errors: 0 }
      e.runs += s.runs
      if (s.status === 'error') e.errors += s.runs
      stats.set(id, e)
    }
    statsCache.set(all, stats)
  }
  return stats
}

/** Share of runs that failed. */
export function errorRate(slices: readonly UsageSlice[]): number {
  const runs = runsOf(slices)
  if (runs === 0) return 0
  return runsOf(slices.filter((s) => s.status === 'error')) / runs
}

export interface CandidateCost {
  model: string
  costNano: Nano
  savingsNano: Nano
  /** The team's error rate on this model over the window, when it ran it at least `minRuns` times. */
  teamErrorRate: number | null
}

/**
 * The models the rows could move to, each with the exact re-priced cost of the rows on it, skipping models
 * whose error rate in this team is worse than the rows' own.
 */
export function cheaperCandidates(
  entry: ModelEntry,
  rows: readonly UsageSlice[],
  all: readonly UsageSlice[],
  input: EngineInput,
): CandidateCost[] {
  const actual = recordedCost(rows)
  const fit = {
    maxInputTokens: Math.max(0, ...rows.map((r) => r.inputTokens)),
    maxOutputTokens: Math.max(0, ...rows.map((r) => r.outputTokens)),
  }
  const ownErrors = errorRate(rows)
  const out: CandidateCost[] = []
  for (const candidate of candidateModels(entry, fit)) {
    const cost = reprice(rows, candidate.id, { pricing: input.pricing })
    if (cost === null || cost >= actual) continue
    const stats = modelStats(all).get(candidate.id)
    const teamErrorRate = stats && stats.runs >= RULES.minRuns ? stats.errors / stats.runs : null
    if (teamErrorRate !== null && teamErrorRate > ownErrors) continue
    out.push({ model: candidate.id, costNano: cost, savingsNano: actual - cost, teamErrorRate })
  }
  return out.sort((a, b) =>
    a.costNano < b.costNano ? -1 : a.costNano > b.costNano ? 1 : a.model.localeCompare(b.model),
  )
}
