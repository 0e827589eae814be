import { describe, expect, it } from 'vitest'
import { calculateCost } from '../pricing/cost'
import { detectRecommendations } from './engine'
import { promptTokenFacts } from './prompt-facts'
import {
  longSystemMessage,
  controlHistory,
  plantedBlockedRuns,
  plantedHistory,
  type History,
  type HistoryEvent,
} from './testing/histories'
import { independentCost, usdStringToNano } from './testing/independent-pricer'
import type { EngineInput, KeyActivity, PromptFacts, UsageSlice } from './types'

const NOW = new Date('2026-11-20T12:00:00Z')
const FROM = new Date(NOW.getTime() - 30 * 86_400_000)

const perM = usdStringToNano
/** A slice's other pricing dimensions, as a plain text call: no audio/images, default tier, not batched, no tools. */
const PLAIN = { audioInputTokens: 0, imageInputTokens: 0, serviceTier: null, batch: false, toolCalls: {} } as const

// ── Turning a synthetic history into what the service hands the engine. ──
function toInput(
  history: History,
  promptIds: Record<string, string>,
  facts: Record<string, Omit<PromptFacts, 'id' | 'name' | 'model' | 'maxOutputTokens'>>,
): EngineInput {
  const slices: UsageSlice[] = history.events.map((e) => {
    const cost = calculateCost(
      e.model,
      { inputTokens: e.inputTokens, outputTokens: e.outputTokens, cachedInputTokens: e.cachedInputTokens },
      e.at,
    )
    return {
      promptId: e.prompt ? promptIds[e.prompt]! : null,
      apiKeyId: e.viaKey ? 'key-1' : null,
      feature: e.viaKey ? 'api' : 'lab',
      model: e.model,
      status: e.status,
      priced: cost.priced,
      day: e.at.toISOString().slice(0, 10),
      inputTokens: e.inputTokens,
      outputTokens: e.outputTokens,
      cachedInputTokens: e.cachedInputTokens,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
      ...PLAIN,
      runs: 1,
      costNano: e.status === 'blocked' ? 0n : cost.totalNano,
    }
  })
  const slots = new Map<string, number>()
  for (const e of history.events.filter((x) => x.viaKey)) {
    const key = `${e.model}|${Math.floor(e.at.getTime() / 900_000)}`
    slots.set(key, (slots.get(key) ?? 0) + 1)
  }
  const byModel = new Map<string, number[]>()
  for (const [key, n] of slots) byModel.set(key.split('|')[0]!, [...(byModel.get(key.split('|')[0]!) ?? []), n])
  const keyActivity: KeyActivity[] = [...byModel].map(([model, slotRuns]) => ({ apiKeyId: 'key-1', model, slotRuns }))
  return {
    from: FROM,
    to: NOW,
    slices,
    prompts: history.prompts.map((p) => ({
      id: promptIds[p.key]!,
      name: p.name,
      model: p.model,
      maxOutputTokens: p.maxOutputTokens,
      ...facts[p.key]!,
    })),
    blocked: history.events
      .filter((e) => e.blocked)
      .map((e) => ({
        promptId: promptIds[e.prompt!]!,
        model: e.model,
        at: e.at,
        estimatedInputTokens: e.blocked!.estimatedInputTokens,
        roomNano: perM(e.blocked!.roomUsd),
      })),
    keyActivity,
  }
}

async function factsOf(history: History) {
  const out: Record<string, Awaited<ReturnType<typeof promptTokenFacts>>> = {}
  for (const p of history.prompts) out[p.key] = await promptTokenFacts(p)
  return out
}

const ids = {
  summariser: 'p-summariser',
  tagger: 'p-tagger',
  policy: 'p-policy',
  classifier: 'p-classifier',
  drafter: 'p-drafter',
}
const eventsOf = (h: History, key: string, statuses: HistoryEvent['status'][] = ['ok', 'error']) =>
  h.events.filter((e) => e.prompt === key && statuses.includes(e.status))

