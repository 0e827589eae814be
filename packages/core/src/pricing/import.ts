import { z } from 'zod'
import { AppError } from '../errors'
import { parseScaledDecimal, shiftedDecimal, usdAmountSchema } from '../money'
import { priceFor } from './price'
import { resolveModelName } from './resolve'
import {
  perCallKindSchema,
  perMTokSchema,
  percentSchema,
  priceTierSchema,
  serviceTierPriceSchema,
  type PriceVersion,
  type PricingContext,
} from './types'

/**
 * One model's list price read from a price file, in Costwise's units (USD per 1M tokens, exact decimal
 * strings). A field left out is not in the file: importing keeps the current value.
 */
export interface ImportEntry {
  /** The name in the file (`gpt-4o`, `gemini/gemini-2.5-pro`, `global.anthropic.claude-…-v1:0`). */
  name: string
  provider: string
  displayName?: string
  inputPerMTok: string
  outputPerMTok: string
  cachedInputPerMTok?: string
  cacheWritePerMTok?: string
  reasoningPerMTok?: string
  audioInputPerMTok?: string
  imageInputPerMTok?: string
  batchDiscountPct?: string
  tiers?: {
    aboveInputTokens: number
    inputPerMTok: string
    outputPerMTok: string
    cachedInputPerMTok?: string
    cacheWritePerMTok?: string
  }[]
  serviceTiers?: { flex?: ServicePrice; priority?: ServicePrice }
  perCallUsd?: { web_search?: string; file_search?: string; code_interpreter?: string }
  sourceUrl?: string
}
type ServicePrice = { inputPerMTok: string; outputPerMTok: string; cachedInputPerMTok?: string }

export interface ParsedPriceFile {
  format: 'litellm' | 'costwise'
  entries: ImportEntry[]
  /** Entries not imported, with why (not a chat model, incomplete or inexact prices). */
  skipped: { name: string; reason: string }[]
  /** Parts of entries left out (an incomplete tier price, a size-dependent search fee), with why. */
  notes: { name: string; note: string }[]
}

// ── Costwise's own format ─────────────────────────────────────────────────────────────────────────────────

const servicePriceSchema = serviceTierPriceSchema.extend({ cachedInputPerMTok: perMTokSchema.optional() })
/** `{ "prices": [ { "model": "gpt-4o", "provider": "openai", "inputPerMTok": "2.50", "outputPerMTok": "10.00", … } ] }` */
export const costwisePriceFileSchema = z.object({
  $comment: z.string().optional(),
  prices: z
    .array(
      z.object({
        model: z.string().trim().min(1).max(200),
        provider: z.string().trim().min(1).max(50),
        displayName: z.string().max(200).optional(),
        inputPerMTok: perMTokSchema,
        outputPerMTok: perMTokSchema,
        cachedInputPerMTok: perMTokSchema.optional(),
        cacheWritePerMTok: perMTokSchema.optional(),
        reasoningPerMTok: perMTokSchema.optional(),
        audioInputPerMTok: perMTokSchema.optional(),
        imageInputPerMTok: perMTokSchema.optional(),
        batchDiscountPct: percentSchema.optional(),
        tiers: z
          .array(
            priceTierSchema.extend({
              cachedInputPerMTok: perMTokSchema.optional(),
              cacheWritePerMTok: perMTokSchema.optional(),
            }),
          )
          .optional(),
        serviceTiers: z
          .object({ flex: servicePriceSchema.optional(), priority: servicePriceSchema.optional() })
          .optional(),
        perCallUsd: z.partialRecord(perCallKindSchema, usdAmountSchema).optional(),
        sourceUrl: z.url().optional(),
      }),
    )
    .min(1, 'the file has no prices')
    .max(10_000),
})

// ── LiteLLM's model_prices_and_context_window.json ─────────────────────────────────────────────────────────

