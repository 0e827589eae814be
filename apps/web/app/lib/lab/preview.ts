import {
  calculateCost,
  cheaperAlternatives,
  priceFor,
  CHAT_REPLY_PRIMING_TOKENS,
  estimateChatTokensSync,
  tokenizerPlan,
  type EncodingName,
  type Nano,
  type PricingContext,
  type ServiceTier,
  usdToNano,
} from '@costwise/core'
import { renderTemplate, templateVariables } from '@costwise/core/prompts/template'
import type { RouterOutputs } from '../api-types'

// Browser-safe: @costwise/core is pure (no node: modules). Its tokenizer ranks are imported dynamically by
// loadEncoding, so they download only when the Lab asks for them. Framing (3 tokens a message, 3 to prime
// the reply) comes from core's CHAT_* constants, the same the server and the gateway use.

export interface PromptDraft {
  system: string
  user: string
  variables: Record<string, string>
  model: string
  maxOutputTokens: number
}

export interface PreviewAlternative {
  model: string
  displayName: string
  provider: string
  totalNano: Nano
  savingsPct: number
}

/**
 * The team's price table as the Lab page receives it (GET /api/prices): custom prices, imported list prices,
 * discounts and model-name mappings. The preview prices with it, so it shows what the team pays, not list prices.
 */
export interface LabPricing {
  overrides: NonNullable<PricingContext['overrides']>
  imported: NonNullable<PricingContext['imported']>
  discounts: NonNullable<PricingContext['discounts']>
  mappings: { name: string; model: string }[]
}

export interface PreviewOptions {
  pricing?: LabPricing | null
  serviceTier?: ServiceTier
}

/** The core PricingContext of a LabPricing, built once per table (core caches its validation per object). */
const contexts = new WeakMap<LabPricing, PricingContext>()
export function pricingContext(pricing: LabPricing | null | undefined): PricingContext {
  if (!pricing) return {}
  let context = contexts.get(pricing)
  if (!context) {
    context = {
      overrides: pricing.overrides,
      imported: pricing.imported,
      discounts: pricing.discounts,
      mappings: Object.fromEntries(pricing.mappings.map((m) => [m.name, m.model])),
    }
    contexts.set(pricing, context)
  }
  return context
}

export interface Preview {
  model: string
  inputTokens: number
  maxOutputTokens: number
  exact: boolean
  priced: boolean
  perMessage: { role: 'system' | 'user'; tokens: number }[]
  inputCostNano: Nano
  maxOutputCostNano: Nano
  totalNano: Nano
  alternatives: PreviewAlternative[]
  /** The price version charged (`gpt-4o@2024-10-01`, `custom:…`, `…~discount:…`), null when unpriced. */
  priceVersion: string | null
  /** Where the price comes from: the catalogue, an imported list price, or the team's own price. */
  priceSource: 'list' | 'import' | 'custom' | 'discount' | null
  serviceTier: ServiceTier
  /** The team's discount applied, in percent (`"12.50"`), or null. */
  discountPct: string | null
  /** Why the draft cannot be priced (an unlisted model version, a tier without a price). */
  unpricedReason: string | null
}

/** The messages a draft sends: rendered system (when not blank) and user. */
export function draftMessages(
  draft: Pick<PromptDraft, 'system' | 'user' | 'variables'>,
): { role: 'system' | 'user'; content: string }[] {
  const system = renderTemplate(draft.system, draft.variables)
  const user = renderTemplate(draft.user, draft.variables)
  return [
    ...(system.trim() ? [{ role: 'system' as const, content: system }] : []),
    { role: 'user' as const, content: user },
  ]
}

/** The encoding a model is counted with. */
export function encodingFor(model: string): EncodingName {
  return tokenizerPlan(model).encoding
}

/**
 * The live estimate of a draft: prompt tokens (framing included), input cost, worst-case output cost and
 * cheaper models, at the team's prices (custom prices, discounts, imported list prices) when given. Synchronous;
 * the model's encoding must be loaded.
 */
