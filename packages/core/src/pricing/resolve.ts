import { MODELS } from './catalog'
import type { ModelEntry, Provider } from './types'
import { PROVIDERS } from './types'

const byName = new Map<string, ModelEntry>()
for (const model of MODELS) {
  byName.set(model.id, model)
  for (const alias of model.aliases ?? []) byName.set(alias, model)
}

/**
 * The spelling-only part of resolution: lower case, no routing prefix, no cloud-specific wrapping.
 * - `"OpenAI/GPT-4o"`, `"models/gemini-2.5-pro"`, `"openrouter/anthropic/claude-3.5-haiku"` → last path segment
 * - Vertex AI `"claude-3-5-haiku@20241022"` → drop `@…`
 * - Bedrock `"us.anthropic.claude-3-5-haiku-20241022-v1:0"` → drop region/vendor prefix and `-v1:0`
 * - dotted Claude versions (`claude-3.5-haiku`, `claude-sonnet-4.5`) → dashes, as Anthropic spells them
 */
export function normalizeModelName(raw: string): string {
  let name = raw.trim().toLowerCase()
  const slash = name.lastIndexOf('/')
  if (slash >= 0) name = name.slice(slash + 1)
  name = name.replace(/@.*$/, '')
  const bedrock = /^(?:[a-z]{2,4}\.)?anthropic\./
  if (bedrock.test(name)) name = name.replace(bedrock, '').replace(/-v\d+(?::\d+)?$/, '')
  if (name.startsWith('claude')) name = name.replace(/(\d)\.(\d)/g, '$1-$2')
  return name
}

/**
 * Snapshot and channel suffixes that do not change the price, removed one at a time until a
 * catalogue id or alias matches: `-latest`, `-2024-08-06`, `-20241022`, `-preview…`/`-exp…`
 * (`gemini-2.5-pro-preview-06-05`), and 3–4 digit snapshots (`gpt-4-0613`, `mistral-large-2411`,
 * `gemini-2.0-flash-001`). Snapshots that ARE priced differently get their own catalogue entry
 * (`gpt-4o-2024-05-13`) or alias (`gpt-4-1106-preview` → gpt-4-turbo), which match first.
 */
const SUFFIXES: readonly RegExp[] = [
  /-latest$/,
  /-\d{4}-\d{2}-\d{2}$/,
  /-\d{8}$/,
  /-(?:preview|exp)(?:-.*)?$/,
  /-\d{3,4}$/,
]

/**
 * Finds the catalogue entry for any name a provider, SDK or router uses for a model:
 * `resolveModel('gpt-4o-2024-08-06')` → gpt-4o, `'claude-3-5-haiku-latest'` → claude-3-5-haiku,
 * `'openai/gpt-4o'`, `'models/gemini-2.5-pro'`, `'gemini-2.5-pro-preview-06-05'`, any case.
 * Unknown names (and fine-tunes, `ft:…`, which are priced differently) give null — callers record
 * the usage as unpriced; this never throws.
 */
export function resolveModel(name: unknown): ModelEntry | null {
  if (typeof name !== 'string') return null
  let candidate = normalizeModelName(name)
  if (candidate === '' || candidate.startsWith('ft:')) return null
  for (;;) {
    const hit = byName.get(candidate)
    if (hit) return hit
    const suffix = SUFFIXES.find((pattern) => pattern.test(candidate))
    if (!suffix) return null
    candidate = candidate.replace(suffix, '')
    if (candidate === '') return null
  }
}

/** The catalogue entry with exactly this id. */
export function getModel(id: string): ModelEntry | null {
  return MODELS.find((m) => m.id === id) ?? null
}

export interface ModelSummary {
  id: string
  provider: Provider
  displayName: string
  encoding: ModelEntry['encoding']
  contextWindow: number
  maxOutputTokens: number
  legacy: boolean
  /** The list price in effect at the requested date (catalogue only). */
  inputPerMTok: string
  outputPerMTok: string
  cachedInputPerMTok: string | null
}

export interface ModelGroup {
  provider: Provider
  models: ModelSummary[]
}

/**
 * Models for a picker, grouped by provider in a fixed order (openai, anthropic, google, mistral,
 * deepseek, local), each with its current list price. Legacy models are included unless
 * `includeLegacy` is false.
 */
export function listModels(options: { at?: Date; includeLegacy?: boolean } = {}): ModelGroup[] {
  const at = options.at ?? new Date()
  const includeLegacy = options.includeLegacy ?? true
  return PROVIDERS.map((provider) => ({
    provider,
    models: MODELS.filter((m) => m.provider === provider && (includeLegacy || !m.legacy)).map((m) => {
      const price = catalogPriceAt(m, at)
      return {
        id: m.id,
        provider: m.provider,
        displayName: m.displayName,
        encoding: m.encoding,
        contextWindow: m.contextWindow,
        maxOutputTokens: m.maxOutputTokens,
        legacy: m.legacy ?? false,
        inputPerMTok: price.inputPerMTok,
        outputPerMTok: price.outputPerMTok,
        cachedInputPerMTok: price.cachedInputPerMTok ?? null,
      }
    }),
  })).filter((group) => group.models.length > 0)
}

/** Start of an effective date (00:00 UTC), in ms. */
export function effectiveTime(date: string): number {
  return Date.parse(`${date}T00:00:00Z`)
}

/**
 * The catalogue price in effect at `at`: the latest version whose effectiveFrom ≤ at. A model cannot
 * be used before it is published, so an earlier timestamp (clock skew, a backfill, a test fixture)
 * is charged the first published price rather than left unpriced.
 */
export function catalogPriceAt(model: ModelEntry, at: Date): ModelEntry['prices'][number] {
  const time = at.getTime()
  let chosen = model.prices[0]!
  for (const price of model.prices) {
    if (effectiveTime(price.effectiveFrom) <= time) chosen = price
  }
  return chosen
}
