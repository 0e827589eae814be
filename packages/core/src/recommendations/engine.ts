import { nanoToUsd, percentOf, type Nano } from '../money'
import { calculateCost } from '../pricing/cost'
import { resolveModel } from '../pricing/resolve'
import { weightedQuantile } from '../stats'
import {
  batchDiscount,
  billed,
  cheaperCandidates,
  errorRate,
  type CandidateCost,
  cacheableTokens,
  cacheRates,
  candidateModels,
  recordedCost,
  reprice,
  resolvedId,
  runsOf,
} from './reprice'
import { RULES } from './rules'
import { efficiencyScores } from './score'
import type {
  DetectedRecommendation,
  EngineInput,
  EngineResult,
  KeyActivity,
  PromptFacts,
  RecommendationKind,
  UsageSlice,
} from './types'

const KIND_ORDER: readonly RecommendationKind[] = [
  'cheaper_model',
  'prompt_caching',
  'batch_api',
  'context_trimming',
  'max_tokens',
  'unpriced_model',
]

const usd = nanoToUsd

function windowDays(input: EngineInput): number {
  return Math.round((input.to.getTime() - input.from.getTime()) / 86_400_000)
}

/** A prompt's billed runs on the model it is set to, and that model's catalogue entry. */
function promptRowsOnItsModel(prompt: PromptFacts, slices: readonly UsageSlice[]) {
  const entry = resolveModel(prompt.model)
  if (!entry) return null
  const rows = slices.filter((s) => s.promptId === prompt.id && billed(s) && resolvedId(s.model) === entry.id)
  return { entry, rows }
}

function cheaperModel(prompt: PromptFacts, input: EngineInput): DetectedRecommendation | null {
  const found = promptRowsOnItsModel(prompt, input.slices)
  if (!found) return null
  const { entry, rows } = found
  const runs = runsOf(rows)
  const actual = recordedCost(rows)
  if (runs < RULES.minRuns || actual === 0n) return null
  const candidates = cheaperCandidates(entry, rows, input.slices, input)
  // "Far less": at most half the cost. Of those, the dearest — the smallest step down in capability.
  const eligible = candidates.filter((c) => c.costNano * 100n <= actual * BigInt(RULES.cheaperModelMaxCostShare))
  const pick = eligible.reduce<CandidateCost | null>(
    (best, c) => (!best || c.costNano > best.costNano ? c : best),
    null,
  )
  if (!pick || pick.savingsNano < RULES.minSavingsNano) return null
  return {
    kind: 'cheaper_model',
    fingerprint: `cheaper_model:${prompt.id}:${entry.id}`,
    promptId: prompt.id,
    apiKeyId: null,
    model: entry.id,
    suggestedModel: pick.model,
    suggestedMaxOutputTokens: null,
    monthlySavingsNano: pick.savingsNano,
    baseline: { costNano: actual, runs },
    evidence: {
      windowDays: windowDays(input),
      runs,
      errorRate: errorRate(rows),
      maxInputTokens: Math.max(...rows.map((r) => r.inputTokens)),
      maxOutputTokens: Math.max(...rows.map((r) => r.outputTokens)),
      currentCostUsd: usd(actual),
      suggestedCostUsd: usd(pick.costNano),
      savingsPercent: percentOf(pick.savingsNano, actual),
      candidates: candidates.map((c) => ({
        model: c.model,
        costUsd: usd(c.costNano),
        savingsUsd: usd(c.savingsNano),
        teamErrorRate: c.teamErrorRate,
      })),
    },
  }
}

function roundUpTo(value: number, step: number): number {
  return Math.ceil(value / step) * step
}

