import { mulDivRoundHalfUp, parseScaledDecimal, savingsPercent, usdToNano, type Nano } from '../money'
import { MODELS } from './catalog'
import { priceAt } from './price'
import { resolveModel } from './resolve'
import type { PriceOverride, PriceVersion, Provider } from './types'
import { parseUsage, type NormalizedUsage, type Usage } from './usage'

export interface CostBreakdown {
  /** Uncached prompt tokens. */
  inputNano: Nano
  /** Prompt tokens read from cache. */
  cachedInputNano: Nano
  /** Prompt tokens written to cache. */
  cacheWriteNano: Nano
  /** Completion tokens that are not reasoning. */
  outputNano: Nano
  reasoningNano: Nano
}

export interface CostResult {
  /** Canonical model id, or null when the model is unknown and has no custom price. */
  model: string | null
  provider: Provider | null
  priced: boolean
  /** The price version charged (`gpt-4o@2024-10-01`, `custom:<id>`); null when unpriced. */
  versionId: string | null
  totalNano: Nano
  breakdown: CostBreakdown
  /** The tier applied (its `aboveInputTokens`), or null for base prices. */
  tierAboveInputTokens: number | null
  /** Whether a batch discount was applied. */
  batch: boolean
}

export interface CostOptions {
  /** The call went through the provider's batch API: apply its batch discount, if it has one. */
  batch?: boolean
  /** The team's custom prices; they win over the catalogue. */
  overrides?: readonly PriceOverride[]
}

const ZERO: CostBreakdown = { inputNano: 0n, cachedInputNano: 0n, cacheWriteNano: 0n, outputNano: 0n, reasoningNano: 0n }
const TOKENS_PER_PRICE_UNIT = 1_000_000n

// Price strings repeat endlessly; parse each once. Values are nano-dollars per 1M tokens, exact.
const nanoPerMTok = new Map<string, bigint>()
function rate(price: string): bigint {
  let value = nanoPerMTok.get(price)
  if (value === undefined) {
    value = usdToNano(price)
    nanoPerMTok.set(price, value)
  }
  return value
}

interface Rates {
  input: bigint
  output: bigint
  cachedInput: bigint
  cacheWrite: bigint
  reasoning: bigint
  tier: number | null
}

/**
 * The per-1M-token rates for a request whose prompt has `inputTokens` tokens. The highest tier whose
 * `aboveInputTokens` the prompt exceeds applies to every kind of token; a price a tier leaves out
 * comes from the base version. Cache reads and writes without a price of their own are charged as
 * input; reasoning without a price of its own is charged as output.
 */
export function ratesFor(version: PriceVersion, inputTokens: number): Rates {
  let tier: PriceVersion['tiers'][number] | null = null
  for (const t of version.tiers) {
    if (inputTokens > t.aboveInputTokens && (!tier || t.aboveInputTokens > tier.aboveInputTokens)) tier = t
  }
  const input = rate(tier?.inputPerMTok ?? version.inputPerMTok)
  const output = rate(tier?.outputPerMTok ?? version.outputPerMTok)
  const cached = tier?.cachedInputPerMTok ?? version.cachedInputPerMTok
  const write = tier?.cacheWritePerMTok ?? version.cacheWritePerMTok
  return {
    input,
    output,
    cachedInput: cached ? rate(cached) : input,
    cacheWrite: write ? rate(write) : input,
    reasoning: version.reasoningPerMTok ? rate(version.reasoningPerMTok) : output,
    tier: tier?.aboveInputTokens ?? null,
  }
}

function unpriced(): CostResult {
  return {
    model: null,
    provider: null,
    priced: false,
    versionId: null,
    totalNano: 0n,
    breakdown: { ...ZERO },
    tierAboveInputTokens: null,
    batch: false,
  }
}

