import { mulDivRoundHalfUp, parseScaledDecimal, savingsPercent, usdToNano, type Nano } from '../money'
import { MODELS } from './catalog'
import { priceFor } from './price'
import { resolveModel } from './resolve'
import {
  PER_CALL_KINDS,
  type PerCallKind,
  type PriceVersion,
  type PricingContext,
  type Provider,
  type ServiceTier,
} from './types'
import { parseUsage, type NormalizedUsage, type Usage } from './usage'

export interface CostBreakdown {
  /** Uncached text prompt tokens. */
  inputNano: Nano
  /** Prompt tokens read from cache. */
  cachedInputNano: Nano
  /** Prompt tokens written to cache. */
  cacheWriteNano: Nano
  /** Audio prompt tokens. */
  audioInputNano: Nano
  /** Image prompt tokens. */
  imageInputNano: Nano
  /** Completion tokens that are not reasoning. */
  outputNano: Nano
  reasoningNano: Nano
  /** Per-call tool fees, all kinds. */
  feesNano: Nano
  /** Per-call tool fees by kind. */
  fees: Partial<Record<PerCallKind, Nano>>
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
  /** The processing tier charged. */
  serviceTier: ServiceTier
  /** Why the call is not priced (null when it is): an unlisted name, a tier or a tool without a price. */
  unpricedReason: string | null
}

export interface CostOptions extends PricingContext {
  /** The call went through the provider's batch API: apply its batch discount, if it has one. */
  batch?: boolean
  /** OpenAI's processing tier (`service_tier`): flex and priority have their own prices. */
  serviceTier?: ServiceTier
}

/** A breakdown with every part zero. */
export const zeroBreakdown = (): CostBreakdown => ({
  inputNano: 0n,
  cachedInputNano: 0n,
  cacheWriteNano: 0n,
  audioInputNano: 0n,
  imageInputNano: 0n,
  outputNano: 0n,
  reasoningNano: 0n,
  feesNano: 0n,
  fees: {},
})
const TOKENS_PER_PRICE_UNIT = 1_000_000n

// Price strings repeat endlessly; parse each once. Values are nano-dollars per 1M tokens (or per call), exact.
const nanoPerUnit = new Map<string, bigint>()
function rate(price: string): bigint {
  let value = nanoPerUnit.get(price)
  if (value === undefined) {
    value = usdToNano(price)
    nanoPerUnit.set(price, value)
  }
  return value
}

interface Rates {
  input: bigint
  output: bigint
  cachedInput: bigint
  cacheWrite: bigint
  reasoning: bigint
  audioInput: bigint
  imageInput: bigint
  tier: number | null
}

/**
 * The per-1M-token rates for a request whose prompt has `inputTokens` tokens. The highest tier whose
 * `aboveInputTokens` the prompt exceeds applies to every kind of token; a price a tier leaves out
 * comes from the base version. Cache reads and writes without a price of their own are charged as
 * input; reasoning without a price of its own is charged as output; audio and image tokens without one, as input.
 * A flex or priority tier replaces the input, cached-input and output prices (null when the version has none).
 */
export function ratesFor(
  version: PriceVersion,
  inputTokens: number,
  serviceTier: ServiceTier = 'default',
): Rates | null {
  let tier: PriceVersion['tiers'][number] | null = null
  for (const t of version.tiers) {
    if (inputTokens > t.aboveInputTokens && (!tier || t.aboveInputTokens > tier.aboveInputTokens)) tier = t
  }
  let inputPrice = tier?.inputPerMTok ?? version.inputPerMTok
  let outputPrice = tier?.outputPerMTok ?? version.outputPerMTok
  let cached = tier?.cachedInputPerMTok ?? version.cachedInputPerMTok
  if (serviceTier !== 'default') {
    const special = version.serviceTiers[serviceTier]
    if (!special) return null
    inputPrice = special.inputPerMTok
    outputPrice = special.outputPerMTok
    cached = special.cachedInputPerMTok ?? null
  }
  const input = rate(inputPrice)
  const output = rate(outputPrice)
  const write = tier?.cacheWritePerMTok ?? version.cacheWritePerMTok
  return {
    input,
    output,
    cachedInput: cached ? rate(cached) : input,
    cacheWrite: write ? rate(write) : input,
    reasoning: version.reasoningPerMTok ? rate(version.reasoningPerMTok) : output,
    audioInput: version.audioInputPerMTok ? rate(version.audioInputPerMTok) : input,
    imageInput: version.imageInputPerMTok ? rate(version.imageInputPerMTok) : input,
    tier: tier?.aboveInputTokens ?? null,
  }
}

function unpriced(reason: string, serviceTier: ServiceTier, version?: PriceVersion): CostResult {
  return {
    model: version?.model ?? null,
    provider: version?.provider ?? null,
    priced: false,
    versionId: null,
    totalNano: 0n,
    breakdown: zeroBreakdown(),
    tierAboveInputTokens: null,
    batch: false,
    serviceTier,
    unpricedReason: reason,
  }
}

/** `(100 ± pct) / 100` as an exact fraction in hundredths of a percent. */
function factor(pctValue: string | null, sign: 1n | -1n): [bigint, bigint] {
  if (pctValue === null) return [1n, 1n]
  return [10_000n + sign * parseScaledDecimal(pctValue, 2, 'percent'), 10_000n]
}

