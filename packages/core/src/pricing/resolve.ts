import { MODELS } from './catalog'
import type { ModelEntry, Provider } from './types'
import { PROVIDERS } from './types'

const byName = new Map<string, ModelEntry>()
for (const model of MODELS) {
  byName.set(model.id, model)
  for (const alias of model.aliases ?? []) byName.set(alias, model)
}

/**
 * Prefixes that only say which API or router a call went through and never change the model's price:
 * LiteLLM-style provider prefixes, Gemini resource names and OpenRouter's first-party vendors.
 */
const DIRECT_PREFIXES = new Set([
  'openai',
  'anthropic',
  'gemini',
  'models',
  'vertex_ai',
  'bedrock',
  'azure',
  'mistral',
  'deepseek',
  'local',
])
/**
 * OpenRouter serves these vendors' models at the vendor's own list price. Other vendors' (open-weight) models are
 * routed to several hosts at different prices, so `openrouter/<vendor>/<model>` is priced only for these.
 */
const OPENROUTER_FIRST_PARTY = new Set(['openai', 'anthropic', 'google'])

/** Amazon Bedrock: `[region.]anthropic.<model>[-v1:0]`; `global.` routes worldwide, other prefixes stay in a region. */
const BEDROCK = /^(?:(us|eu|apac|jp|au|ca|us-gov|global)\.)?anthropic\.(.+?)(?:-v\d+(?::\d+)?)?$/

/** Dated or channel suffixes, used only to say which listed model an unlisted snapshot belongs to. */
const SNAPSHOT_SUFFIXES: readonly RegExp[] = [
  /-latest$/,
  /-\d{4}-\d{2}-\d{2}$/,
  /-\d{8}$/,
  /-(?:preview|exp)(?:-.*)?$/,
  /-\d{3,4}$/,
  /-\d{2}-\d{4}$/,
]

export interface Resolution {
  /** The catalogue entry, or null when the name is not listed. */
  entry: ModelEntry | null
  /** What prices match on: the entry's id, else the normalised name. */
  key: string
  /** A Bedrock endpoint that stays in a region (not `global.`): it may carry a premium (see ModelEntry.bedrock). */
  bedrockRegional: boolean
  /** The team's own name (an Azure deployment) that was mapped to `key`, if any. */
  mappedFrom: string | null
  /** Why the name has no catalogue price (null when it resolved). */
  reason: string | null
}

function finish(
  key: string,
  raw: string,
  mappedFrom: string | null,
  bedrockRegional: boolean,
  blocked: string | null,
): Resolution {
  if (blocked) return { entry: null, key, bedrockRegional, mappedFrom, reason: blocked }
  const hit = byName.get(key)
  if (hit) return { entry: hit, key: hit.id, bedrockRegional, mappedFrom, reason: null }
  return { entry: null, key, bedrockRegional, mappedFrom, reason: unlistedReason(raw, key) }
}

/** The nearest listed model an unlisted snapshot name belongs to, if any (for the message only). */
export function snapshotOf(name: string): ModelEntry | null {
  let candidate = name
  for (;;) {
    const suffix = SNAPSHOT_SUFFIXES.find((pattern) => pattern.test(candidate))
    if (!suffix) return null
    candidate = candidate.replace(suffix, '')
    if (candidate === '') return null
    const hit = byName.get(candidate)
    if (hit) return hit
  }
}

function unlistedReason(raw: string, key: string): string {
  const base = snapshotOf(key)
  if (base) {
    return `"${raw}" is a version of ${base.id} that the price catalogue does not list, and versions can be priced differently, so it was recorded unpriced. Add a custom price or import prices for it, then run "costwise usage reprice".`
  }
  return `"${raw}" is not in the price catalogue, so it was recorded unpriced. Add a custom price, map it to a model in Settings → Prices, or import prices, then run "costwise usage reprice".`
}

/**
 * The spelling-only part of resolution: lower case, no routing prefix, no cloud-specific wrapping. Every rule
 * here is a declared alias that keeps the model and its price:
 * - provider and router prefixes: `openai/gpt-4o`, `models/gemini-2.5-pro`, `openrouter/anthropic/claude-3.5-haiku`
 * - Vertex AI versions: `claude-3-5-haiku@20241022` → `claude-3-5-haiku-20241022`
 * - Bedrock: `global.anthropic.claude-sonnet-4-5-20250929-v1:0` → `claude-sonnet-4-5-20250929`
 * - dotted Claude versions (`claude-3.5-haiku`, `claude-sonnet-4.5`, OpenRouter's spelling) → dashes
 */
export function normalizeModelName(raw: string): string {
  return spell(raw).name
}

