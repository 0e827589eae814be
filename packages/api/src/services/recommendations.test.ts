import { calculateCost, nanoToUsd, promptTokenFacts, usdToNano } from '@costwise/core'
import {
  controlHistory,
  longSystemMessage,
  plantedBlockedRuns,
  plantedHistory,
  type History,
} from '@costwise/core/recommendations/testing/histories'
import { independentCost } from '@costwise/core/recommendations/testing/independent-pricer'
import { prompts, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadHistory, makeTeam } from '../testing/histories'
import type { TeamScope } from '../trpc'
import { listVersions, revertPrompt } from './prompts'
import { recordUsage } from './record-usage'
import {
  applyRecommendation,
  dismissRecommendation,
  listRecommendationViews,
  refreshRecommendations,
  reopenRecommendation,
  snoozeRecommendation,
} from './recommendations'

// A fixed "now" in the middle of a month, so "this month" is unambiguous whatever day the suite runs.
const NOW = new Date('2026-11-20T12:00:00Z')
const HOUR = 3_600_000

let t: TestDb
let db: Db
let planted: { asOwner: TeamScope; asKey: TeamScope; history: History; ids: Record<string, string> }
let control: { asOwner: TeamScope; history: History }

beforeAll(async () => {
  t = await createTestDb()
  db = t.db
  const policy = await promptTokenFacts({
    systemMessage: longSystemMessage(3000),
    userMessage: 'Question: {{question}}',
    model: 'claude-haiku-4-5',
  })
  const history = plantedHistory({ now: NOW, policyPrefixTokens: policy.staticPrefixTokens })
  const taggerOutputs = history.events
    .filter((e) => e.prompt === 'tagger')
    .map((e) => e.outputTokens)
    .sort((a, b) => a - b)
  const suggested = Math.ceil((taggerOutputs[Math.ceil(0.99 * taggerOutputs.length) - 1]! * 1.2) / 10) * 10
  history.events.push(
    ...plantedBlockedRuns(
      NOW,
      nanoToUsd(calculateCost('gpt-4.1-nano', { inputTokens: 150, outputTokens: suggested }, NOW).totalNano),
    ),
  )
  const p = await makeTeam(db, 'planted')
  planted = { ...p, history, ids: await loadHistory(db, p, history, NOW) }
  const c = await makeTeam(db, 'control')
  const controlEvents = controlHistory({ now: NOW })
  await loadHistory(db, c, controlEvents, NOW)
  control = { asOwner: c.asOwner, history: controlEvents }
  await refreshRecommendations(db, planted.asOwner, NOW)
  await refreshRecommendations(db, control.asOwner, NOW)
})
afterAll(async () => t?.destroy())

const rowsOf = (key: string) =>
  planted.history.events.filter((e) => e.prompt === key && (e.status === 'ok' || e.status === 'error'))

