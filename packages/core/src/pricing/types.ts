import { z } from 'zod'
import { USD_DECIMAL, usdAmountSchema } from '../money'

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
  .regex(USD_DECIMAL, 'must be a decimal string of USD per 1M tokens with at most 9 decimals, e.g. "2.50"')

/** `YYYY-MM-DD`, read as 00:00 UTC of that day. */
export const effectiveDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    {
      message: 'must be a real calendar date',
    },
  )

/** Percent off for batch requests: `50`, `"50"` or `"50.00"` (Postgres numeric(5,2)). */
export const percentSchema = z
  .union([z.number(), z.string()])
  .transform((v) => (typeof v === 'number' ? String(v) : v))
  .pipe(z.string().regex(/^\d{1,3}(\.\d{1,2})?$/, 'must be a percentage with at most 2 decimals, e.g. 50'))
  .refine((s) => Number(s) <= 100, { error: 'must be at most 100' })

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

/**
 * OpenAI's processing tiers. `default` is the standard price; `flex` and `priority` have their own prices where
 * the provider offers them (a call on a tier the model has no price for is recorded unpriced, never at the
 * standard price).
 */
export const serviceTierSchema = z.enum(['default', 'flex', 'priority'])
export type ServiceTier = z.infer<typeof serviceTierSchema>

/** Tools billed per call rather than per token. */
export const perCallKindSchema = z.enum(['web_search', 'file_search', 'code_interpreter'])
export type PerCallKind = z.infer<typeof perCallKindSchema>
export const PER_CALL_KINDS = perCallKindSchema.options

/** Token prices of a processing tier (flex, priority). A price left out is not offered on that tier. */
export const serviceTierPriceSchema = z.object({
  inputPerMTok: perMTokSchema,
  outputPerMTok: perMTokSchema,
  cachedInputPerMTok: perMTokSchema.nullish(),
})
export type ServiceTierPrice = z.infer<typeof serviceTierPriceSchema>

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
  /** Audio input tokens (Gemini Flash, OpenAI audio models). Without it, they are charged the input price. */
  audioInputPerMTok: perMTokSchema.nullish(),
  /** Image input tokens where priced apart from text (image models). Without it, the input price. */
  imageInputPerMTok: perMTokSchema.nullish(),
  batchDiscountPct: percentSchema.nullish(),
  tiers: z.array(priceTierSchema).nullish(),
  /** Flex and priority processing prices (OpenAI `service_tier`). */
  serviceTiers: z
    .object({ flex: serviceTierPriceSchema.optional(), priority: serviceTierPriceSchema.optional() })
    .nullish(),
  /** Per-call fees in USD, e.g. `{ "web_search": "0.01" }` ($10 per 1,000 searches). */
  perCallUsd: z.partialRecord(perCallKindSchema, usdAmountSchema).nullish(),
}

/** One dated set of list prices for a model in the catalogue, with where it was read and when it was checked. */
export const catalogPriceSchema = z.object({
  ...priceFields,
  sourceUrl: z.url(),
  /** The day someone last compared this price with its source. */
  checkedAt: effectiveDateSchema,
  /** Further pages the price was read from (processing tiers, tool fees). */
  otherSourceUrls: z.array(z.url()).optional(),
})
export type CatalogPrice = z.input<typeof catalogPriceSchema>

/**
 * A team's own price for a model, passed in as data (from `model_prices` rows with a team id).
 * It wins over the catalogue from its `effectiveFrom` on (through `effectiveTo`, inclusive, when set).
 * `model` may be a catalogue id, any alias or snapshot of one, or a model the catalogue does not know
 * (a fine-tune, a self-hosted model).
 */
export const priceOverrideSchema = z.object({
  ...priceFields,
  id: z.string().min(1),
  model: z.string().min(1),
  effectiveTo: effectiveDateSchema.nullish(),
  sourceUrl: z.string().nullish(),
})
export type PriceOverride = z.input<typeof priceOverrideSchema>

/**
 * A list price imported into the database (`costwise prices import`): a dated version that sits beside the
 * catalogue's own versions for the same model (the later effective date wins; on the same date the import
 * wins). It can also price a model the catalogue does not list, by that exact name.
 */
