import { z } from 'zod'
import type { PerCallKind, PricingContext, ServiceTier } from '../pricing/types'

/** The kinds of recommendation, by their contract names (GET /api/recommendations). */
export const recommendationKindSchema = z.enum([
  'cheaper_model',
  'max_tokens',
  'prompt_caching',
  'batch_api',
  'context_trimming',
  'unpriced_model',
])
export type RecommendationKind = z.infer<typeof recommendationKindSchema>
export const RECOMMENDATION_KINDS = recommendationKindSchema.options

export const recommendationStatusSchema = z.enum(['open', 'applied', 'dismissed'])
export type RecommendationStatus = z.infer<typeof recommendationStatusSchema>

/** Kinds that Apply can carry out by changing the prompt; the others say what to do. */
export const APPLICABLE_KINDS: readonly RecommendationKind[] = ['cheaper_model', 'max_tokens', 'prompt_caching']

/** Kinds whose Apply changes what a run costs, so realised savings are measured after it. */
export const MEASURED_KINDS: readonly RecommendationKind[] = ['cheaper_model', 'prompt_caching']

/**
 * Usage rows that price identically, counted together: same prompt, key, feature, model, status, UTC day
 * (prices take effect at 00:00 UTC), token counts, processing tier, batch flag and tool calls. `costNano` is what
 * they cost in total, as recorded.
 */
export interface UsageSlice {
  promptId: string | null
  apiKeyId: string | null
  feature: string
  /** The model as recorded. */
  model: string
  status: 'ok' | 'error' | 'blocked'
  priced: boolean
  /** UTC calendar day, YYYY-MM-DD. */
  day: string
  inputTokens: number
  outputTokens: number
  cachedInputTokens: number
  cacheWriteTokens: number
  reasoningTokens: number
  audioInputTokens: number
  imageInputTokens: number
  /** OpenAI's processing tier the rows were charged at (null: default). */
  serviceTier: ServiceTier | null
  /** Sent through the provider's batch API (charged with its discount). */
  batch: boolean
  toolCalls: Partial<Record<PerCallKind, number>>
  /** How many identical rows. */
  runs: number
  costNano: bigint
}

/** What the engine needs to know about a saved prompt. Token counts come from the caller (estimateTokens). */
export interface PromptFacts {
  id: string
  name: string
  model: string
  maxOutputTokens: number
  /** Tokens of the leading text that is the same on every run (before the first variable). */
  staticPrefixTokens: number
  /** Tokens of all the template's fixed text (variables left out). */
  fixedTokens: number
  variables: readonly string[]
}

/** A run a hard budget refused, with what the budget had left at that moment (from the refusal's details). */
export interface BlockedRun {
  promptId: string
  model: string
  at: Date
  estimatedInputTokens: number | null
  /** limit − spent − reserved when the run was refused; null when unknown. */
  roomNano: bigint | null
}

/** An API key's calls of one model, as runs per active 15-minute slot (to tell bulk traffic from interactive). */
export interface KeyActivity {
  apiKeyId: string
  model: string
  slotRuns: readonly number[]
}

export interface EngineInput {
  /** The window the slices cover: [from, to). Savings are "what the last 30 days would have saved". */
  from: Date
  to: Date
  slices: readonly UsageSlice[]
  prompts: readonly PromptFacts[]
  blocked?: readonly BlockedRun[]
  keyActivity?: readonly KeyActivity[]
  /** The team's prices (custom prices, discounts, imported list prices, name mappings), exactly as at ingestion. */
  pricing?: PricingContext
}

/** One recommendation found by the engine. Money in nano-dollars; evidence is JSON (money as decimal strings). */
export interface DetectedRecommendation {
  kind: RecommendationKind
  /** Stable identity across refreshes: the kind, its subject and the state it would change. */
  fingerprint: string
  promptId: string | null
  apiKeyId: string | null
  model: string | null
  suggestedModel: string | null
  suggestedMaxOutputTokens: number | null
  monthlySavingsNano: bigint
  /** Cost and runs of the rows the recommendation is about (for realised savings after Apply). */
  baseline: { costNano: bigint; runs: number } | null
  evidence: Record<string, unknown>
}

export interface EfficiencyComponents {
  /** Cheapest adequate model's cost of the successful runs ÷ their actual cost (1 = already cheapest). */
  price: number
  /** 1 − share of spend on failed runs. */
  waste: number
  /** Share of the cacheable prefix that was read from cache (1 when caching does not apply). */
  cache: number
  /** 1 while input ≤ 50 tokens per output token, then 50 ÷ the ratio. */
  balance: number
}

export interface PromptScore {
  promptId: string
  score: number
  components: EfficiencyComponents
  runs: number
}

export interface EngineResult {
  recommendations: DetectedRecommendation[]
  scores: PromptScore[]
}
