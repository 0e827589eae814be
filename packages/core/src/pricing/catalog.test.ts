import { describe, expect, it } from 'vitest'
import { MODELS } from './catalog'
import { calculateCost } from './cost'
import { resolveModel } from './resolve'
import { catalogPriceSchema, type Provider } from './types'

/**
 * Published list prices, USD per 1M tokens, typed in independently of catalog.ts from the
 * providers' pricing pages. Every catalogue model must appear here, so adding a model without
 * checking its price fails this file.
 */
interface Published {
  input: string
  output: string
  cached?: string
  cacheWrite?: string
  batchPct?: number
  tier?: { above: number; input: string; output: string; cached?: string; cacheWrite?: string }
}

const PUBLISHED: Record<string, Published> = {
  'gpt-5.1': { input: '1.25', output: '10.00', cached: '0.125', batchPct: 50 },
  'gpt-5': { input: '1.25', output: '10.00', cached: '0.125', batchPct: 50 },
  'gpt-5-mini': { input: '0.25', output: '2.00', cached: '0.025', batchPct: 50 },
  'gpt-5-nano': { input: '0.05', output: '0.40', cached: '0.005', batchPct: 50 },
  'gpt-4.1': { input: '2.00', output: '8.00', cached: '0.50', batchPct: 50 },
  'gpt-4.1-mini': { input: '0.40', output: '1.60', cached: '0.10', batchPct: 50 },
  'gpt-4.1-nano': { input: '0.10', output: '0.40', cached: '0.025', batchPct: 50 },
  'gpt-4o': { input: '2.50', output: '10.00', cached: '1.25', batchPct: 50 },
  'gpt-4o-2024-05-13': { input: '5.00', output: '15.00', batchPct: 50 },
  'gpt-4o-mini': { input: '0.15', output: '0.60', cached: '0.075', batchPct: 50 },
  o1: { input: '15.00', output: '60.00', cached: '7.50', batchPct: 50 },
  'o1-mini': { input: '1.10', output: '4.40', cached: '0.55', batchPct: 50 },
  o3: { input: '2.00', output: '8.00', cached: '0.50', batchPct: 50 },
  'o3-mini': { input: '1.10', output: '4.40', cached: '0.55', batchPct: 50 },
  'o4-mini': { input: '1.10', output: '4.40', cached: '0.275', batchPct: 50 },
  'gpt-4-turbo': { input: '10.00', output: '30.00', batchPct: 50 },
  'gpt-4': { input: '30.00', output: '60.00', batchPct: 50 },
  'gpt-3.5-turbo': { input: '0.50', output: '1.50', batchPct: 50 },

  'claude-opus-4-5': { input: '5', output: '25', cacheWrite: '6.25', cached: '0.50', batchPct: 50 },
  'claude-opus-4-1': { input: '15', output: '75', cacheWrite: '18.75', cached: '1.50', batchPct: 50 },
  'claude-opus-4': { input: '15', output: '75', cacheWrite: '18.75', cached: '1.50', batchPct: 50 },
  'claude-sonnet-4-5': {
    input: '3',
    output: '15',
    cacheWrite: '3.75',
    cached: '0.30',
    batchPct: 50,
    tier: { above: 200_000, input: '6', output: '22.50', cacheWrite: '7.50', cached: '0.60' },
  },
  'claude-sonnet-4': {
    input: '3',
    output: '15',
    cacheWrite: '3.75',
    cached: '0.30',
    batchPct: 50,
    tier: { above: 200_000, input: '6', output: '22.50', cacheWrite: '7.50', cached: '0.60' },
  },
  'claude-3-7-sonnet': { input: '3', output: '15', cacheWrite: '3.75', cached: '0.30', batchPct: 50 },
  'claude-3-5-sonnet': { input: '3', output: '15', cacheWrite: '3.75', cached: '0.30', batchPct: 50 },
  'claude-haiku-4-5': { input: '1', output: '5', cacheWrite: '1.25', cached: '0.10', batchPct: 50 },
  'claude-3-5-haiku': { input: '0.80', output: '4', cacheWrite: '1', cached: '0.08', batchPct: 50 },
  'claude-3-haiku': { input: '0.25', output: '1.25', cacheWrite: '0.30', cached: '0.03', batchPct: 50 },

  'gemini-3-pro': { input: '2', output: '12', cached: '0.20', batchPct: 50, tier: { above: 200_000, input: '4', output: '18', cached: '0.40' } },
  'gemini-2.5-pro': {
    input: '1.25',
    output: '10',
    cached: '0.125',
    batchPct: 50,
    tier: { above: 200_000, input: '2.50', output: '15', cached: '0.25' },
  },
  'gemini-2.5-flash': { input: '0.30', output: '2.50', cached: '0.03', batchPct: 50 },
  'gemini-2.5-flash-lite': { input: '0.10', output: '0.40', cached: '0.01', batchPct: 50 },
  'gemini-2.0-flash': { input: '0.10', output: '0.40', cached: '0.025', batchPct: 50 },
  'gemini-1.5-pro': {
    input: '1.25',
    output: '5',
    cached: '0.3125',
    batchPct: 50,
    tier: { above: 128_000, input: '2.50', output: '10', cached: '0.625' },
  },
  'gemini-1.5-flash': {
    input: '0.075',
    output: '0.30',
    cached: '0.01875',
    batchPct: 50,
    tier: { above: 128_000, input: '0.15', output: '0.60', cached: '0.0375' },
  },

  'mistral-large': { input: '2', output: '6', batchPct: 50 },
  'mistral-medium': { input: '0.40', output: '2', batchPct: 50 },
  'mistral-small': { input: '0.10', output: '0.30', batchPct: 50 },
  codestral: { input: '0.30', output: '0.90', batchPct: 50 },
  'ministral-8b': { input: '0.10', output: '0.10', batchPct: 50 },

  'deepseek-chat': { input: '0.28', output: '0.42', cached: '0.028' },
  'deepseek-reasoner': { input: '0.28', output: '0.42', cached: '0.028' },

  'costwise-demo': { input: '1.00', output: '4.00', cached: '0.25', batchPct: 50 },
  'costwise-demo-mini': { input: '0.10', output: '0.40', cached: '0.025', batchPct: 50 },
  'costwise-demo-reasoner': { input: '2.00', output: '8.00', cached: '0.50' },
}