function maxTokens(prompt: PromptFacts, input: EngineInput): DetectedRecommendation | null {
  const ok = input.slices.filter((s) => s.promptId === prompt.id && s.status === 'ok')
  const runs = runsOf(ok)
  if (runs < RULES.minRuns) return null
  const p99 = weightedQuantile(
    ok.map((s) => [s.outputTokens, s.runs] as const),
    0.99,
  )
  if (p99 * RULES.maxTokensHeadroomFactor > prompt.maxOutputTokens) return null
  const suggested = Math.max(10, roundUpTo(p99 * RULES.maxTokensMargin, 10))
  if (suggested >= prompt.maxOutputTokens) return null
  const model = resolveModel(prompt.model)?.id ?? prompt.model
  const reserveFor = (outputTokens: number, at: Date) =>
    calculateCost(model, { inputTokens: 0, outputTokens }, at, input.pricing)
  const blocked = (input.blocked ?? []).filter((b) => b.promptId === prompt.id)
  const unblocked = blocked.filter((b) => {
    if (b.roomNano === null || b.estimatedInputTokens === null) return false
    const cost = calculateCost(
      b.model,
      { inputTokens: b.estimatedInputTokens, outputTokens: suggested },
      b.at,
      input.pricing,
    )
    return cost.priced && cost.totalNano <= b.roomNano
  })
  return {
    kind: 'max_tokens',
    fingerprint: `max_tokens:${prompt.id}:${prompt.maxOutputTokens}`,
    promptId: prompt.id,
    apiKeyId: null,
    model,
    suggestedModel: null,
    suggestedMaxOutputTokens: suggested,
    monthlySavingsNano: 0n,
    baseline: null,
    evidence: {
      windowDays: windowDays(input),
      runs,
      p99OutputTokens: p99,
      largestOutputTokens: Math.max(...ok.map((s) => s.outputTokens)),
      maxOutputTokens: prompt.maxOutputTokens,
      reservedForOutputUsd: usd(reserveFor(prompt.maxOutputTokens, input.to).totalNano),
      reservedForOutputAfterUsd: usd(reserveFor(suggested, input.to).totalNano),
      blockedRuns: blocked.length,
      wouldNotHaveBeenBlocked: unblocked.length,
    },
  }
}

function promptCaching(prompt: PromptFacts, input: EngineInput): DetectedRecommendation | null {
  if (prompt.staticPrefixTokens < RULES.minCacheablePrefixTokens) return null
  const found = promptRowsOnItsModel(prompt, input.slices)
  if (!found) return null
  const { entry, rows } = found
  const rates = cacheRates(entry.id, input.to, input.pricing)
  if (!rates || rates.cached === null || rates.cached >= rates.input) return null
  const cacheable = cacheableTokens(entry.provider, prompt.staticPrefixTokens)
  const target = (s: { inputTokens: number; cacheWriteTokens: number }) =>
    Math.min(cacheable, s.inputTokens - s.cacheWriteTokens)
  const missed = rows.filter((s) => s.cachedInputTokens < target(s))
  const missedRuns = runsOf(missed)
  if (missedRuns < RULES.minRuns) return null
  const actual = recordedCost(missed)
  const withCache = reprice(missed, entry.id, {
    pricing: input.pricing,
    usage: (u) => ({ ...u, cachedInputTokens: Math.max(u.cachedInputTokens, target(u)) }),
  })
  if (withCache === null) return null
  const savings = actual - withCache
  if (savings < RULES.minSavingsNano || savings * 100n < actual * BigInt(RULES.cachingMinSavingsPct)) return null
  return {
    kind: 'prompt_caching',
    fingerprint: `prompt_caching:${prompt.id}:${entry.id}`,
    promptId: prompt.id,
    apiKeyId: null,
    model: entry.id,
    suggestedModel: null,
    suggestedMaxOutputTokens: null,
    monthlySavingsNano: savings,
    baseline: { costNano: recordedCost(rows), runs: runsOf(rows) },
    evidence: {
      windowDays: windowDays(input),
      runs: runsOf(rows),
      runsWithoutCache: missedRuns,
      prefixTokens: prompt.staticPrefixTokens,
      cacheableTokens: cacheable,
      inputPerMTokUsd: usd(rates.input),
      cachedInputPerMTokUsd: usd(rates.cached),
      currentCostUsd: usd(actual),
      withCacheCostUsd: usd(withCache),
      savingsPercent: percentOf(savings, actual),
    },
  }
}