describe('recommendations from a stored history with planted facts', () => {
  it('finds each planted fact and nothing else; the control team gets none (false positives counted)', async () => {
    const list = await listRecommendationViews(db, planted.asOwner, undefined, NOW)
    expect(list.items.map((r) => r.kind).sort()).toEqual([
      'batch_api',
      'cheaper_model',
      'max_tokens',
      'prompt_caching',
      'unpriced_model',
    ])
    const falsePositives = (await listRecommendationViews(db, control.asOwner, undefined, NOW)).items
    expect(falsePositives.map((r) => r.title)).toEqual([])
    expect(falsePositives).toHaveLength(0)
  })

  it('each savings figure is the exact re-priced difference of the stored rows, as a decimal string', async () => {
    const { items } = await listRecommendationViews(db, planted.asOwner, undefined, NOW)
    const byKind = Object.fromEntries(items.map((r) => [r.kind, r]))

    const summariser = rowsOf('summariser')
    const onGpt4o = summariser.reduce(
      (s, e) => s + independentCost('gpt-4o', { input: e.inputTokens, output: e.outputTokens }),
      0n,
    )
    const onMini = summariser.reduce(
      (s, e) => s + independentCost('gpt-4.1-mini', { input: e.inputTokens, output: e.outputTokens }),
      0n,
    )
    expect(byKind.cheaper_model).toMatchObject({
      promptId: planted.ids.summariser,
      model: 'gpt-4o',
      suggestedModel: 'gpt-4.1-mini',
      monthlySavingsUsd: nanoToUsd(onGpt4o - onMini),
    })

    const policy = rowsOf('policy')
    const prefix = byKind.prompt_caching!.evidence.prefixTokens as number
    const uncached = policy.reduce(
      (s, e) => s + independentCost('claude-haiku-4-5', { input: e.inputTokens, output: e.outputTokens }),
      0n,
    )
    const cached = policy.reduce(
      (s, e) =>
        s + independentCost('claude-haiku-4-5', { input: e.inputTokens, output: e.outputTokens, cached: prefix }),
      0n,
    )
    expect(byKind.prompt_caching!.monthlySavingsUsd).toBe(nanoToUsd(uncached - cached))

    const bulk = planted.history.events.filter((e) => e.viaKey && e.model === 'gpt-4o-mini')
    const full = bulk.reduce(
      (s, e) => s + independentCost('gpt-4o-mini', { input: e.inputTokens, output: e.outputTokens }),
      0n,
    )
    const batched = bulk.reduce(
      (s, e) => s + independentCost('gpt-4o-mini', { input: e.inputTokens, output: e.outputTokens }, 50),
      0n,
    )
    expect(byKind.batch_api).toMatchObject({
      apiKeyId: planted.asKey.apiKeyId,
      monthlySavingsUsd: nanoToUsd(full - batched),
    })

    expect(byKind.max_tokens).toMatchObject({
      monthlySavingsUsd: '0',
      evidence: { blockedRuns: 5, wouldNotHaveBeenBlocked: 3 },
    })
    expect(byKind.unpriced_model).toMatchObject({ model: 'acme-internal-llm', monthlySavingsUsd: '0' })
    const savings = items.map((r) => usdToNano(r.monthlySavingsUsd))
    expect(savings.every((v, i) => i === 0 || v <= savings[i - 1]!)).toBe(true) // largest first
    // Optional contract fields are absent rather than null.
    expect('suggestedModel' in byKind.max_tokens!).toBe(false)
    expect(byKind.cheaper_model!.title).toBe('Switch “Support summariser” from gpt-4o to gpt-4.1-mini')
  })

  it('scores every prompt that ran', async () => {
    const scores = await db.selectFrom('prompt_scores').select(['prompt_id', 'score']).execute()
    const of = (key: string) => scores.find((s) => s.prompt_id === planted.ids[key])?.score
    expect(of('summariser')).toBeLessThan(of('tagger')!)
    expect(of('policy')).toBeLessThan(of('tagger')!)
  })

  it('a refresh keeps decisions: dismissed stays dismissed, snoozed stays hidden, stale open ones go', async () => {
    const { items } = await listRecommendationViews(db, planted.asOwner, undefined, NOW)
    const unpriced = items.find((r) => r.kind === 'unpriced_model')!
    const batch = items.find((r) => r.kind === 'batch_api')!
    await dismissRecommendation(db, planted.asOwner, unpriced.id, NOW)
    await snoozeRecommendation(db, planted.asOwner, batch.id, 7, NOW)
    await expect(dismissRecommendation(db, planted.asOwner, unpriced.id, NOW)).rejects.toMatchObject({
      code: 'CONFLICT',
    })
    await refreshRecommendations(db, planted.asOwner, NOW)
    const after = await listRecommendationViews(db, planted.asOwner, undefined, NOW)
    expect(after.items.find((r) => r.id === unpriced.id)).toMatchObject({ status: 'dismissed' })
    expect(after.items.find((r) => r.id === batch.id)).toBeUndefined()
    const withSnoozed = await listRecommendationViews(db, planted.asOwner, { includeSnoozed: true }, NOW)
    expect(withSnoozed.items.find((r) => r.id === batch.id)?.snoozedUntil).toBeDefined()
    expect(await reopenRecommendation(db, planted.asOwner, unpriced.id, NOW)).toMatchObject({ status: 'open' })
    // A week and a day later the snooze is over.
    const later = await listRecommendationViews(db, planted.asOwner, undefined, new Date(NOW.getTime() + 8 * 24 * HOUR))
    expect(later.items.some((r) => r.id === batch.id)).toBe(true)
  })

  it('kinds without an automatic change cannot be applied', async () => {
    const { items } = await listRecommendationViews(db, planted.asOwner, undefined, NOW)
    const unpriced = items.find((r) => r.kind === 'unpriced_model')!
    expect(unpriced.applicable).toBe(false)
    await expect(applyRecommendation(db, planted.asOwner, unpriced.id, NOW)).rejects.toMatchObject({
      code: 'BAD_INPUT',
    })
  })
})