export function computePreview(draft: PromptDraft, at = new Date(), options: PreviewOptions = {}): Preview {
  const serviceTier = options.serviceTier ?? 'default'
  const context = pricingContext(options.pricing)
  const messages = draftMessages(draft)
  const perMessage = messages.map((m) => ({
    role: m.role,
    tokens: estimateChatTokensSync([m], draft.model).tokens - CHAT_REPLY_PRIMING_TOKENS,
  }))
  // With an exact tokenizer the whole prompt is the messages plus the reply priming, so the text is counted
  // once per keystroke; factor-based estimates round on the total, so they are counted as a whole.
  const plan = tokenizerPlan(draft.model)
  const total =
    plan.factor === 1
      ? { tokens: perMessage.reduce((sum, m) => sum + m.tokens, CHAT_REPLY_PRIMING_TOKENS), exact: plan.exact }
      : estimateChatTokensSync(messages, draft.model)
  const usage = { inputTokens: total.tokens, outputTokens: draft.maxOutputTokens }
  const full = calculateCost(draft.model, usage, at, { ...context, serviceTier })
  const inputOnly = calculateCost(draft.model, { inputTokens: total.tokens, outputTokens: 0 }, at, {
    ...context,
    serviceTier,
  })
  const version = full.versionId
  const priceSource = !version
    ? null
    : version.startsWith('custom:')
      ? 'custom'
      : version.includes('~discount:')
        ? 'discount'
        : version.startsWith('import:')
          ? 'import'
          : 'list'
  return {
    model: draft.model,
    inputTokens: total.tokens,
    maxOutputTokens: draft.maxOutputTokens,
    exact: total.exact,
    priced: full.priced,
    perMessage,
    inputCostNano: inputOnly.totalNano,
    maxOutputCostNano: full.totalNano - inputOnly.totalNano,
    totalNano: full.totalNano,
    priceVersion: version,
    priceSource,
    serviceTier,
    discountPct: priceSource === 'discount' ? (priceFor(draft.model, at, context).version?.discountPct ?? null) : null,
    unpricedReason: full.unpricedReason,
    alternatives: cheaperAlternatives(draft.model, usage, { ...context, at }).map((a) => ({
      model: a.model,
      displayName: a.displayName,
      provider: a.provider,
      totalNano: a.totalNano,
      savingsPct: a.savingsPct,
    })),
  }
}

/** A saved prompt as the Lab opens it: `lab.get`'s answer. */
export type SavedPrompt = RouterOutputs['lab']['get']

const DEFAULT_MODEL = 'costwise-demo'

/** The draft the Lab opens with: the saved prompt, or a blank one on the demo model (else the first listed). */
export function initialDraft(
  prompt: Pick<
    SavedPrompt,
    'name' | 'systemMessage' | 'userMessage' | 'variables' | 'model' | 'maxOutputTokens'
  > | null,
  models: { models: { id: string }[] }[],
): PromptDraft & { name: string } {
  const fallback = models.some((g) => g.models.some((m) => m.id === DEFAULT_MODEL))
    ? DEFAULT_MODEL
    : (models[0]?.models[0]?.id ?? 'gpt-4o-mini')
  return {
    name: prompt?.name ?? 'Untitled prompt',
    system: prompt?.systemMessage ?? '',
    user: prompt?.userMessage ?? '',
    variables: prompt?.variables ?? {},
    model: prompt?.model ?? fallback,
    maxOutputTokens: prompt?.maxOutputTokens ?? 512,
  }
}

/**
 * The variables a run sends: every `{{name}}` in the messages, an unfilled one as "" — the preview counts the same
 * text the server renders, never the placeholder itself.
 */
export function filledVariables(draft: Pick<PromptDraft, 'system' | 'user' | 'variables'>): Record<string, string> {
  return Object.fromEntries(templateVariables(draft.system, draft.user).map((n) => [n, draft.variables[n] ?? '']))
}

/** The server's estimate (`lab.estimate`), as the preview card shows it until the browser counts for itself. */
export type ServerEstimate = RouterOutputs['lab']['estimate']

export function previewFromEstimate(estimate: ServerEstimate): Preview {
  return {
    model: estimate.model,
    inputTokens: estimate.inputTokens,
    maxOutputTokens: estimate.maxOutputTokens,
    exact: estimate.exact,
    priced: estimate.priced,
    perMessage: (estimate.perMessage ?? []).flatMap((m) =>
      m.role === 'assistant' ? [] : [{ role: m.role, tokens: m.tokens }],
    ),
    inputCostNano: usdToNano(estimate.inputCostUsd),
    maxOutputCostNano: usdToNano(estimate.maxOutputCostUsd),
    totalNano: usdToNano(estimate.maxCostUsd),
    alternatives: (estimate.cheaperAlternatives ?? []).map((a) => ({
      model: a.model,
      displayName: a.displayName,
      provider: a.provider,
      totalNano: usdToNano(a.costUsd),
      savingsPct: a.savingsPct,
    })),
    priceVersion: null,
    priceSource: null,
    serviceTier: 'default',
    discountPct: null,
    unpricedReason: estimate.priced ? null : 'This model has no price yet.',
  }
}