function batchApi(activity: readonly KeyActivity[], input: EngineInput): DetectedRecommendation[] {
  // One entry per (key, canonical model): the rollup records models as sent.
  const byKey = new Map<string, { apiKeyId: string; model: string; slotRuns: number[] }>()
  for (const a of activity) {
    const model = resolvedId(a.model)
    if (!model) continue
    const key = `${a.apiKeyId}|${model}`
    const entry = byKey.get(key) ?? { apiKeyId: a.apiKeyId, model, slotRuns: [] }
    entry.slotRuns.push(...a.slotRuns)
    byKey.set(key, entry)
  }
  const found: DetectedRecommendation[] = []
  for (const { apiKeyId, model, slotRuns } of byKey.values()) {
    const total = slotRuns.reduce((s, n) => s + n, 0)
    const bulk = slotRuns.filter((n) => n >= RULES.batchSlotRuns).reduce((s, n) => s + n, 0)
    if (total < RULES.batchMinRuns || bulk * 100 < total * RULES.batchBulkSharePct) continue
    const discount = batchDiscount(model, input.to, input.pricing)
    if (!discount) continue
    // Rows already sent through the batch API save nothing more.
    const rows = input.slices.filter(
      (s) => s.apiKeyId === apiKeyId && s.feature === 'api' && !s.batch && billed(s) && resolvedId(s.model) === model,
    )
    const actual = recordedCost(rows)
    const batched = reprice(rows, model, { pricing: input.pricing, batch: true })
    if (batched === null) continue
    const savings = actual - batched
    if (savings < RULES.minSavingsNano) continue
    found.push({
      kind: 'batch_api',
      fingerprint: `batch_api:${apiKeyId}:${model}`,
      promptId: null,
      apiKeyId,
      model,
      suggestedModel: null,
      suggestedMaxOutputTokens: null,
      monthlySavingsNano: savings,
      baseline: { costNano: actual, runs: runsOf(rows) },
      evidence: {
        windowDays: windowDays(input),
        runs: runsOf(rows),
        bulkSharePercent: Math.round((bulk * 1000) / total) / 10,
        busiestSlotRuns: Math.max(...slotRuns),
        batchDiscountPct: discount,
        currentCostUsd: usd(actual),
        batchCostUsd: usd(batched),
      },
    })
  }
  return found
}