describe('Apply', () => {
  it('changes the prompt as a new version, and realised savings appear once new runs arrive', async () => {
    const { items } = await listRecommendationViews(db, planted.asOwner, undefined, NOW)
    const rec = items.find((r) => r.kind === 'cheaper_model')!
    const appliedAt = new Date(NOW.getTime() + HOUR)
    const applied = await applyRecommendation(db, planted.asOwner, rec.id, appliedAt)
    expect(applied).toMatchObject({ status: 'applied', realised: { runs: 0, savedUsd: '0', savedThisMonthUsd: '0' } })
    const prompt = await prompts.findPrompt(db, planted.asOwner.id, planted.ids.summariser!)
    expect(prompt).toMatchObject({ model: 'gpt-4.1-mini', version: 2 })
    const [latest] = await listVersions(db, planted.asOwner, planted.ids.summariser!)
    expect(latest).toMatchObject({
      version: 2,
      source: 'apply',
      recommendationId: rec.id,
      changed: ['model'],
      before: { model: 'gpt-4o' },
      after: { model: 'gpt-4.1-mini' },
    })
    expect(latest!.changedBy).toMatchObject({ kind: 'user', id: planted.asOwner.userId })
    await expect(applyRecommendation(db, planted.asOwner, rec.id, appliedAt)).rejects.toMatchObject({
      code: 'CONFLICT',
    })

    // New runs of the prompt, now on the smaller model.
    const runs = Array.from({ length: 12 }, (_, i) => ({ input: 650 + i * 10, output: 170 + i }))
    await recordUsage(
      db,
      planted.asOwner,
      runs.map((r, i) => ({
        model: 'gpt-4.1-mini',
        inputTokens: r.input,
        outputTokens: r.output,
        promptId: planted.ids.summariser!,
        feature: 'lab' as const,
        occurredAt: new Date(appliedAt.getTime() + (i + 1) * 60_000).toISOString(),
      })),
      new Date(appliedAt.getTime() + HOUR),
    )
    const at = new Date(appliedAt.getTime() + 2 * HOUR)
    const list = await listRecommendationViews(db, planted.asOwner, undefined, at)
    const measured = list.items.find((r) => r.id === rec.id)!
    // Independently: n × (baseline cost ÷ baseline runs) − what the new runs cost, rounded once.
    const baselineRows = rowsOf('summariser')
    const baselineCost = baselineRows.reduce(
      (s, e) => s + independentCost('gpt-4o', { input: e.inputTokens, output: e.outputTokens }),
      0n,
    )
    const newCost = runs.reduce((s, r) => s + independentCost('gpt-4.1-mini', { input: r.input, output: r.output }), 0n)
    const num = BigInt(runs.length) * baselineCost
    const den = BigInt(baselineRows.length)
    const expected = (num * 2n + den) / (2n * den) - newCost
    expect(expected > 0n).toBe(true)
    expect(measured.realised).toMatchObject({
      runs: 12,
      savedUsd: nanoToUsd(expected),
      savedThisMonthUsd: nanoToUsd(expected),
    })
    expect(list.summary.savedThisMonthUsd).toBe(nanoToUsd(expected))
    expect(list.summary.savedPercent).toBeGreaterThan(0)
    expect(usdToNano(list.summary.spendThisMonthUsd)).toBeGreaterThan(0n)

    // Reverting the Apply puts the model back (version 3) and re-opens the recommendation.
    const reverted = await revertPrompt(db, planted.asOwner, planted.ids.summariser!, 1, at)
    expect(reverted).toMatchObject({ model: 'gpt-4o', version: 3 })
    const reopened = (await listRecommendationViews(db, planted.asOwner, undefined, at)).items.find(
      (r) => r.id === rec.id,
    )
    expect(reopened).toMatchObject({ status: 'open', realised: null })
  })

  it('max_tokens and prompt_caching change the prompt’s limit and caching guidance', async () => {
    const { items } = await listRecommendationViews(db, planted.asOwner, undefined, NOW)
    const maxTokens = items.find((r) => r.kind === 'max_tokens')!
    const caching = items.find((r) => r.kind === 'prompt_caching')!
    await applyRecommendation(db, planted.asOwner, maxTokens.id, NOW)
    await applyRecommendation(db, planted.asOwner, caching.id, NOW)
    expect(await prompts.findPrompt(db, planted.asOwner.id, planted.ids.tagger!)).toMatchObject({
      maxOutputTokens: maxTokens.suggestedMaxOutputTokens,
    })
    expect(await prompts.findPrompt(db, planted.asOwner.id, planted.ids.policy!)).toMatchObject({ caching: true })
  })
})