/** Earlier price versions, checked at a date inside each one. */
const HISTORICAL: [model: string, at: string, input: string, output: string, cached?: string][] = [
  ['gpt-4o', '2024-06-01', '5.00', '15.00'],
  ['gpt-4o-mini', '2024-08-01', '0.15', '0.60'],
  ['o1-mini', '2024-12-01', '3.00', '12.00'],
  ['o3', '2025-05-01', '10.00', '40.00', '2.50'],
  ['gemini-1.5-pro', '2024-07-01', '3.50', '10.50'],
  ['deepseek-chat', '2025-03-01', '0.27', '1.10', '0.07'],
  ['deepseek-chat', '2025-09-10', '0.56', '1.68', '0.07'],
  ['deepseek-reasoner', '2025-03-01', '0.55', '2.19', '0.14'],
  ['deepseek-reasoner', '2025-09-10', '0.56', '1.68', '0.07'],
]

/** Independent of money.ts: "2.50" USD → nano-dollars, by string surgery. */
function nano(usd: string): bigint {
  const [whole = '0', fraction = ''] = usd.split('.')
  return BigInt(whole) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0'))
}

const NOW = new Date('2026-06-01T12:00:00Z')
const M = 1_000_000

describe('catalogue shape', () => {
  it('covers exactly the models with published prices above', () => {
    expect(MODELS.map((m) => m.id).sort()).toEqual(Object.keys(PUBLISHED).sort())
  })

  it('has unique lower-case ids, sorted dated versions, valid prices and a source URL', () => {
    const ids = new Set<string>()
    for (const model of MODELS) {
      expect(model.id).toBe(model.id.toLowerCase())
      expect(ids.has(model.id)).toBe(false)
      ids.add(model.id)
      expect(model.prices.length).toBeGreaterThan(0)
      const dates = model.prices.map((p) => p.effectiveFrom)
      expect([...dates].sort()).toEqual(dates)
      expect(new Set(dates).size).toBe(dates.length)
      for (const price of model.prices) {
        expect(catalogPriceSchema.safeParse(price).success, `${model.id} ${price.effectiveFrom}`).toBe(true)
      }
      expect(model.contextWindow).toBeGreaterThan(0)
      expect(model.maxOutputTokens).toBeGreaterThan(0)
    }
  })

  it('points each provider at its own pricing page', () => {
    const hosts: Record<Provider, string> = {
      openai: 'platform.openai.com',
      anthropic: 'docs.claude.com',
      google: 'ai.google.dev',
      mistral: 'mistral.ai',
      deepseek: 'api-docs.deepseek.com',
      local: '',
    }
    for (const model of MODELS) {
      for (const price of model.prices) {
        if (model.provider === 'local') expect(price.sourceUrl).toBe('urn:costwise:demo-models')
        else expect(new URL(price.sourceUrl).host).toBe(hosts[model.provider])
      }
    }
  })

  it('counts OpenAI and demo models with an OpenAI encoding, others by estimate', () => {
    for (const model of MODELS) {
      if (model.provider === 'openai' || model.provider === 'local') expect(model.encoding).not.toBeNull()
      else expect(model.encoding).toBeNull()
    }
    expect(MODELS.find((m) => m.id === 'gpt-3.5-turbo')?.encoding).toBe('cl100k_base')
    expect(MODELS.find((m) => m.id === 'gpt-4o')?.encoding).toBe('o200k_base')
  })

  it('every alias resolves to its own model, and no alias shadows an id', () => {
    const ids = new Set(MODELS.map((m) => m.id))
    for (const model of MODELS) {
      for (const alias of model.aliases ?? []) {
        expect(ids.has(alias)).toBe(false)
        expect(resolveModel(alias)?.id).toBe(model.id)
      }
    }
  })
})

