import data from './catalog.json'
import { catalogFileSchema, type ModelEntry } from './types'

/**
 * The default price catalogue lives in `catalog.json` beside this file: published list prices in USD per 1M
 * tokens as exact decimal strings, versioned by the date they took effect (00:00 UTC), each with the page it was
 * read from (`sourceUrl`) and the day it was last checked (`checkedAt`). The README's "Adding a model" says how
 * to change it. Teams add their own prices, discounts and imported price versions on top (see price.ts).
 *
 * Conventions (the cost calculation in cost.ts relies on them):
 * - `cachedInputPerMTok` is the cache-read price; `cacheWritePerMTok` the cache-write price (Anthropic's
 *   5-minute cache write, 1.25× input).
 * - Reasoning tokens are billed as output by every provider listed, so no entry sets `reasoningPerMTok`.
 * - `audioInputPerMTok` / `imageInputPerMTok` only where a provider prices them apart from text.
 * - Tiers (`aboveInputTokens`) switch every price of the request when the prompt is larger.
 * - `serviceTiers` holds OpenAI's flex and priority prices; `perCallUsd` per-call tool fees.
 * - `batchDiscountPct` is the provider's batch API discount.
 * - `aliases` are the only other names a model answers to: a dated snapshot that is not listed is NOT priced
 *   as its neighbour (it may cost something else), it is recorded unpriced and flagged.
 *
 * When a provider changes a price, append a new version with its effective date; never edit an old one —
 * usage rows keep the `versionId` they were charged with.
 */
const parsed = catalogFileSchema.safeParse(data)
if (!parsed.success) {
  const issue = parsed.error.issues[0]!
  throw new Error(`catalog.json is invalid at ${issue.path.join('.')}: ${issue.message}`)
}

/** The catalogue file's version (the date of its last change). */
export const CATALOG_VERSION: string = parsed.data.version

export const MODELS: readonly ModelEntry[] = parsed.data.models