describe('recommendation engine on a history with planted facts', async () => {
  const policyFacts = await promptTokenFacts({
    systemMessage: longSystemMessage(3000),
    userMessage: 'Question: {{question}}',
    model: 'claude-haiku-4-5',
  })
  const history = plantedHistory({ now: NOW, policyPrefixTokens: policyFacts.staticPrefixTokens })
  const tagger = history.prompts.find((p) => p.key === 'tagger')!
  // Room for the suggested limit's reservation on a 150-token prompt, not for the old limit's.
  const taggerOk = eventsOf(history, 'tagger', ['ok'])
    .map((e) => e.outputTokens)
    .sort((a, b) => a - b)
  const p99 = taggerOk[Math.ceil(0.99 * taggerOk.length) - 1]!
  const suggested = Math.ceil((p99 * 1.2) / 10) * 10
  const room = calculateCost('gpt-4.1-nano', { inputTokens: 150, outputTokens: suggested }, NOW).totalNano
  history.events.push(...plantedBlockedRuns(NOW, `0.${room.toString().padStart(9, '0')}`))
  const input = toInput(history, ids, await factsOf(history))
  const { recommendations, scores } = detectRecommendations(input)
  const byKind = (kind: string) => recommendations.filter((r) => r.kind === kind)

  it('finds each planted fact, and nothing else', () => {
    expect(recommendations.map((r) => `${r.kind}:${r.promptId ?? r.apiKeyId ?? r.model}`).sort()).toEqual(
      [
        'batch_api:key-1',
        'cheaper_model:p-summariser',
        'max_tokens:p-tagger',
        'prompt_caching:p-policy',
        'unpriced_model:acme-internal-llm',
      ].sort(),
    )
  })

  it('cheaper_model: the smallest step down that halves the cost, saving exactly the re-priced difference', () => {
    const [rec] = byKind('cheaper_model')
    expect(rec!.model).toBe('gpt-4o')
    expect(rec!.suggestedModel).toBe('gpt-4.1-mini')
    const rows = eventsOf(history, 'summariser')
    const recorded = rows.reduce(
      (s, e) =>
        s + calculateCost('gpt-4o', { inputTokens: e.inputTokens, outputTokens: e.outputTokens }, e.at).totalNano,
      0n,
    )
    const onMini = rows.reduce(
      (s, e) => s + independentCost('gpt-4.1-mini', { input: e.inputTokens, output: e.outputTokens, cached: 0 }),
      0n,
    )
    expect(rec!.monthlySavingsNano).toBe(recorded - onMini)
    expect(rec!.baseline).toEqual({ costNano: recorded, runs: rows.length })
    expect(rec!.monthlySavingsNano * 100n).toBeGreaterThan(recorded * 50n)
  })

  it('max_tokens: suggests p99 × 1.2 rounded up, and counts the blocked runs that would have fit', () => {
    const [rec] = byKind('max_tokens')
    expect(tagger.maxOutputTokens).toBe(p99 * 10)
    expect(rec!.suggestedMaxOutputTokens).toBe(suggested)
    expect(rec!.monthlySavingsNano).toBe(0n)
    expect(rec!.evidence).toMatchObject({
      p99OutputTokens: p99,
      maxOutputTokens: p99 * 10,
      blockedRuns: 5,
      wouldNotHaveBeenBlocked: 3,
    })
  })

  it('prompt_caching: the stable 3,000-token prefix priced as cached reads, exactly', () => {
    const [rec] = byKind('prompt_caching')
    const rows = eventsOf(history, 'policy')
    const prefix = policyFacts.staticPrefixTokens
    expect(prefix).toBeGreaterThanOrEqual(3000)
    const recorded = rows.reduce(
      (s, e) => s + independentCost('claude-haiku-4-5', { input: e.inputTokens, output: e.outputTokens, cached: 0 }),
      0n,
    )
    const cachedCost = rows.reduce(
      (s, e) =>
        s + independentCost('claude-haiku-4-5', { input: e.inputTokens, output: e.outputTokens, cached: prefix }),
      0n,
    )
    expect(rec!.monthlySavingsNano).toBe(recorded - cachedCost)
    expect(rec!.evidence).toMatchObject({
      prefixTokens: prefix,
      cacheableTokens: prefix,
      runsWithoutCache: rows.length,
    })
  })

  it('batch_api: bulk traffic on a key, saving exactly the batch discount', () => {
    const [rec] = byKind('batch_api')
    const rows = history.events.filter((e) => e.viaKey && e.model === 'gpt-4o-mini')
    const recorded = rows.reduce(
      (s, e) => s + independentCost('gpt-4o-mini', { input: e.inputTokens, output: e.outputTokens, cached: 0 }),
      0n,
    )
    const batched = rows.reduce(
      (s, e) => s + independentCost('gpt-4o-mini', { input: e.inputTokens, output: e.outputTokens, cached: 0 }, 50),
      0n,
    )
    expect(rec!.model).toBe('gpt-4o-mini')
    expect(rec!.monthlySavingsNano).toBe(recorded - batched)
  })

  it('unpriced_model: names the model and its runs', () => {
    const [rec] = byKind('unpriced_model')
    expect(rec!.evidence).toMatchObject({ runs: 5 })
  })

  it('scores every prompt that ran, lower where money is wasted', () => {
    const score = (id: string) => scores.find((s) => s.promptId === id)!
    expect(scores).toHaveLength(3)
    for (const s of scores) expect(s.score).toBeGreaterThanOrEqual(0)
    expect(score('p-summariser').components.price).toBeLessThan(0.1)
    expect(score('p-policy').components.cache).toBe(0)
    expect(score('p-tagger').components.price).toBe(1)
    expect(score('p-tagger').score).toBeGreaterThan(score('p-summariser').score)
  })
})