describe.each(Object.entries(PUBLISHED))('%s costs its published price', (id, p) => {
  const baseInput = p.tier ? 100_000 : M // stay under the tier for the base prices

  it('input and output', () => {
    const cost = calculateCost(id, { inputTokens: baseInput, outputTokens: M }, NOW)
    expect(cost.priced).toBe(true)
    expect(cost.model).toBe(id)
    expect(cost.breakdown.inputNano).toBe((nano(p.input) * BigInt(baseInput)) / BigInt(M))
    expect(cost.breakdown.outputNano).toBe(nano(p.output))
    expect(cost.totalNano).toBe((nano(p.input) * BigInt(baseInput)) / BigInt(M) + nano(p.output))
    expect(cost.tierAboveInputTokens).toBeNull()
  })

  it('cache reads and writes (at the input price when not priced separately)', () => {
    const read = calculateCost(id, { inputTokens: baseInput, cachedInputTokens: baseInput, outputTokens: 0 }, NOW)
    expect(read.breakdown.cachedInputNano).toBe((nano(p.cached ?? p.input) * BigInt(baseInput)) / BigInt(M))
    expect(read.breakdown.inputNano).toBe(0n)
    const write = calculateCost(id, { inputTokens: baseInput, cacheWriteTokens: baseInput, outputTokens: 0 }, NOW)
    expect(write.breakdown.cacheWriteNano).toBe((nano(p.cacheWrite ?? p.input) * BigInt(baseInput)) / BigInt(M))
  })

  it('reasoning tokens at the output price', () => {
    const cost = calculateCost(id, { inputTokens: 0, outputTokens: M, reasoningTokens: M }, NOW)
    expect(cost.breakdown.reasoningNano).toBe(nano(p.output))
    expect(cost.breakdown.outputNano).toBe(0n)
  })

  it('batch discount', () => {
    const cost = calculateCost(id, { inputTokens: baseInput, outputTokens: M }, NOW, { batch: true })
    const full = (nano(p.input) * BigInt(baseInput)) / BigInt(M) + nano(p.output)
    const keep = BigInt(100 - (p.batchPct ?? 0))
    expect(cost.totalNano).toBe((full * keep) / 100n)
    expect(cost.batch).toBe(p.batchPct !== undefined)
  })

})

const TIERED = Object.entries(PUBLISHED).filter((entry): entry is [string, Published & { tier: NonNullable<Published['tier']> }] => entry[1].tier !== undefined)

describe.each(TIERED)('%s costs its published long-prompt tier', (id, p) => {
  it('above the threshold every price switches; at it, none does', () => {
    const tier = p.tier
    const cost = calculateCost(id, { inputTokens: M, cachedInputTokens: 0, outputTokens: M }, NOW)
    expect(cost.tierAboveInputTokens).toBe(tier.above)
    expect(cost.breakdown.inputNano).toBe(nano(tier.input))
    expect(cost.breakdown.outputNano).toBe(nano(tier.output))
    const cached = calculateCost(id, { inputTokens: M, cachedInputTokens: M, outputTokens: 0 }, NOW)
    expect(cached.breakdown.cachedInputNano).toBe(nano(tier.cached ?? p.cached ?? tier.input))
    if (tier.cacheWrite) {
      const write = calculateCost(id, { inputTokens: M, cacheWriteTokens: M, outputTokens: 0 }, NOW)
      expect(write.breakdown.cacheWriteNano).toBe(nano(tier.cacheWrite))
    }
    // Exactly at the threshold is still the base price: the tier is for prompts *above* it.
    const atThreshold = calculateCost(id, { inputTokens: tier.above, outputTokens: 0 }, NOW)
    expect(atThreshold.tierAboveInputTokens).toBeNull()
    expect(atThreshold.breakdown.inputNano).toBe((nano(p.input) * BigInt(tier.above)) / BigInt(M))
  })
})

describe.each(HISTORICAL)('%s on %s costs the price of the time', (id, at, input, output, cached) => {
  it('input, output and cache reads', () => {
    // 100k prompt tokens (under any long-prompt tier), half of them cached: 1/20 of the price each.
    const cost = calculateCost(id, { inputTokens: 100_000, cachedInputTokens: 50_000, outputTokens: M }, new Date(`${at}T12:00:00Z`))
    expect(cost.breakdown.inputNano).toBe(nano(input) / 20n)
    expect(cost.breakdown.cachedInputNano).toBe(nano(cached ?? input) / 20n)
    expect(cost.breakdown.outputNano).toBe(nano(output))
    expect(cost.versionId).not.toBe(calculateCost(id, { inputTokens: 1, outputTokens: 1 }, NOW).versionId)
  })
})