const LITELLM_MODES = new Set(['chat', 'responses', 'completion'])
const LITELLM_PROVIDERS: Record<string, string> = {
  openai: 'openai',
  'text-completion-openai': 'openai',
  anthropic: 'anthropic',
  gemini: 'google',
  'vertex_ai-language-models': 'google',
  mistral: 'mistral',
  deepseek: 'deepseek',
  bedrock: 'bedrock',
  bedrock_converse: 'bedrock',
  azure: 'azure',
}

function looksLikeLiteLlm(data: unknown): data is Record<string, Record<string, unknown>> {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return false
  const values = Object.values(data as Record<string, unknown>)
  return values.some(
    (v) => v !== null && typeof v === 'object' && ('litellm_provider' in v || 'input_cost_per_token' in v),
  )
}

/** Per-token USD → per-1M decimal string, when exact within 9 decimals. */
function perMTok(value: unknown): string | undefined | null {
  if (value === undefined) return undefined
  const decimal = shiftedDecimal(value, 6)
  if (decimal === null) return null
  return perMTokSchema.safeParse(decimal).success ? decimal : null
}

function liteLlmEntry(
  name: string,
  raw: Record<string, unknown>,
  notes: ParsedPriceFile['notes'],
): ImportEntry | string {
  const mode = typeof raw.mode === 'string' ? raw.mode : 'chat'
  if (!LITELLM_MODES.has(mode)) return `mode "${mode}" is not priced per token by Costwise`
  const input = perMTok(raw.input_cost_per_token)
  const output = perMTok(raw.output_cost_per_token)
  if (input === undefined || output === undefined) return 'no input or output price per token'
  if (input === null || output === null)
    return 'a price is not a non-negative number with at most 15 decimals per token'
  const entry: ImportEntry = {
    name,
    provider: LITELLM_PROVIDERS[String(raw.litellm_provider)] ?? String(raw.litellm_provider ?? 'unknown'),
    inputPerMTok: input,
    outputPerMTok: output,
  }
  if (typeof raw.source === 'string' && z.url().safeParse(raw.source).success) entry.sourceUrl = raw.source
  const optional: [keyof ImportEntry, string][] = [
    ['cachedInputPerMTok', 'cache_read_input_token_cost'],
    ['cacheWritePerMTok', 'cache_creation_input_token_cost'],
    ['reasoningPerMTok', 'output_cost_per_reasoning_token'],
    ['audioInputPerMTok', 'input_cost_per_audio_token'],
    ['imageInputPerMTok', 'input_cost_per_image_token'],
  ]
  for (const [field, key] of optional) {
    const value = perMTok(raw[key])
    if (value === null) notes.push({ name, note: `${key} is not an exact price; left out` })
    else if (value !== undefined) (entry as unknown as Record<string, string>)[field] = value
  }
  // Batch prices → a batch discount, when both halves give the same exact percentage.
  const batchIn = perMTok(raw.input_cost_per_token_batches)
  const batchOut = perMTok(raw.output_cost_per_token_batches)
  if (batchIn && batchOut) {
    const pctIn = discountPct(input, batchIn)
    const pctOut = discountPct(output, batchOut)
    if (pctIn !== null && pctIn === pctOut) entry.batchDiscountPct = pctIn
    else notes.push({ name, note: 'batch prices are not one exact percentage off input and output; left out' })
  }
  // Long-prompt tiers.
  for (const [suffix, above] of [
    ['above_128k_tokens', 128_000],
    ['above_200k_tokens', 200_000],
  ] as const) {
    const tierIn = perMTok(raw[`input_cost_per_token_${suffix}`])
    const tierOut = perMTok(raw[`output_cost_per_token_${suffix}`])
    if (tierIn === undefined && tierOut === undefined) continue
    if (!tierIn || !tierOut) {
      notes.push({
        name,
        note: `the ${suffix.replaceAll('_', ' ')} tier has no complete input and output price; left out`,
      })
      continue
    }
    const tier: NonNullable<ImportEntry['tiers']>[number] = {
      aboveInputTokens: above,
      inputPerMTok: tierIn,
      outputPerMTok: tierOut,
    }
    const cached = perMTok(raw[`cache_read_input_token_cost_${suffix}`])
    const write = perMTok(raw[`cache_creation_input_token_cost_${suffix}`])
    if (cached) tier.cachedInputPerMTok = cached
    if (write) tier.cacheWritePerMTok = write
    ;(entry.tiers ??= []).push(tier)
  }
  // Flex and priority processing.
  for (const tierName of ['flex', 'priority'] as const) {
    const tierIn = perMTok(raw[`input_cost_per_token_${tierName}`])
    const tierOut = perMTok(raw[`output_cost_per_token_${tierName}`])
    if (tierIn === undefined && tierOut === undefined) continue
    if (!tierIn || !tierOut) {
      notes.push({
        name,
        note: `${tierName} processing has ${tierIn ? 'an input' : 'an output'} price but no ${tierIn ? 'output' : 'input'} price; left out`,
      })
      continue
    }
    const price: ServicePrice = { inputPerMTok: tierIn, outputPerMTok: tierOut }
    const cached = perMTok(raw[`cache_read_input_token_cost_${tierName}`])
    if (cached) price.cachedInputPerMTok = cached
    ;(entry.serviceTiers ??= {})[tierName] = price
  }
  // Web search: one fee per query when it does not depend on the search context size.
  const search = raw.search_context_cost_per_query
  if (search && typeof search === 'object') {
    const sizes = Object.values(search as Record<string, unknown>).map((v) => shiftedDecimal(v, 0))
    const first = sizes[0]
    if (first && sizes.every((s) => s === first) && usdAmountSchema.safeParse(first).success)
      entry.perCallUsd = { web_search: first }
    else
      notes.push({
        name,
        note: 'web search is priced by search context size (low/medium/high), which Costwise does not track; left out',
      })
  }
  return entry
}