/** Prices normalised usage with one price version. */
export function costWithVersion(version: PriceVersion, u: NormalizedUsage, batch = false): CostResult {
  const rates = ratesFor(version, u.inputTokens)
  // Batch discount as an exact fraction: (10000 − pct×100) / 10000. pct has at most 2 decimals.
  const applyBatch = batch && version.batchDiscountPct !== null
  const keep = applyBatch ? 10_000n - parseScaledDecimal(version.batchDiscountPct!, 2, 'batchDiscountPct') : 1n
  const keepOf = applyBatch ? 10_000n : 1n
  // tokens × (nano per 1M tokens) × keep / (1M × keepOf), rounded half-up once per component.
  const component = (tokens: number, perMTok: bigint): Nano =>
    mulDivRoundHalfUp(BigInt(tokens) * perMTok, keep, TOKENS_PER_PRICE_UNIT * keepOf)

  const uncachedInput = u.inputTokens - u.cachedInputTokens - u.cacheWriteTokens
  const breakdown: CostBreakdown = {
    inputNano: component(uncachedInput, rates.input),
    cachedInputNano: component(u.cachedInputTokens, rates.cachedInput),
    cacheWriteNano: component(u.cacheWriteTokens, rates.cacheWrite),
    outputNano: component(u.outputTokens - u.reasoningTokens, rates.output),
    reasoningNano: component(u.reasoningTokens, rates.reasoning),
  }
  const totalNano =
    breakdown.inputNano + breakdown.cachedInputNano + breakdown.cacheWriteNano + breakdown.outputNano + breakdown.reasoningNano
  return {
    model: version.model,
    provider: version.provider,
    priced: true,
    versionId: version.versionId,
    totalNano,
    breakdown,
    tierAboveInputTokens: rates.tier,
    batch: applyBatch,
  }
}

/**
 * The exact cost of one call.
 *
 * Usage follows Costwise's (OpenAI's) convention — see {@link Usage}: `inputTokens` includes cached
 * and cache-write tokens, `outputTokens` includes reasoning tokens. Invalid usage throws
 * `INVALID_USAGE` naming the field.
 *
 * Each component is `tokens × price / 1,000,000`, computed in bigint from the exact decimal price
 * and rounded half-up to the nano-dollar once; the total is the sum of the components, so the
 * breakdown always adds up. The price version is the one in effect at `at` (team overrides first);
 * the tier is chosen by the whole prompt size; `batch` applies the provider's batch discount.
 *
 * An unknown model is not an error: the result is `priced: false` with zero cost, so the call is
 * still recorded and shows up as unpriced.
 */
export function calculateCost(model: string, usage: Usage, at: Date = new Date(), options: CostOptions = {}): CostResult {
  const u = parseUsage(usage)
  const version = priceAt(model, at, options.overrides)
  if (!version) return unpriced()
  return costWithVersion(version, u, options.batch ?? false)
}

export interface Alternative {
  model: string
  provider: Provider
  displayName: string
  totalNano: Nano
  /** How much less than the model asked about. */
  savingsNano: Nano
  /** Savings in percent of the original cost, two decimals, for display. */
  savingsPct: number
}

export interface AlternativesOptions extends CostOptions {
  /** How many to return (default 3). */
  limit?: number
  at?: Date
  /** Only models of the same provider. */
  sameProvider?: boolean
  /** Also suggest legacy models (default false). */
  includeLegacy?: boolean
}

/**
 * Models that would have cost less for the same usage, cheapest first — the Prompt Lab's
 * "gpt-4o-mini: $0.0004 — 94 % less". Token counts are taken as-is (tokenizers differ a little
 * between providers, so this is an estimate). Only models that fit the request (prompt within the
 * context window, completion within max output) are considered. The local demo models are only
 * compared with each other (the demo server serves nothing else). Unknown model → no alternatives.
 */
export function cheaperAlternatives(model: string, usage: Usage, options: AlternativesOptions = {}): Alternative[] {
  const u = parseUsage(usage)
  const at = options.at ?? new Date()
  const base = resolveModel(model)
  const baseCost = calculateCost(model, u, at, options)
  if (!base || !baseCost.priced || baseCost.totalNano === 0n) return []
  const limit = options.limit ?? 3
  const candidates: Alternative[] = []
  for (const entry of MODELS) {
    if (entry.id === base.id) continue
    if (options.sameProvider && entry.provider !== base.provider) continue
    if ((entry.provider === 'local') !== (base.provider === 'local')) continue
    if (entry.legacy && !options.includeLegacy) continue
    if (entry.contextWindow < u.inputTokens || entry.maxOutputTokens < u.outputTokens) continue
    const cost = calculateCost(entry.id, u, at, options)
    if (cost.totalNano >= baseCost.totalNano) continue
    candidates.push({
      model: entry.id,
      provider: entry.provider,
      displayName: entry.displayName,
      totalNano: cost.totalNano,
      savingsNano: baseCost.totalNano - cost.totalNano,
      savingsPct: savingsPercent(cost.totalNano, baseCost.totalNano),
    })
  }
  candidates.sort((a, b) => (a.totalNano < b.totalNano ? -1 : a.totalNano > b.totalNano ? 1 : a.model.localeCompare(b.model)))
  return candidates.slice(0, Math.max(0, limit))
}
