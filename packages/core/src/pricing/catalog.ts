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

/**
 * What each model is for, used by recommendations: `cheaper_model` only suggests a model of the same
 * provider and capability class whose input modalities include the original's (context windows and max
 * output come from catalog.json). Classes: `general` chat/instruction models, `reasoning` models that
 * think before answering, `code` models. Keep this the one place these facts live; a model without an entry
 * is never suggested and never suggested away from.
 */
export type CapabilityClass = 'general' | 'reasoning' | 'code'
export type Modality = 'text' | 'image' | 'audio'
export interface ModelCapabilities {
  class: CapabilityClass
  /** Input modalities. */
  modalities: readonly Modality[]
}
const TEXT: readonly Modality[] = ['text']
const VISION: readonly Modality[] = ['text', 'image']
const MULTI: readonly Modality[] = ['text', 'image', 'audio']
export const MODEL_CAPABILITIES: Readonly<Record<string, ModelCapabilities>> = {
  'gpt-5.1': { class: 'reasoning', modalities: VISION },
  'gpt-5': { class: 'reasoning', modalities: VISION },
  'gpt-5-mini': { class: 'reasoning', modalities: VISION },
  'gpt-5-nano': { class: 'reasoning', modalities: VISION },
  'gpt-4.1': { class: 'general', modalities: VISION },
  'gpt-4.1-mini': { class: 'general', modalities: VISION },
  'gpt-4.1-nano': { class: 'general', modalities: VISION },
  'gpt-4o': { class: 'general', modalities: VISION },
  'gpt-4o-2024-05-13': { class: 'general', modalities: VISION },
  'gpt-4o-2024-08-06': { class: 'general', modalities: VISION },
  'gpt-4o-mini': { class: 'general', modalities: VISION },
  o1: { class: 'reasoning', modalities: VISION },
  'o1-mini': { class: 'reasoning', modalities: TEXT },
  o3: { class: 'reasoning', modalities: VISION },
  'o3-mini': { class: 'reasoning', modalities: TEXT },
  'o4-mini': { class: 'reasoning', modalities: VISION },
  'gpt-4-turbo': { class: 'general', modalities: VISION },
  'gpt-4': { class: 'general', modalities: TEXT },
  'gpt-3.5-turbo': { class: 'general', modalities: TEXT },
  'gpt-3.5-turbo-1106': { class: 'general', modalities: TEXT },
  'claude-opus-4-5': { class: 'general', modalities: VISION },
  'claude-opus-4-1': { class: 'general', modalities: VISION },
  'claude-opus-4': { class: 'general', modalities: VISION },
  'claude-sonnet-4-5': { class: 'general', modalities: VISION },
  'claude-sonnet-4': { class: 'general', modalities: VISION },
  'claude-3-7-sonnet': { class: 'general', modalities: VISION },
  'claude-3-5-sonnet': { class: 'general', modalities: VISION },
  'claude-haiku-4-5': { class: 'general', modalities: VISION },
  'claude-3-5-haiku': { class: 'general', modalities: TEXT },
  'claude-3-haiku': { class: 'general', modalities: VISION },
  'gemini-3-pro': { class: 'general', modalities: MULTI },
  'gemini-2.5-pro': { class: 'general', modalities: MULTI },
  'gemini-2.5-flash': { class: 'general', modalities: MULTI },
  'gemini-2.5-flash-lite': { class: 'general', modalities: MULTI },
  'gemini-2.0-flash': { class: 'general', modalities: MULTI },
  'gemini-1.5-pro': { class: 'general', modalities: MULTI },
  'gemini-1.5-flash': { class: 'general', modalities: MULTI },
  'mistral-large': { class: 'general', modalities: TEXT },
  'mistral-medium': { class: 'general', modalities: VISION },
  'mistral-small': { class: 'general', modalities: VISION },
  codestral: { class: 'code', modalities: TEXT },
  'ministral-8b': { class: 'general', modalities: TEXT },
  'deepseek-chat': { class: 'general', modalities: TEXT },
  'deepseek-reasoner': { class: 'reasoning', modalities: TEXT },
  'costwise-demo': { class: 'general', modalities: TEXT },
  'costwise-demo-mini': { class: 'general', modalities: TEXT },
  'costwise-demo-reasoner': { class: 'reasoning', modalities: TEXT },
}