/** The batch discount in percent (2 decimals, exact) that turns `full` into `batch`, or null. */
function discountPct(full: string, batch: string): string | null {
  const f = parseScaledDecimal(full, 9)
  const b = parseScaledDecimal(batch, 9)
  if (f === 0n || b > f) return null
  const off = (f - b) * 10_000n
  if (off % f !== 0n) return null
  const hundredths = off / f
  const whole = hundredths / 100n
  const frac = hundredths % 100n
  return frac === 0n ? String(whole) : `${whole}.${String(frac).padStart(2, '0').replace(/0$/, '')}`
}

/**
 * Reads a price file: LiteLLM's `model_prices_and_context_window.json` (per-token floats, converted exactly to
 * USD per 1M tokens) or Costwise's own `{ "prices": [...] }`. Throws BAD_INPUT naming what is wrong when the file
 * is neither.
 */
export function parsePriceFile(text: string, format?: 'litellm' | 'costwise'): ParsedPriceFile {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new AppError('BAD_INPUT', `The price file is not JSON: ${(error as Error).message}`, { field: 'file' })
  }
  const kind =
    format ??
    (data && typeof data === 'object' && 'prices' in data ? 'costwise' : looksLikeLiteLlm(data) ? 'litellm' : null)
  if (kind === 'costwise') {
    const parsed = costwisePriceFileSchema.safeParse(data)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!
      const field = issue.path.join('.')
      throw new AppError('BAD_INPUT', `The price file is invalid at ${field}: ${issue.message}`, { field })
    }
    return {
      format: 'costwise',
      entries: parsed.data.prices.map(({ model, ...rest }) => ({
        ...rest,
        name: model,
        batchDiscountPct: rest.batchDiscountPct,
      })) as ImportEntry[],
      skipped: [],
      notes: [],
    }
  }
  if (kind !== 'litellm' || !looksLikeLiteLlm(data)) {
    throw new AppError(
      'BAD_INPUT',
      'The price file is neither LiteLLM\'s model_prices_and_context_window.json (an object of models with "input_cost_per_token") nor Costwise\'s { "prices": [...] }.',
      { field: 'file' },
    )
  }
  const entries: ImportEntry[] = []
  const skipped: ParsedPriceFile['skipped'] = []
  const notes: ParsedPriceFile['notes'] = []
  for (const [name, raw] of Object.entries(data)) {
    if (name === 'sample_spec' || !raw || typeof raw !== 'object') continue
    const entry = liteLlmEntry(name, raw, notes)
    if (typeof entry === 'string') skipped.push({ name, reason: entry })
    else entries.push(entry)
  }
  return { format: 'litellm', entries, skipped, notes }
}