function spell(raw: string): { name: string; bedrockRegional: boolean; blocked: string | null } {
  let name = raw.trim().toLowerCase()
  let blocked: string | null = null
  const segments = name.split('/')
  if (segments.length > 1) {
    let i = 0
    if (segments[0] === 'openrouter') {
      i = 1
      const vendor = segments[1]
      if (segments.length > 3 || !vendor || !OPENROUTER_FIRST_PARTY.has(vendor)) {
        blocked = `OpenRouter serves "${segments.slice(1).join('/')}" through several hosts at different prices, so Costwise does not guess its price. Add a custom price for "${raw.trim()}".`
      }
      i = 2
    } else if (segments.length === 2 && OPENROUTER_FIRST_PARTY.has(segments[0]!)) {
      i = 1
    } else {
      while (i < segments.length - 1 && DIRECT_PREFIXES.has(segments[i]!)) i++
    }
    name = i === segments.length - 1 ? segments[i]! : name
  }
  name = name.replace('@', '-')
  let bedrockRegional = false
  const bedrock = BEDROCK.exec(name)
  if (bedrock) {
    name = bedrock[2]!
    bedrockRegional = bedrock[1] !== 'global'
  }
  if (name.startsWith('claude')) name = name.replace(/(\d)\.(\d)/g, '$1-$2')
  return { name, bedrockRegional, blocked }
}

/**
 * Resolves any name a provider, SDK, router or cloud uses for a model, exactly: `gpt-4o-2024-11-20` (a declared
 * alias), `global.anthropic.claude-haiku-4-5-20251001-v1:0`, `claude-3-5-haiku@20241022`, `openai/gpt-4o`, any
 * case. A team's mappings (Azure deployment names) are looked up first. A name that is neither a catalogue id nor
 * a declared alias is NOT priced as its nearest neighbour: the result has no entry and says why (`reason`).
 * Fine-tunes (`ft:…`) are priced differently and never resolve. Never throws.
 */
export function resolveModelName(name: unknown, mappings?: Readonly<Record<string, string>>): Resolution {
  if (typeof name !== 'string' || name.trim() === '') {
    return { entry: null, key: '', bedrockRegional: false, mappedFrom: null, reason: 'The model name is empty.' }
  }
  const raw = name.trim()
  if (mappings) {
    const lower = raw.toLowerCase()
    const own = lower.startsWith('azure/') ? lower.slice('azure/'.length) : lower
    const target = mappings[own] ?? mappings[lower]
    if (target !== undefined) {
      const spelled = spell(target)
      return finish(spelled.name, target, own, spelled.bedrockRegional, spelled.blocked)
    }
  }
  const spelled = spell(raw)
  if (spelled.name === '' || spelled.name.startsWith('ft:')) {
    return {
      entry: null,
      key: spelled.name,
      bedrockRegional: false,
      mappedFrom: null,
      reason: spelled.name.startsWith('ft:')
        ? `"${raw}" is a fine-tune; fine-tunes are priced differently. Add a custom price for it.`
        : 'The model name is empty.',
    }
  }
  const resolution = finish(spelled.name, raw, null, spelled.bedrockRegional, spelled.blocked)
  if (resolution.entry && bedrockName(raw) && !resolution.entry.bedrock) {
    return {
      ...resolution,
      entry: null,
      reason: `Amazon Bedrock's price for ${resolution.entry.id} is not the list price Costwise has, so "${raw}" was recorded unpriced. Add a custom price for it.`,
    }
  }
  return resolution
}

function bedrockName(raw: string): boolean {
  const last = raw.trim().toLowerCase().split('/').pop() ?? ''
  return BEDROCK.test(last.replace('@', '-'))
}

/**
 * The catalogue entry for a name (see {@link resolveModelName}), or null when the name is not listed. For
 * callers that only need the model (token counting, pickers); pricing goes through priceFor/calculateCost.
 */
export function resolveModel(name: unknown): ModelEntry | null {
  return resolveModelName(name).entry
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
  /** The processing tiers with their own price (`flex`, `priority`). */
  serviceTiers: ('flex' | 'priority')[]
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
        serviceTiers: (['flex', 'priority'] as const).filter((t) => price.serviceTiers?.[t]),
      }
    }),
  })).filter((group) => group.models.length > 0)
}

/** Start of an effective date (00:00 UTC), in ms. */
export function effectiveTime(date: string): number {
  return Date.parse(`${date}T00:00:00Z`)
}

/** End of an inclusive effective-to date (00:00 UTC of the next day), in ms; Infinity when open. */
export function effectiveEnd(date: string | null | undefined): number {
  return date ? effectiveTime(date) + 86_400_000 : Number.POSITIVE_INFINITY
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