export const importedPriceSchema = priceOverrideSchema.extend({ provider: z.string().min(1) })
export type ImportedPrice = z.input<typeof importedPriceSchema>

/** A negotiated discount: a percentage off list prices for a whole provider or one model, for a period. */
export const priceDiscountSchema = z
  .object({
    id: z.string().min(1),
    provider: z.string().min(1).nullish(),
    model: z.string().min(1).nullish(),
    percent: percentSchema,
    effectiveFrom: effectiveDateSchema,
    effectiveTo: effectiveDateSchema.nullish(),
  })
  .refine((d) => (d.provider ? 1 : 0) + (d.model ? 1 : 0) === 1, {
    error: 'a discount is for one provider or one model',
    path: ['model'],
  })
export type PriceDiscount = z.input<typeof priceDiscountSchema>

/**
 * Everything that decides what a team pays, beyond the catalogue: its custom prices, imported list prices, its
 * discounts and its own model names (Azure deployment names) mapped to catalogue models.
 */
export interface PricingContext {
  overrides?: readonly PriceOverride[]
  imported?: readonly ImportedPrice[]
  discounts?: readonly PriceDiscount[]
  /** Lower-case deployment name → model name. */
  mappings?: Readonly<Record<string, string>>
}

export interface ModelEntry {
  /** Canonical id, lower case: what a usage row's `resolved_model` holds. */
  id: string
  provider: Provider
  displayName: string
  /** The tokenizer to count with: an OpenAI encoding, or null when the provider's tokenizer is not public. */
  encoding: z.infer<typeof encodingSchema> | null
  contextWindow: number
  maxOutputTokens: number
  /**
   * Other exact names that mean this model at the same prices: dated snapshots, `-latest` names whose target
   * never moves. A name that is neither an id nor an alias is not priced (see resolve.ts).
   */
  aliases?: readonly string[]
  /** Offered on Amazon Bedrock at these list prices; regional (non-`global.`) endpoints may carry a premium. */
  bedrock?: { regionalPremiumPct?: string }
  /** Retired or superseded: still priced for old usage rows, not suggested as an alternative. */
  legacy?: boolean
  /** Dated list prices, oldest first. */
  prices: readonly CatalogPrice[]
}

export const modelEntrySchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'ids are lower case'),
  provider: providerSchema,
  displayName: z.string().min(1),
  encoding: encodingSchema.nullable(),
  contextWindow: z.number().int().positive(),
  maxOutputTokens: z.number().int().positive(),
  aliases: z.array(z.string().min(1)).optional(),
  legacy: z.boolean().optional(),
  bedrock: z.object({ regionalPremiumPct: percentSchema.optional() }).optional(),
  prices: z.array(catalogPriceSchema).min(1),
})

/** The catalogue file (catalog.json). */
export const catalogFileSchema = z.object({
  $comment: z.string().optional(),
  /** The date of the last change to the file. */
  version: effectiveDateSchema,
  models: z.array(modelEntrySchema).min(1),
})

/**
 * The price version a cost was computed with. `versionId` is stable and stored on the usage row
 * (`gpt-4o@2024-10-01` for the catalogue, `import:<id>` for an imported price, `custom:<id>` for a team's override;
 * `+regional` and `~discount:<id>` mark a premium or a discount applied on top).
 */
export interface PriceVersion {
  versionId: string
  /** The canonical model id (or, for an override of an unknown model, its normalised name). */
  model: string
  provider: Provider | null
  source: 'catalog' | 'import' | 'custom'
  effectiveFrom: string
  sourceUrl: string | null
  inputPerMTok: string
  outputPerMTok: string
  cachedInputPerMTok: string | null
  cacheWritePerMTok: string | null
  reasoningPerMTok: string | null
  audioInputPerMTok: string | null
  imageInputPerMTok: string | null
  batchDiscountPct: string | null
  tiers: readonly PriceTier[]
  serviceTiers: { flex?: ServiceTierPrice; priority?: ServiceTierPrice }
  perCallUsd: Partial<Record<PerCallKind, string>>
  /** The team's negotiated discount applied to this list price, in percent. */
  discountPct: string | null
  /** A surcharge on the list price (Bedrock regional endpoints), in percent. */
  premiumPct: string | null
}
