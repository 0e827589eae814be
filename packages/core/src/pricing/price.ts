import { AppError, appErrorFromZod } from '../errors'
import { catalogPriceAt, effectiveEnd, effectiveTime, resolveModelName, type Resolution } from './resolve'
import {
  importedPriceSchema,
  priceDiscountSchema,
  priceOverrideSchema,
  type CatalogPrice,
  type ImportedPrice,
  type PriceDiscount,
  type PriceOverride,
  type PriceTier,
  type PriceVersion,
  type PricingContext,
  type Provider,
} from './types'

/** Canonical id for matching prices: the catalogue id when the name resolves, else the normalised name. */
export function modelKey(name: string): string {
  return resolveModelName(name).key
}

interface Parsed<T> {
  key: string
  value: T
  from: number
  to: number
}

// Team prices usually come from one cached query result, so validate each object once.
const parsedCache = new WeakMap<object, Parsed<unknown>>()

function parseOnce<T extends { effectiveFrom: string; effectiveTo?: string | null }>(
  raw: T,
  index: number,
  schema: {
    safeParse(v: unknown): { success: true; data: unknown } | { success: false; error: import('zod').ZodError }
  },
  what: string,
  keyOf: (value: T) => string,
): Parsed<T> {
  const cached = parsedCache.get(raw)
  if (cached) return cached as Parsed<T>
  const result = schema.safeParse(raw)
  if (!result.success) {
    throw appErrorFromZod('BAD_INPUT', result.error, {
      prefix: `${what}.${index}`,
      hint: 'Prices are decimal strings in USD per 1M tokens, e.g. "2.50"; dates are YYYY-MM-DD',
    })
  }
  const value = result.data as T
  const parsed: Parsed<T> = {
    key: keyOf(value),
    value,
    from: effectiveTime(value.effectiveFrom),
    to: effectiveEnd(value.effectiveTo),
  }
  parsedCache.set(raw, parsed)
  return parsed
}

function pct(value: string | number | null | undefined): string | null {
  return value === null || value === undefined ? null : String(value)
}

type PriceData = Omit<CatalogPrice, 'sourceUrl' | 'checkedAt' | 'otherSourceUrls'> & { sourceUrl?: string | null }

function version(
  versionId: string,
  model: string,
  provider: string | null,
  source: PriceVersion['source'],
  p: PriceData,
): PriceVersion {
  return {
    versionId,
    model,
    provider: (provider ?? null) as Provider | null,
    source,
    effectiveFrom: p.effectiveFrom,
    sourceUrl: p.sourceUrl ?? null,
    inputPerMTok: p.inputPerMTok,
    outputPerMTok: p.outputPerMTok,
    cachedInputPerMTok: p.cachedInputPerMTok ?? null,
    cacheWritePerMTok: p.cacheWritePerMTok ?? null,
    reasoningPerMTok: p.reasoningPerMTok ?? null,
    audioInputPerMTok: p.audioInputPerMTok ?? null,
    imageInputPerMTok: p.imageInputPerMTok ?? null,
    batchDiscountPct: pct(p.batchDiscountPct),
    tiers: (p.tiers ?? []) as PriceTier[],
    serviceTiers: {
      ...(p.serviceTiers?.flex ? { flex: p.serviceTiers.flex } : {}),
      ...(p.serviceTiers?.priority ? { priority: p.serviceTiers.priority } : {}),
    },
    perCallUsd: { ...(p.perCallUsd ?? {}) },
    discountPct: null,
    premiumPct: null,
  }
}

export interface PriceLookup {
  /** The price version to charge, or null when there is none. */
  version: PriceVersion | null
  resolution: Resolution
  /** Why there is no price (null when there is one). */
  reason: string | null
}

/**
 * The price a team pays for a call of `model` at `at`.
 *
 * 1. The name resolves exactly (catalogue id, declared alias, or the team's mapping) — see resolveModelName.
 * 2. A team's custom price in effect at `at` (effectiveFrom ≤ at, through effectiveTo) wins; the latest such one.
 *    For a model with no list price at all, a custom price that has not started yet still applies (it is the
 *    only price there is) unless it has already ended.
 * 3. Otherwise the list price: the latest of the catalogue's and the imported versions with effectiveFrom ≤ at
 *    (on the same date the import wins); before the first version, the first one.
 * 4. A list price gets the Bedrock regional premium where one applies, then the team's discount for the model
 *    (or, failing that, for its provider) in effect at `at`. Custom prices are already what the team pays.
 *
 * No price → `version: null` and a `reason`. Malformed team data throws BAD_INPUT naming the item.
 */