describe('recommendation engine on a control team', async () => {
  it('finds nothing (false positives counted over several seeds)', async () => {
    let falsePositives = 0
    const found: string[] = []
    for (const seed of [41, 42, 43, 44, 45]) {
      const history = controlHistory({ now: NOW, seed })
      const { recommendations, scores } = detectRecommendations(toInput(history, ids, await factsOf(history)))
      falsePositives += recommendations.length
      found.push(...recommendations.map((r) => `${seed}:${r.kind}:${r.promptId ?? r.apiKeyId ?? r.model}`))
      for (const s of scores) expect(s.score).toBeGreaterThanOrEqual(80)
    }
    expect(found).toEqual([])
    expect(falsePositives).toBe(0)
  })
})

describe('context_trimming', () => {
  it('caps a prompt whose variable part dominates and has a long tail, saving the exact capped difference', () => {
    const rows: UsageSlice[] = []
    for (let i = 0; i < 40; i++) {
      const input = i < 30 ? 1000 + i * 10 : 8000 + i * 100
      const cost = calculateCost('gpt-4.1-nano', { inputTokens: input, outputTokens: 100 }, NOW)
      rows.push({
        promptId: 'p',
        apiKeyId: null,
        feature: 'lab',
        model: 'gpt-4.1-nano',
        status: 'ok',
        priced: true,
        day: '2026-11-19',
        inputTokens: input,
        outputTokens: 100,
        cachedInputTokens: 0,
        cacheWriteTokens: 0,
        reasoningTokens: 0,
        ...PLAIN,
        runs: 1,
        costNano: cost.totalNano,
      })
    }
    const { recommendations } = detectRecommendations({
      from: FROM,
      to: NOW,
      slices: rows,
      prompts: [
        {
          id: 'p',
          name: 'Chat',
          model: 'gpt-4.1-nano',
          maxOutputTokens: 200,
          staticPrefixTokens: 20,
          fixedTokens: 40,
          variables: ['history'],
        },
      ],
    })
    expect(recommendations.map((r) => r.kind)).toEqual(['context_trimming'])
    const rec = recommendations[0]!
    const cap = rec.evidence.capInputTokens as number
    expect(cap % 100).toBe(0)
    const expected = rows
      .filter((r) => r.inputTokens > cap)
      .reduce(
        (s, r) =>
          s +
          independentCost('gpt-4.1-nano', { input: r.inputTokens, output: 100 }) -
          independentCost('gpt-4.1-nano', { input: cap, output: 100 }),
        0n,
      )
    expect(rec.monthlySavingsNano).toBe(expected)
  })
})