function contextTrimming(prompt: PromptFacts, input: EngineInput): DetectedRecommendation | null {
  const rows = input.slices.filter((s) => s.promptId === prompt.id && billed(s))
  const runs = runsOf(rows)
  if (runs < RULES.minRuns) return null
  const pairs = rows.map((s) => [s.inputTokens, s.runs] as const)
  const p50 = weightedQuantile(pairs, 0.5)
  const p75 = weightedQuantile(pairs, 0.75)
  const p90 = weightedQuantile(pairs, 0.9)
  const meanInput = rows.reduce((sum, s) => sum + s.inputTokens * s.runs, 0) / runs
  const variableShare = meanInput > 0 ? Math.max(0, 1 - prompt.fixedTokens / meanInput) : 0
  if (variableShare * 100 < RULES.trimmingVariableSharePct || p90 < RULES.trimmingTailRatio * p50) return null
  const cap = roundUpTo(p75, 100)
  const over = rows.filter((s) => s.inputTokens > cap)
  if (over.length === 0) return null
  const actual = recordedCost(rows)
  const overCost = recordedCost(over)
  // Each over-long run re-priced on its own model with the prompt capped (cached/cache-write tokens kept within it).
  let capped = 0n
  for (const s of over) {
    const cost = reprice([s], s.model, {
      pricing: input.pricing,
      usage: (u) => {
        const cachedInputTokens = Math.min(u.cachedInputTokens, cap)
        return {
          ...u,
          inputTokens: cap,
          cachedInputTokens,
          cacheWriteTokens: Math.min(u.cacheWriteTokens, cap - cachedInputTokens),
        }
      },
    })
    if (cost === null) return null
    capped += cost
  }
  const savings = overCost - capped
  if (savings < RULES.minSavingsNano || savings * 100n < actual * BigInt(RULES.trimmingMinSavingsPct)) return null
  return {
    kind: 'context_trimming',
    fingerprint: `context_trimming:${prompt.id}`,
    promptId: prompt.id,
    apiKeyId: null,
    model: resolveModel(prompt.model)?.id ?? prompt.model,
    suggestedModel: null,
    suggestedMaxOutputTokens: null,
    monthlySavingsNano: savings,
    baseline: { costNano: actual, runs },
    evidence: {
      windowDays: windowDays(input),
      runs,
      fixedTokens: prompt.fixedTokens,
      meanInputTokens: Math.round(meanInput),
      p50InputTokens: p50,
      p90InputTokens: p90,
      variableSharePercent: Math.round(variableShare * 1000) / 10,
      variables: [...prompt.variables],
      capInputTokens: cap,
      runsOverCap: runsOf(over),
      currentCostUsd: usd(actual),
      cappedCostUsd: usd(actual - savings),
    },
  }
}

function unpricedModels(input: EngineInput): DetectedRecommendation[] {
  const byModel = new Map<
    string,
    { model: string; runs: number; inputTokens: number; outputTokens: number; first: string; last: string }
  >()
  for (const s of input.slices) {
    if (s.priced) continue
    const key = s.model.trim().toLowerCase()
    const e = byModel.get(key) ?? {
      model: s.model,
      runs: 0,
      inputTokens: 0,
      outputTokens: 0,
      first: s.day,
      last: s.day,
    }
    e.runs += s.runs
    e.inputTokens += s.inputTokens * s.runs
    e.outputTokens += s.outputTokens * s.runs
    if (s.day < e.first) e.first = s.day
    if (s.day > e.last) e.last = s.day
    byModel.set(key, e)
  }
  return [...byModel.entries()].map(([key, e]) => ({
    kind: 'unpriced_model' as const,
    fingerprint: `unpriced_model:${key}`,
    promptId: null,
    apiKeyId: null,
    model: e.model,
    suggestedModel: null,
    suggestedMaxOutputTokens: null,
    monthlySavingsNano: 0n,
    baseline: null,
    evidence: {
      windowDays: windowDays(input),
      runs: e.runs,
      inputTokens: e.inputTokens,
      outputTokens: e.outputTokens,
      firstSeen: e.first,
      lastSeen: e.last,
    },
  }))
}

/**
 * Runs every detector over a team's last 30 days (see docs/recommendations.md) and scores each prompt.
 * Savings are exact: the rows the recommendation is about, re-priced with `calculateCost` at their own day
 * on what would change (another model, the prefix read from cache, the batch discount, a capped prompt),
 * minus what they cost as recorded. Sorted by savings, largest first.
 */
export function detectRecommendations(input: EngineInput): EngineResult {
  const found: DetectedRecommendation[] = []
  for (const prompt of input.prompts) {
    for (const detect of [cheaperModel, promptCaching, contextTrimming, maxTokens]) {
      const rec = detect(prompt, input)
      if (rec) found.push(rec)
    }
  }
  found.push(...batchApi(input.keyActivity ?? [], input))
  found.push(...unpricedModels(input))
  found.sort(
    (a, b) =>
      (a.monthlySavingsNano === b.monthlySavingsNano ? 0 : a.monthlySavingsNano > b.monthlySavingsNano ? -1 : 1) ||
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      a.fingerprint.localeCompare(b.fingerprint),
  )
  return { recommendations: found, scores: efficiencyScores(input) }
}