export function priceFor(model: string, at: Date, context: PricingContext = {}): PriceLookup {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
    throw new AppError('BAD_INPUT', 'at must be a valid Date (the time the call was made).', { field: 'at' })
  }
  const resolution = resolveModelName(model, context.mappings)
  const time = at.getTime()
  const key = resolution.key
  const entry = resolution.entry

  // Custom prices.
  let best: Parsed<PriceOverride> | null = null
  let earliest: Parsed<PriceOverride> | null = null
  for (const [index, raw] of (context.overrides ?? []).entries()) {
    const parsed = parseOnce(raw, index, priceOverrideSchema, 'overrides', (o) => modelKey(o.model))
    if (parsed.key !== key || key === '') continue
    if (parsed.from <= time && time < parsed.to && (!best || parsed.from >= best.from)) best = parsed
    if (time < parsed.to && (!earliest || parsed.from < earliest.from)) earliest = parsed
  }

  // List prices: the catalogue's and the imported ones (indexed by model once per list: an import may hold
  // thousands of models, and this runs on every tracked call).
  const imported = key === '' ? [] : (importedIndex(context.imported ?? []).get(key) ?? []).filter((p) => time < p.to)
  const hasList = entry !== null || imported.length > 0

  const chosenCustom = best ?? (hasList ? null : earliest)
  if (chosenCustom) {
    const o = chosenCustom.value
    const provider = entry?.provider ?? null
    return { version: version(`custom:${o.id}`, key, provider, 'custom', o), resolution, reason: null }
  }
  if (!hasList) return { version: null, resolution, reason: resolution.reason ?? `No price for "${model}".` }

  let list: PriceVersion | null = null
  let listFrom = Number.NEGATIVE_INFINITY
  if (entry) {
    const price = catalogPriceAt(entry, at)
    list = version(`${entry.id}@${price.effectiveFrom}`, entry.id, entry.provider, 'catalog', price)
    listFrom = effectiveTime(price.effectiveFrom)
    if (listFrom > time) listFrom = Number.NEGATIVE_INFINITY // before the first version: any import in effect wins
  }
  let importedChoice: Parsed<ImportedPrice> | null = null
  for (const p of imported) {
    if (p.from <= time && time < p.to && p.from >= listFrom && (!importedChoice || p.from >= importedChoice.from))
      importedChoice = p
  }
  if (!importedChoice && !list) {
    importedChoice = imported.reduce<Parsed<ImportedPrice> | null>((a, p) => (!a || p.from < a.from ? p : a), null)
  }
  if (importedChoice) {
    const i = importedChoice.value
    list = version(`import:${i.id}`, key, entry?.provider ?? i.provider, 'import', i)
  }
  if (!list) return { version: null, resolution, reason: resolution.reason }

  if (resolution.bedrockRegional && entry?.bedrock?.regionalPremiumPct) {
    list = { ...list, versionId: `${list.versionId}+regional`, premiumPct: entry.bedrock.regionalPremiumPct }
  }
  const discount = discountFor(list, time, context.discounts ?? [])
  if (discount) {
    list = { ...list, versionId: `${list.versionId}~discount:${discount.id}`, discountPct: String(discount.percent) }
  }
  return { version: list, resolution, reason: null }
}

const importedIndexes = new WeakMap<readonly ImportedPrice[], Map<string, Parsed<ImportedPrice>[]>>()
function importedIndex(list: readonly ImportedPrice[]): Map<string, Parsed<ImportedPrice>[]> {
  let index = importedIndexes.get(list)
  if (!index) {
    index = new Map()
    for (const [i, raw] of list.entries()) {
      const parsed = parseOnce(raw, i, importedPriceSchema, 'imported', (p) => modelKey(p.model))
      const forKey = index.get(parsed.key) ?? []
      forKey.push(parsed)
      index.set(parsed.key, forKey)
    }
    importedIndexes.set(list, index)
  }
  return index
}

/** The team's discount for this model (else its provider) in effect at `time`; the latest one wins. */
function discountFor(list: PriceVersion, time: number, discounts: readonly PriceDiscount[]): PriceDiscount | null {
  let byModel: Parsed<PriceDiscount> | null = null
  let byProvider: Parsed<PriceDiscount> | null = null
  for (const [index, raw] of discounts.entries()) {
    const parsed = parseOnce(raw, index, priceDiscountSchema, 'discounts', (d) => (d.model ? modelKey(d.model) : ''))
    if (!(parsed.from <= time && time < parsed.to)) continue
    const d = parsed.value
    if (d.model && parsed.key === list.model) {
      if (!byModel || parsed.from >= byModel.from) byModel = parsed
    } else if (d.provider && list.provider && d.provider.toLowerCase() === list.provider) {
      if (!byProvider || parsed.from >= byProvider.from) byProvider = parsed
    }
  }
  return (byModel ?? byProvider)?.value ?? null
}

/**
 * The price version for a call (see {@link priceFor}), or null when it is not priced. `overrides` may be passed
 * directly (the team's custom prices) or a whole PricingContext.
 */
export function priceAt(
  model: string,
  at: Date,
  context: readonly PriceOverride[] | PricingContext = {},
): PriceVersion | null {
  if (typeof model !== 'string' || model.trim() === '') return null
  const ctx: PricingContext = Array.isArray(context)
    ? { overrides: context as readonly PriceOverride[] }
    : (context as PricingContext)
  return priceFor(model, at, ctx).version
}
