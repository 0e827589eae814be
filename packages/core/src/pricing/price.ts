import { AppError, appErrorFromZod } from '../errors'
import { catalogPriceAt, effectiveTime, normalizeModelName, resolveModel } from './resolve'
import { priceOverrideSchema, type CatalogPrice, type PriceOverride, type PriceTier, type PriceVersion } from './types'

/** Canonical id for matching overrides: the catalogue id when the name resolves, else the normalised name. */
export function modelKey(name: string): string {
  return resolveModel(name)?.id ?? normalizeModelName(name)
}

interface ParsedOverride {
  key: string
  override: PriceOverride
  time: number
}

// Overrides usually come from one cached query result, so validate each object once.
const parsedOverrides = new WeakMap<object, ParsedOverride>()

function parseOverride(raw: PriceOverride, index: number): ParsedOverride {
  const cached = parsedOverrides.get(raw)
  if (cached) return cached
  const result = priceOverrideSchema.safeParse(raw)
  if (!result.success) {
    throw appErrorFromZod('BAD_INPUT', result.error, {
      prefix: `overrides.${index}`,
      hint: 'Custom prices are decimal strings in USD per 1M tokens, e.g. "2.50"',
    })
  }
  const override: PriceOverride = result.data
  const parsed = { key: modelKey(override.model), override, time: effectiveTime(override.effectiveFrom) }
  parsedOverrides.set(raw, parsed)
  return parsed
}

function batchPct(value: string | number | null | undefined): string | null {
  return value === null || value === undefined ? null : String(value)
}

function fromCatalog(modelId: string, provider: PriceVersion['provider'], price: CatalogPrice): PriceVersion {
  return {
    versionId: `${modelId}@${price.effectiveFrom}`,
    model: modelId,
    provider,
    source: 'catalog',
    effectiveFrom: price.effectiveFrom,
    sourceUrl: price.sourceUrl,
    inputPerMTok: price.inputPerMTok,
    outputPerMTok: price.outputPerMTok,
    cachedInputPerMTok: price.cachedInputPerMTok ?? null,
    cacheWritePerMTok: price.cacheWritePerMTok ?? null,
    reasoningPerMTok: price.reasoningPerMTok ?? null,
    batchDiscountPct: batchPct(price.batchDiscountPct),
    tiers: (price.tiers ?? []) as PriceTier[],
  }
}

function fromOverride(key: string, provider: PriceVersion['provider'], o: PriceOverride): PriceVersion {
  return {
    versionId: `custom:${o.id}`,
    model: key,
    provider,
    source: 'custom',
    effectiveFrom: o.effectiveFrom,
    sourceUrl: o.sourceUrl ?? null,
    inputPerMTok: o.inputPerMTok,
    outputPerMTok: o.outputPerMTok,
    cachedInputPerMTok: o.cachedInputPerMTok ?? null,
    cacheWritePerMTok: o.cacheWritePerMTok ?? null,
    reasoningPerMTok: o.reasoningPerMTok ?? null,
    batchDiscountPct: batchPct(o.batchDiscountPct),
    tiers: (o.tiers ?? []) as PriceTier[],
  }
}

/**
 * The price version that applies to a call of `model` at `at`.
 *
 * - Catalogue: the latest version with effectiveFrom ≤ at (00:00 UTC); before the first version,
 *   the first one (a model is not used before it is published — see catalogPriceAt).
 * - Team overrides win: if any override for this model has taken effect by `at`, the latest such
 *   override applies, whatever the catalogue says. Overrides also price models the catalogue does
 *   not know; for those, an override that has not taken effect yet still applies (it is the only
 *   price there is).
 * - Unknown model, no override: null (the usage is recorded as unpriced).
 *
 * Overrides are validated (BAD_INPUT naming `overrides.<i>.<field>` when malformed).
 */
export function priceAt(model: string, at: Date, overrides: readonly PriceOverride[] = []): PriceVersion | null {
  if (typeof model !== 'string' || model.trim() === '') return null
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
    throw new AppError('BAD_INPUT', 'at must be a valid Date (the time the call was made).', { field: 'at' })
  }
  const entry = resolveModel(model)
  const key = entry?.id ?? normalizeModelName(model)
  const time = at.getTime()

  let best: ParsedOverride | null = null
  let earliest: ParsedOverride | null = null
  for (const [index, raw] of overrides.entries()) {
    const parsed = parseOverride(raw, index)
    if (parsed.key !== key) continue
    if (parsed.time <= time && (!best || parsed.time >= best.time)) best = parsed
    if (!earliest || parsed.time < earliest.time) earliest = parsed
  }
  const chosen = best ?? (entry ? null : earliest)
  if (chosen) return fromOverride(key, entry?.provider ?? null, chosen.override)
  if (!entry) return null
  return fromCatalog(entry.id, entry.provider, catalogPriceAt(entry, at))
}
