import { describe, expect, it } from 'vitest'
import { describeRecommendation } from './describe'
import { describeScore, scoreFrom } from './score'

const rec = (
  kind: Parameters<typeof describeRecommendation>[0]['kind'],
  evidence: Record<string, unknown>,
  extra = {},
) => ({
  kind,
  model: 'gpt-4o',
  suggestedModel: null,
  suggestedMaxOutputTokens: null,
  evidence,
  ...extra,
})

describe('the words for a recommendation', () => {
  it('say what to do and why, with the evidence’s figures', () => {
    expect(
      describeRecommendation(
        rec(
          'cheaper_model',
          { runs: 1200, currentCostUsd: '12.5', suggestedCostUsd: '2', savingsPercent: 84 },
          { suggestedModel: 'gpt-4.1-mini' },
        ),
        { prompt: 'Drafts' },
      ),
    ).toEqual({
      title: 'Switch “Drafts” from gpt-4o to gpt-4.1-mini',
      summary:
        'Its last 1,200 runs cost $12.50; on gpt-4.1-mini the same tokens would have cost $2.00 (84% less). Same provider and capability class, every prompt fits its context window, and its error rate here is no worse.',
    })
    const max = describeRecommendation(
      rec(
        'max_tokens',
        {
          runs: 80,
          p99OutputTokens: 40,
          largestOutputTokens: 52,
          maxOutputTokens: 400,
          reservedForOutputUsd: '0.00016',
          reservedForOutputAfterUsd: '0.00002',
          blockedRuns: 5,
          wouldNotHaveBeenBlocked: 3,
        },
        { suggestedMaxOutputTokens: 50 },
      ),
      { prompt: 'Tagger' },
    )
    expect(max.title).toBe("Lower “Tagger”'s max output tokens from 400 to 50")
    expect(max.summary).toContain('3 of its 5 blocked runs would have gone through')
    expect(
      describeRecommendation(
        rec('prompt_caching', {
          runsWithoutCache: 50,
          prefixTokens: 3003,
          cachedInputPerMTokUsd: '0.1',
          inputPerMTokUsd: '1',
          withCacheCostUsd: '0.1',
          currentCostUsd: '0.3',
        }),
      ).title,
    ).toBe('Cache the 3,003-token prefix of “a deleted prompt”')
    expect(
      describeRecommendation(
        rec('batch_api', {
          bulkSharePercent: 100,
          runs: 600,
          busiestSlotRuns: 100,
          batchDiscountPct: '50',
          batchCostUsd: '1',
          currentCostUsd: '2',
        }),
        { apiKey: 'nightly' },
      ).title,
    ).toBe("Send API key “nightly”'s gpt-4o calls through the batch API")
    expect(describeRecommendation(rec('batch_api', {})).title).toBe(
      "Send an API key's gpt-4o calls through the batch API",
    )
    const trim = describeRecommendation(
      rec('context_trimming', {
        variables: ['history'],
        variableSharePercent: 96.5,
        p90InputTokens: 9000,
        p50InputTokens: 1100,
        capInputTokens: 1300,
        cappedCostUsd: '1',
        currentCostUsd: '3',
      }),
      { prompt: 'Chat' },
    )
    expect(trim.summary).toContain('The variable part ({{history}}) is 96.5% of the average prompt')
    expect(describeRecommendation(rec('context_trimming', { variables: [] })).summary).toContain('the filled-in text')
    const unpriced = describeRecommendation(
      rec('unpriced_model', { runs: 5, firstSeen: '2026-11-01', lastSeen: '2026-11-20' }, { model: 'acme-llm' }),
    )
    expect(unpriced.title).toBe('Add a price for acme-llm')
    expect(unpriced.summary).toContain('pnpm cli usage reprice')
  })

  it('the efficiency score adds its weighted parts and shows them', () => {
    expect(scoreFrom({ price: 1, waste: 1, cache: 1, balance: 1 })).toBe(100)
    expect(scoreFrom({ price: 0.25, waste: 1, cache: 0, balance: 0.5 })).toBe(43) // 10 + 25 + 0 + 7.5
    expect(describeScore({ price: 0.25, waste: 1, cache: 0, balance: 0.5 })).toBe(
      'price 10/40 · waste 25/25 · cache 0/20 · balance 8/15',
    )
    expect(describeScore({})).toBe('price 0/40 · waste 0/25 · cache 0/20 · balance 0/15')
  })
})