// ── Diff against the prices in effect ──────────────────────────────────────────────────────────────────────

export interface PriceChange {
  /** `input`, `output`, `cachedInput`, `cacheWrite`, `reasoning`, `audioInput`, `imageInput`, `batchDiscountPct`,
   *  `tier>200000.input`, `flex.output`, `priority.cachedInput`, `web_search`… */
  kind: string
  before: string | null
  after: string
}

export interface ImportDiffItem {
  name: string
  /** The catalogue model the name resolves to, if any. */
  model: string | null
  provider: string
  status: 'new' | 'changed' | 'same' | 'alias'
  /** The version the comparison was made with. */
  currentVersion: string | null
  changes: PriceChange[]
  entry: ImportEntry
}

export interface ImportDiff {
  /** Models the catalogue does not list. */
  added: ImportDiffItem[]
  /** Catalogue models whose price in the file differs. */
  changed: ImportDiffItem[]
  unchanged: ImportDiffItem[]
  /** Other names (dated snapshots, cloud spellings) of catalogue models: priced by that model, not imported, but
   *  a price that differs from it is reported. */
  aliases: ImportDiffItem[]
}

function sameDecimal(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null)
  return parseScaledDecimal(a, 9) === parseScaledDecimal(b, 9)
}

/** The file's prices that differ from `current`, per token kind (fields the file leaves out are not compared). */
export function priceChanges(current: PriceVersion | null, e: ImportEntry): PriceChange[] {
  const changes: PriceChange[] = []
  const compare = (kind: string, before: string | null | undefined, after: string | undefined) => {
    if (after !== undefined && !sameDecimal(before ?? null, after))
      changes.push({ kind, before: before ?? null, after })
  }
  compare('input', current?.inputPerMTok, e.inputPerMTok)
  compare('output', current?.outputPerMTok, e.outputPerMTok)
  compare('cachedInput', current?.cachedInputPerMTok, e.cachedInputPerMTok)
  compare('cacheWrite', current?.cacheWritePerMTok, e.cacheWritePerMTok)
  compare('reasoning', current?.reasoningPerMTok, e.reasoningPerMTok)
  compare('audioInput', current?.audioInputPerMTok, e.audioInputPerMTok)
  compare('imageInput', current?.imageInputPerMTok, e.imageInputPerMTok)
  compare('batchDiscountPct', current?.batchDiscountPct, e.batchDiscountPct)
  for (const tier of e.tiers ?? []) {
    const now = current?.tiers.find((t) => t.aboveInputTokens === tier.aboveInputTokens)
    compare(`tier>${tier.aboveInputTokens}.input`, now?.inputPerMTok, tier.inputPerMTok)
    compare(`tier>${tier.aboveInputTokens}.output`, now?.outputPerMTok, tier.outputPerMTok)
    compare(`tier>${tier.aboveInputTokens}.cachedInput`, now?.cachedInputPerMTok, tier.cachedInputPerMTok)
    compare(`tier>${tier.aboveInputTokens}.cacheWrite`, now?.cacheWritePerMTok, tier.cacheWritePerMTok)
  }
  for (const name of ['flex', 'priority'] as const) {
    const next = e.serviceTiers?.[name]
    if (!next) continue
    const now = current?.serviceTiers[name]
    compare(`${name}.input`, now?.inputPerMTok, next.inputPerMTok)
    compare(`${name}.output`, now?.outputPerMTok, next.outputPerMTok)
    compare(`${name}.cachedInput`, now?.cachedInputPerMTok, next.cachedInputPerMTok)
  }
  for (const [kind, fee] of Object.entries(e.perCallUsd ?? {}))
    compare(kind, current?.perCallUsd[kind as 'web_search'], fee)
  return changes
}

