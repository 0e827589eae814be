import { formatUsd, usdToNano } from '../money'
import type { RecommendationKind } from './types'

/** A recommendation as stored: kind, subject, suggestion and evidence (money as decimal strings). */
export interface DescribableRecommendation {
  kind: RecommendationKind
  model: string | null
  suggestedModel: string | null
  suggestedMaxOutputTokens: number | null
  evidence: Record<string, unknown>
}

const money = (usd: unknown) => (typeof usd === 'string' ? formatUsd(usdToNano(usd)) : '—')
const count = (n: unknown) => (typeof n === 'number' ? n.toLocaleString('en-US') : '—')

/**
 * The words for a recommendation — a title saying what to do and a sentence saying why, with the evidence's
 * figures — so the API, the web page and emails all say the same thing.
 */
export function describeRecommendation(
  rec: DescribableRecommendation,
  names: { prompt?: string | null; apiKey?: string | null } = {},
): { title: string; summary: string } {
  const e = rec.evidence
  const prompt = `“${names.prompt ?? 'a deleted prompt'}”`
  switch (rec.kind) {
    case 'cheaper_model':
      return {
        title: `Switch ${prompt} from ${rec.model} to ${rec.suggestedModel}`,
        summary: `Its last ${count(e.runs)} runs cost ${money(e.currentCostUsd)}; on ${rec.suggestedModel} the same tokens would have cost ${money(e.suggestedCostUsd)} (${e.savingsPercent}% less). Same provider and capability class, every prompt fits its context window, and its error rate here is no worse.`,
      }
    case 'max_tokens':
      return {
        title: `Lower ${prompt}'s max output tokens from ${count(e.maxOutputTokens)} to ${count(rec.suggestedMaxOutputTokens)}`,
        summary: `99% of its ${count(e.runs)} runs answered in ${count(e.p99OutputTokens)} tokens or fewer (the longest: ${count(e.largestOutputTokens)}). Each run reserves ${money(e.reservedForOutputUsd)} of budget for output; ${money(e.reservedForOutputAfterUsd)} would do. ${count(e.wouldNotHaveBeenBlocked)} of its ${count(e.blockedRuns)} blocked runs would have gone through.`,
      }
    case 'prompt_caching':
      return {
        title: `Cache the ${count(e.prefixTokens)}-token prefix of ${prompt}`,
        summary: `${count(e.runsWithoutCache)} runs on ${rec.model} sent the same ${count(e.prefixTokens)}-token start without cached tokens. Read from cache (${money(e.cachedInputPerMTokUsd)} instead of ${money(e.inputPerMTokUsd)} per 1M tokens) they would have cost ${money(e.withCacheCostUsd)} instead of ${money(e.currentCostUsd)}.`,
      }
    case 'batch_api':
      return {
        title: `Send ${names.apiKey ? `API key “${names.apiKey}”` : 'an API key'}'s ${rec.model} calls through the batch API`,
        summary: `${e.bulkSharePercent}% of its ${count(e.runs)} calls arrive in bulk (up to ${count(e.busiestSlotRuns)} in 15 minutes), so nobody waits on them. With the ${e.batchDiscountPct}% batch discount they would have cost ${money(e.batchCostUsd)} instead of ${money(e.currentCostUsd)}.`,
      }
    case 'context_trimming':
      return {
        title: `Trim the context ${prompt} sends`,
        summary: `The variable part (${Array.isArray(e.variables) && e.variables.length ? e.variables.map((v) => `{{${v}}}`).join(', ') : 'the filled-in text'}) is ${e.variableSharePercent}% of the average prompt, and some runs are far longer (p90 ${count(e.p90InputTokens)} vs median ${count(e.p50InputTokens)} tokens). Capped at ${count(e.capInputTokens)} tokens, its runs would have cost ${money(e.cappedCostUsd)} instead of ${money(e.currentCostUsd)}.`,
      }
    case 'unpriced_model':
      return {
        title: `Add a price for ${rec.model}`,
        summary: `${count(e.runs)} runs of ${rec.model} (${e.firstSeen} to ${e.lastSeen}) were recorded without a price, so they show as $0 and no budget counts them. Add a custom price, then re-price them with \`pnpm cli usage reprice\`.`,
      }
  }
}
