import { z } from 'zod'

export const providerSchema = z.enum(['openai', 'anthropic', 'google', 'mistral', 'deepseek', 'local'])
export type Provider = z.infer<typeof providerSchema>
export const PROVIDERS = providerSchema.options

export const encodingSchema = z.enum(['o200k_base', 'cl100k_base'])

/**
 * A price in USD per 1M tokens, as an exact decimal string with at most 9 decimals (it is stored in
 * a `numeric(20,9)` column). Never a JS number: `"0.075"` stays exactly 0.075.
 */
export const perMTokSchema = z
  .string()
  .regex(/^\d+(\.\d{1,9})?$/, 'must be a decimal string of USD per 1M tokens with at most 9 decimals, e.g. "2.50"')

/** `YYYY-MM-DD`, read as 00:00 UTC of that day. */
export const effectiveDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), {
    message: 'must be a real calendar date',
  })

/** Percent off for batch requests: `50`, `"50"` or `"50.00"` (Postgres numeric(5,2)). */
export const percentSchema = z
  .union([z.number(), z.string()])
  .transform((v) => (typeof v === 'number' ? String(v) : v))
  .pipe(z.string().regex(/^\d{1,3}(\.\d{1,2})?$/, 'must be a percentage with at most 2 decimals, e.g. 50'))
  .refine((s) => Number(s) <= 100, { message: 'must be at most 100' })

/**
 * Prices that apply when the prompt (`inputTokens`, cached included) is larger than
 * `aboveInputTokens` — e.g. Gemini 2.5 Pro above 200k tokens. The tier applies to every token of the
 * request. A field left out inherits the base price version's value.
 */
export const priceTierSchema = z.object({
  aboveInputTokens: z.number().int().positive(),
  inputPerMTok: perMTokSchema,
  outputPerMTok: perMTokSchema,
  cachedInputPerMTok: perMTokSchema.nullish(),
  cacheWritePerMTok: perMTokSchema.nullish(),
})
export type PriceTier = z.input<typeof priceTierSchema>

const priceFields = {
  effectiveFrom: effectiveDateSchema,
  inputPerMTok: perMTokSchema,
  outputPerMTok: perMTokSchema,
  /** Cache reads. Without it, cached tokens are charged the input price. */
  cachedInputPerMTok: perMTokSchema.nullish(),
  /** Cache writes (Anthropic). Without it, cache-write tokens are charged the input price. */
  cacheWritePerMTok: perMTokSchema.nullish(),
  /** Reasoning tokens. Without it, they are charged the output price (how every provider bills today). */
  reasoningPerMTok: perMTokSchema.nullish(),
  batchDiscountPct: percentSchema.nullish(),
  tiers: z.array(priceTierSchema).nullish(),
}

/** One dated set of list prices for a model in the catalogue. */
export const catalogPriceSchema = z.object({ ...priceFields, sourceUrl: z.url() })
export type CatalogPrice = z.input<typeof catalogPriceSchema>

/**
 * A team's own price for a model, passed in as data (from `model_prices` rows with a team id).
 * It wins over the catalogue from its `effectiveFrom` on. `model` may be a catalogue id, any alias
 * or snapshot of one, or a model the catalogue does not know (a fine-tune, a self-hosted model).
 */
export const priceOverrideSchema = z.object({
  ...priceFields,
  id: z.string().min(1),
  model: z.string().min(1),
  sourceUrl: z.string().nullish(),
})
export type PriceOverride = z.input<typeof priceOverrideSchema>

export interface ModelEntry {
  /** Canonical id, lower case: what a usage row's `resolved_model` holds. */
  id: string
  provider: Provider
  displayName: string
  /** The tokenizer to count with: an OpenAI encoding, or null when the provider's tokenizer is not public. */
  encoding: z.infer<typeof encodingSchema> | null
  contextWindow: number
  maxOutputTokens: number
  /** Other names that mean this model (beyond the generic snapshot/prefix rules in resolve.ts). */
  aliases?: readonly string[]
  /** Retired or superseded: still priced for old usage rows, not suggested as an alternative. */
  legacy?: boolean
  /** Dated list prices, oldest first. */
  prices: readonly CatalogPrice[]
}

/**
 * The price version a cost was computed with. `versionId` is stable and stored on the usage row
 * (`gpt-4o@2024-10-01` for the catalogue, `custom:<id>` for a team's override).
 */
export interface PriceVersion {
  versionId: string
  /** The canonical model id (or, for an override of an unknown model, its normalised name). */
  model: string
  provider: Provider | null
  source: 'catalog' | 'custom'
  effectiveFrom: string
  sourceUrl: string | null
  inputPerMTok: string
  outputPerMTok: string
  cachedInputPerMTok: string | null
  cacheWritePerMTok: string | null
  reasoningPerMTok: string | null
  batchDiscountPct: string | null
  tiers: readonly PriceTier[]
}