/**
 * Compares a price file with the list prices in effect at `at` (catalogue and already imported versions; team
 * prices are not list prices and are ignored): which models are new, which changed (per token kind), which are
 * the same. Names that resolve to a catalogue model without being its id are aliases: not imported (the model's
 * own entry is), but reported when their price differs.
 */
export function diffPriceFile(
  entries: readonly ImportEntry[],
  at: Date,
  context: Pick<PricingContext, 'imported'> = {},
): ImportDiff {
  const diff: ImportDiff = { added: [], changed: [], unchanged: [], aliases: [] }
  const exactNames = new Set(entries.map((e) => e.name.trim().toLowerCase()))
  for (const entry of entries) {
    const resolution = resolveModelName(entry.name)
    const key = resolution.key
    const current = priceFor(entry.name, at, { imported: context.imported }).version
    const changes = priceChanges(current, entry)
    const item: ImportDiffItem = {
      name: entry.name,
      model: resolution.entry?.id ?? null,
      provider: resolution.entry?.provider ?? entry.provider,
      status: 'same',
      currentVersion: current?.versionId ?? null,
      changes,
      entry,
    }
    const lower = entry.name.trim().toLowerCase()
    // `gemini/gemini-2.5-pro` is the model itself (a provider prefix), unless the file also lists `gemini-2.5-pro`.
    const isModel =
      resolution.entry &&
      (lower === resolution.entry.id ||
        (key === resolution.entry.id &&
          !exactNames.has(key) &&
          !resolution.bedrockRegional &&
          !lower.includes('.anthropic.') &&
          !lower.startsWith('anthropic.')))
    if (resolution.entry && !isModel) {
      item.status = 'alias'
      diff.aliases.push(item)
    } else if (!current) {
      item.status = 'new'
      item.model = null
      diff.added.push({ ...item, name: key || entry.name })
    } else if (changes.length > 0) {
      item.status = 'changed'
      diff.changed.push(item)
    } else {
      diff.unchanged.push(item)
    }
  }
  return diff
}

/**
 * The full price version an import writes for an entry: the file's prices over the version in effect (a field
 * the file leaves out keeps its current value), so importing never drops a price the file does not mention.
 */
export function mergedImportPrice(current: PriceVersion | null, e: ImportEntry) {
  const tiers = [...(current?.tiers ?? [])].filter(
    (t) => !(e.tiers ?? []).some((n) => n.aboveInputTokens === t.aboveInputTokens),
  )
  return {
    inputPerMTok: e.inputPerMTok,
    outputPerMTok: e.outputPerMTok,
    cachedInputPerMTok: e.cachedInputPerMTok ?? current?.cachedInputPerMTok ?? null,
    cacheWritePerMTok: e.cacheWritePerMTok ?? current?.cacheWritePerMTok ?? null,
    reasoningPerMTok: e.reasoningPerMTok ?? current?.reasoningPerMTok ?? null,
    audioInputPerMTok: e.audioInputPerMTok ?? current?.audioInputPerMTok ?? null,
    imageInputPerMTok: e.imageInputPerMTok ?? current?.imageInputPerMTok ?? null,
    batchDiscountPct: e.batchDiscountPct ?? current?.batchDiscountPct ?? null,
    tiers: [...tiers, ...(e.tiers ?? [])].sort((a, b) => a.aboveInputTokens - b.aboveInputTokens),
    serviceTiers: { ...(current?.serviceTiers ?? {}), ...(e.serviceTiers ?? {}) },
    perCallUsd: { ...(current?.perCallUsd ?? {}), ...(e.perCallUsd ?? {}) },
  }
}
