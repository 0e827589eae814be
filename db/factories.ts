import { randomUUID } from 'node:crypto'
import { calculateCost, nanoToUsd, normal, resolveModel, type Rng } from '@costwise/core'
import type { NewUsageLog, UsageFeature, UsageStatus } from '@costwise/db'

// Data factories shared by the demo seed and the tests: deterministic for a given seed.

export { createRng, type Rng } from '@costwise/core'

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!
}

export function weighted<T>(rng: Rng, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0)
  let x = rng() * total
  for (const [item, w] of items) {
    x -= w
    if (x <= 0) return item
  }
  return items[items.length - 1]![0]
}

/** A roughly log-normal integer around `median` (never below `min`). */
export function around(rng: Rng, median: number, spread = 0.6, min = 1): number {
  return Math.max(min, Math.round(median * Math.exp(normal(rng) * spread)))
}

export interface ModelProfile {
  model: string
  /** Median prompt and completion sizes. */
  input: number
  output: number
  cachedShare: number
  reasoningShare: number
}

/** The demo team's model mix: frontier models for hard prompts, small ones for volume. */
export const DEMO_MODELS: readonly (readonly [ModelProfile, number])[] = [
  [{ model: 'gpt-4o', input: 1800, output: 450, cachedShare: 0.3, reasoningShare: 0 }, 18],
  [{ model: 'gpt-4o-mini', input: 1200, output: 300, cachedShare: 0.25, reasoningShare: 0 }, 30],
  [{ model: 'claude-sonnet-4-5', input: 2600, output: 700, cachedShare: 0.4, reasoningShare: 0 }, 12],
  [{ model: 'claude-3-5-haiku', input: 900, output: 250, cachedShare: 0.2, reasoningShare: 0 }, 10],
  [{ model: 'gemini-2.5-flash', input: 3000, output: 500, cachedShare: 0.1, reasoningShare: 0.3 }, 12],
  [{ model: 'o4-mini', input: 1500, output: 1200, cachedShare: 0.1, reasoningShare: 0.6 }, 6],
  [{ model: 'deepseek-chat', input: 2000, output: 600, cachedShare: 0.3, reasoningShare: 0 }, 8],
  [{ model: 'gpt-4.1-mini', input: 1400, output: 350, cachedShare: 0.2, reasoningShare: 0 }, 4],
]

export interface UsageEventInput {
  rng: Rng
  teamId: string
  at: Date
  model: ModelProfile
  userId?: string | null
  apiKeyId?: string | null
  promptId?: string | null
  feature?: UsageFeature
  status?: UsageStatus
}

/** One usage row priced exactly the way ingestion prices it. */
export function makeUsageRow(input: UsageEventInput): NewUsageLog & { id: string } {
  const { rng, model } = input
  const status = input.status ?? 'ok'
  const inputTokens = around(rng, model.input)
  const cachedInputTokens = rng() < 0.5 ? Math.floor(inputTokens * model.cachedShare) : 0
  const outputTokens = status === 'error' ? 0 : around(rng, model.output)
  const reasoningTokens = Math.floor(outputTokens * model.reasoningShare)
  const usage = { inputTokens, outputTokens, cachedInputTokens, reasoningTokens }
  const cost = calculateCost(model.model, usage, input.at)
  const resolved = resolveModel(model.model)
  return {
    id: randomUUID(),
    team_id: input.teamId,
    occurred_at: input.at,
    user_id: input.userId ?? null,
    api_key_id: input.apiKeyId ?? null,
    prompt_id: input.promptId ?? null,
    reservation_id: null,
    idempotency_key: null,
    provider: resolved?.provider ?? 'unknown',
    model: model.model,
    resolved_model: cost.model,
    price_version: cost.versionId,
    priced: cost.priced,
    feature: input.feature ?? 'api',
    status,
    input_tokens: inputTokens,
    output_tokens: outputTokens,
    cached_input_tokens: cachedInputTokens,
    cache_write_tokens: 0,
    reasoning_tokens: reasoningTokens,
    cost_usd: nanoToUsd(cost.totalNano),
    latency_ms: around(rng, 600 + outputTokens * 12, 0.4, 50),
    metadata: {},
  }
}