/**
 * Prices normalised usage with one price version. Each component is `tokens × rate × factor / 1M`, with the
 * premium, discount and batch factors multiplied exactly and rounded half-up to the nano-dollar once; the total
 * is the sum of the components, so the breakdown always adds up. Per-call fees get the premium and discount,
 * not the batch discount.
 */
export function costWithVersion(
  version: PriceVersion,
  u: NormalizedUsage,
  batch = false,
  serviceTier: ServiceTier = 'default',
): CostResult {
  const rates = ratesFor(version, u.inputTokens, serviceTier)
  if (!rates) {
    return unpriced(
      `${version.model} has no ${serviceTier} processing price, so this call was recorded unpriced. Add a custom price for it.`,
      serviceTier,
      version,
    )
  }
  const fees: Partial<Record<PerCallKind, Nano>> = {}
  for (const kind of PER_CALL_KINDS) {
    const count = u.toolCalls[kind] ?? 0
    if (count === 0) continue
    if (version.perCallUsd[kind] === undefined) {
      return unpriced(
        `${version.model} has no price for ${kind.replace('_', ' ')} calls, so this call was recorded unpriced. Add a custom price for it.`,
        serviceTier,
        version,
      )
    }
  }
  const applyBatch = batch && version.batchDiscountPct !== null
  const [premiumNum, premiumDen] = factor(version.premiumPct, 1n)
  const [discountNum, discountDen] = factor(version.discountPct, -1n)
  const [batchNum, batchDen] = applyBatch ? factor(version.batchDiscountPct, -1n) : [1n, 1n]
  const num = premiumNum * discountNum * batchNum
  const den = premiumDen * discountDen * batchDen
  const component = (tokens: number, perMTok: bigint): Nano =>
    mulDivRoundHalfUp(BigInt(tokens) * perMTok, num, TOKENS_PER_PRICE_UNIT * den)

  let feesNano = 0n
  for (const kind of PER_CALL_KINDS) {
    const count = u.toolCalls[kind] ?? 0
    if (count === 0) continue
    const fee = mulDivRoundHalfUp(
      BigInt(count) * rate(version.perCallUsd[kind]!),
      premiumNum * discountNum,
      premiumDen * discountDen,
    )
    fees[kind] = fee
    feesNano += fee
  }

  const uncachedInput =
    u.inputTokens - u.cachedInputTokens - u.cacheWriteTokens - u.audioInputTokens - u.imageInputTokens
  const breakdown: CostBreakdown = {
    inputNano: component(uncachedInput, rates.input),
    cachedInputNano: component(u.cachedInputTokens, rates.cachedInput),
    cacheWriteNano: component(u.cacheWriteTokens, rates.cacheWrite),
    audioInputNano: component(u.audioInputTokens, rates.audioInput),
    imageInputNano: component(u.imageInputTokens, rates.imageInput),
    outputNano: component(u.outputTokens - u.reasoningTokens, rates.output),
    reasoningNano: component(u.reasoningTokens, rates.reasoning),
    feesNano,
    fees,
  }
  const totalNano =
    breakdown.inputNano +
    breakdown.cachedInputNano +
    breakdown.cacheWriteNano +
    breakdown.audioInputNano +
    breakdown.imageInputNano +
    breakdown.outputNano +
    breakdown.reasoningNano +
    breakdown.feesNano
  return {
    model: version.model,
    provider: version.provider,
    priced: true,
    versionId: version.versionId,
    totalNano,
    breakdown,
    tierAboveInputTokens: rates.tier,
    batch: applyBatch,
    serviceTier,
    unpricedReason: null,
  }
}

/**
 * The exact cost of one call.
 *
 * Usage follows Costwise's (OpenAI's) convention — see {@link Usage}: `inputTokens` includes cached,
 * cache-write, audio and image tokens, `outputTokens` includes reasoning tokens. Invalid usage throws
 * `INVALID_USAGE` naming the field.
 *
 * The price is the team's (see priceFor): custom prices first, else list prices (catalogue and imported) with
 * the team's discount. The tier is chosen by the whole prompt size; `batch` applies the provider's batch
 * discount; `serviceTier` charges flex or priority prices.
 *
 * A call without a price is not an error: the result is `priced: false` with zero cost and an
 * `unpricedReason`, so it is still recorded, shows up as unpriced and can be re-priced later.
 */
export function calculateCost(
  model: string,
  usage: Usage,
  at: Date = new Date(),
  options: CostOptions = {},
): CostResult {
  const u = parseUsage(usage)
  const serviceTier = options.serviceTier ?? 'default'
  const lookup = priceFor(model, at, options)
  if (!lookup.version) return unpriced(lookup.reason ?? `No price for "${model}".`, serviceTier)
  return costWithVersion(lookup.version, u, options.batch ?? false, serviceTier)
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
 * Alternatives are priced at standard processing with the team's prices.
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
    const cost = calculateCost(entry.id, u, at, { ...options, serviceTier: 'default' })
    if (!cost.priced || cost.totalNano >= baseCost.totalNano) continue
    candidates.push({
      model: entry.id,
      provider: entry.provider,
      displayName: entry.displayName,
      totalNano: cost.totalNano,
      savingsNano: baseCost.totalNano - cost.totalNano,
      savingsPct: savingsPercent(cost.totalNano, baseCost.totalNano),
    })
  }
  candidates.sort((a, b) =>
    a.totalNano < b.totalNano ? -1 : a.totalNano > b.totalNano ? 1 : a.model.localeCompare(b.model),
  )
  return candidates.slice(0, Math.max(0, limit))
}
