import { resolveModel } from '../pricing/resolve'
import { cacheableTokens, cheaperCandidates, cacheRates, recordedCost, resolvedId, runsOf } from './reprice'
import { RULES } from './rules'
import type { EfficiencyComponents, EngineInput, PromptScore, UsageSlice } from './types'

/** The weights of the efficiency score's components (docs/recommendations.md, "Prompt efficiency score"). */
export const SCORE_WEIGHTS: Readonly<Record<keyof EfficiencyComponents, number>> = {
  price: 40,
  waste: 25,
  cache: 20,
  balance: 15,
}

const ratio = (part: bigint, whole: bigint) =>
  whole === 0n ? 1 : Math.min(1, Number((part * 1_000_000n) / whole) / 1_000_000)

/** The score from its components: Σ weight × component, rounded to a whole number from 0 to 100. */
export function scoreFrom(c: EfficiencyComponents): number {
  const total =
    SCORE_WEIGHTS.price * c.price +
    SCORE_WEIGHTS.waste * c.waste +
    SCORE_WEIGHTS.cache * c.cache +
    SCORE_WEIGHTS.balance * c.balance
  return Math.max(0, Math.min(100, Math.round(total)))
}

/**
 * Efficiency (0–100) of every prompt that ran in the window:
 * - price: what its successful runs would cost on the cheapest adequate model (same rules as cheaper_model,
 *   without the "half the cost" bar) ÷ what they cost;
 * - waste: 1 − the share of its spend on failed runs;
 * - cache: cached prefix tokens ÷ cacheable prefix tokens, when the prompt has a ≥ 1,024-token stable prefix
 *   on a model with a cached-input price (else 1);
 * - balance: 1 while input ≤ 50 tokens per output token, then 50 ÷ that ratio.
 */
export function efficiencyScores(input: EngineInput): PromptScore[] {
  const scores: PromptScore[] = []
  for (const prompt of input.prompts) {
    const rows = input.slices.filter((s) => s.promptId === prompt.id && s.priced && s.status !== 'blocked')
    const runs = runsOf(rows)
    if (runs === 0) continue
    const ok = rows.filter((s) => s.status === 'ok')

    // Price: per model the runs used, the cheapest adequate alternative (or the model itself).
    const byModel = new Map<string, UsageSlice[]>()
    for (const s of ok) {
      const id = resolvedId(s.model) ?? s.model
      byModel.set(id, [...(byModel.get(id) ?? []), s])
    }
    let actualOk = 0n
    let cheapestOk = 0n
    for (const [id, group] of byModel) {
      const cost = recordedCost(group)
      actualOk += cost
      const entry = resolveModel(id)
      const best = entry ? cheaperCandidates(entry, group, input.slices, input)[0] : undefined
      cheapestOk += best ? best.costNano : cost
    }
    const price = ratio(cheapestOk, actualOk)

    const total = recordedCost(rows)
    const failed = recordedCost(rows.filter((s) => s.status === 'error'))
    const waste = total === 0n ? 1 : 1 - ratio(failed, total)

    let cache = 1
    const entry = resolveModel(prompt.model)
    const rates = entry ? cacheRates(entry.id, input.to, input.pricing) : null
    if (
      entry &&
      rates?.cached !== null &&
      rates &&
      rates.cached < rates.input &&
      prompt.staticPrefixTokens >= RULES.minCacheablePrefixTokens
    ) {
      const cacheable = cacheableTokens(entry.provider, prompt.staticPrefixTokens)
      let want = 0
      let got = 0
      for (const s of rows.filter((r) => resolvedId(r.model) === entry.id)) {
        const target = Math.min(cacheable, s.inputTokens - s.cacheWriteTokens)
        want += target * s.runs
        got += Math.min(s.cachedInputTokens, target) * s.runs
      }
      if (want > 0) cache = got / want
    }

    const inputTokens = ok.reduce((sum, s) => sum + s.inputTokens * s.runs, 0)
    const outputTokens = ok.reduce((sum, s) => sum + s.outputTokens * s.runs, 0)
    const perOutput = inputTokens / Math.max(1, outputTokens)
    const balance = perOutput <= RULES.balanceMaxRatio ? 1 : RULES.balanceMaxRatio / perOutput

    const components = { price, waste, cache, balance }
    scores.push({ promptId: prompt.id, score: scoreFrom(components), components, runs })
  }
  return scores
}

/** "price 38/40 · waste 25/25 · cache 20/20 · balance 15/15": each component's points out of its weight. */
export function describeScore(components: Partial<Record<keyof EfficiencyComponents, number>>): string {
  return (Object.keys(SCORE_WEIGHTS) as (keyof EfficiencyComponents)[])
    .map((k) => `${k} ${Math.round(SCORE_WEIGHTS[k] * (components[k] ?? 0))}/${SCORE_WEIGHTS[k]}`)
    .join(' · ')
}
