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
interface TierPrice {
  input: string
  output: string
  cached?: string
}
interface Published {
  input: string
  output: string
  cached?: string
  cacheWrite?: string
  audio?: string
  batchPct?: number
  tier?: { above: number; input: string; output: string; cached?: string; cacheWrite?: string }
  flex?: TierPrice
  priority?: TierPrice
  webSearch?: string
}

const PUBLISHED: Record<string, Published> = {
  'gpt-5.1': {
    input: '1.25',
    output: '10.00',
    cached: '0.125',
    batchPct: 50,
    priority: { input: '2.50', output: '20.00', cached: '0.25' },
    webSearch: '0.01',
  },
  'gpt-5': {
    input: '1.25',
    output: '10.00',
    cached: '0.125',
    batchPct: 50,
    flex: { input: '0.625', output: '5.00', cached: '0.0625' },
    priority: { input: '2.50', output: '20.00', cached: '0.25' },
    webSearch: '0.01',
  },
  'gpt-5-mini': {
    input: '0.25',
    output: '2.00',
    cached: '0.025',
    batchPct: 50,
    flex: { input: '0.125', output: '1.00', cached: '0.0125' },
    priority: { input: '0.45', output: '3.60', cached: '0.045' },
    webSearch: '0.01',
  },
  'gpt-5-nano': {
    input: '0.05',
    output: '0.40',
    cached: '0.005',
    batchPct: 50,
    flex: { input: '0.025', output: '0.20', cached: '0.0025' },
    webSearch: '0.01',
  },
  'gpt-4.1': {
    input: '2.00',
    output: '8.00',
    cached: '0.50',
    batchPct: 50,
    priority: { input: '3.50', output: '14.00', cached: '0.875' },
  },
  'gpt-4.1-mini': {
    input: '0.40',
    output: '1.60',
    cached: '0.10',
    batchPct: 50,
    priority: { input: '0.70', output: '2.80', cached: '0.175' },
  },
  'gpt-4.1-nano': {
    input: '0.10',
    output: '0.40',
    cached: '0.025',
    batchPct: 50,
    priority: { input: '0.20', output: '0.80', cached: '0.05' },
  },
  'gpt-4o': {
    input: '2.50',
    output: '10.00',
    cached: '1.25',
    batchPct: 50,
    priority: { input: '4.25', output: '17.00', cached: '2.125' },
  },
  'gpt-4o-2024-08-06': { input: '2.50', output: '10.00', cached: '1.25', batchPct: 50 },
  'gpt-4o-2024-05-13': { input: '5.00', output: '15.00', batchPct: 50 },
  'gpt-4o-mini': {
    input: '0.15',
    output: '0.60',
    cached: '0.075',
    batchPct: 50,
    priority: { input: '0.25', output: '1.00', cached: '0.125' },
  },
  o1: { input: '15.00', output: '60.00', cached: '7.50', batchPct: 50 },
  'o1-mini': { input: '1.10', output: '4.40', cached: '0.55', batchPct: 50 },
  o3: { input: '2.00', output: '8.00', cached: '0.50', batchPct: 50 },
  'o3-mini': { input: '1.10', output: '4.40', cached: '0.55', batchPct: 50 },
  'o4-mini': { input: '1.10', output: '4.40', cached: '0.275', batchPct: 50 },
  'gpt-4-turbo': { input: '10.00', output: '30.00', batchPct: 50 },
  'gpt-4': { input: '30.00', output: '60.00', batchPct: 50 },
  'gpt-3.5-turbo': { input: '0.50', output: '1.50', batchPct: 50 },
  'gpt-3.5-turbo-1106': { input: '1.00', output: '2.00' },

  'claude-opus-4-5': { input: '5', output: '25', cacheWrite: '6.25', cached: '0.50', batchPct: 50, webSearch: '0.01' },
  'claude-opus-4-1': {
    input: '15',
    output: '75',
    cacheWrite: '18.75',
    cached: '1.50',
    batchPct: 50,
    webSearch: '0.01',
  },
  'claude-opus-4': { input: '15', output: '75', cacheWrite: '18.75', cached: '1.50', batchPct: 50, webSearch: '0.01' },
  'claude-sonnet-4-5': {
    input: '3',
    output: '15',
    cacheWrite: '3.75',
    cached: '0.30',
    batchPct: 50,
    webSearch: '0.01',
    tier: { above: 200_000, input: '6', output: '22.50', cacheWrite: '7.50', cached: '0.60' },
  },
  'claude-sonnet-4': {
    input: '3',
    output: '15',
    cacheWrite: '3.75',
    cached: '0.30',
    batchPct: 50,
    webSearch: '0.01',
    tier: { above: 200_000, input: '6', output: '22.50', cacheWrite: '7.50', cached: '0.60' },
  },
  'claude-3-7-sonnet': {
    input: '3',
    output: '15',
    cacheWrite: '3.75',
    cached: '0.30',
    batchPct: 50,
    webSearch: '0.01',
  },
  'claude-3-5-sonnet': {
    input: '3',
    output: '15',
    cacheWrite: '3.75',
    cached: '0.30',
    batchPct: 50,
    webSearch: '0.01',
  },
  'claude-haiku-4-5': { input: '1', output: '5', cacheWrite: '1.25', cached: '0.10', batchPct: 50, webSearch: '0.01' },
  'claude-3-5-haiku': { input: '0.80', output: '4', cacheWrite: '1', cached: '0.08', batchPct: 50, webSearch: '0.01' },
  'claude-3-haiku': { input: '0.25', output: '1.25', cacheWrite: '0.30', cached: '0.03', batchPct: 50 },

  'gemini-3-pro': {
    input: '2',
    output: '12',
    cached: '0.20',
    batchPct: 50,
    tier: { above: 200_000, input: '4', output: '18', cached: '0.40' },
  },
  'gemini-2.5-pro': {
    input: '1.25',
    output: '10',
    cached: '0.125',
    batchPct: 50,
    tier: { above: 200_000, input: '2.50', output: '15', cached: '0.25' },
  },
  'gemini-2.5-flash': { input: '0.30', output: '2.50', cached: '0.03', audio: '1.00', batchPct: 50 },
  'gemini-2.5-flash-lite': { input: '0.10', output: '0.40', cached: '0.01', audio: '0.30', batchPct: 50 },
  'gemini-2.0-flash': { input: '0.10', output: '0.40', cached: '0.025', audio: '0.70', batchPct: 50 },
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
  ['gpt-4o-2024-08-06', '2024-09-01', '2.50', '10.00'],
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

  it('every price version says where it was read and when it was checked', () => {
    for (const model of MODELS) {
      for (const price of model.prices) {
        expect(price.sourceUrl, model.id).toBeTruthy()
        expect(price.checkedAt, model.id).toMatch(/^\d{4}-\d{2}-\d{2}$/)
        expect(price.checkedAt >= price.effectiveFrom, model.id).toBe(true)
      }
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

/** Counts chosen to expose rounding: one token, a prime, and two large odd counts. */
const AWKWARD = [1, 7, 123_457, 999_999] as const

/**
 * Expected nano-dollars for `count` units at a decimal USD price `perUnit` (per 1M tokens, or per call with
 * `perMillion = false`), times `keep` percent, rounded half-up once — done by hand on the decimal digits, not with
 * money.ts or cost.ts.
 */
function expectedNano(count: number, price: string, perMillion = true, keepPct: bigint[] = []): bigint {
  const [whole = '0', fraction = ''] = price.split('.')
  const digits = BigInt(whole + fraction)
  let numerator = BigInt(count) * digits * 1_000_000_000n
  let denominator = 10n ** BigInt(fraction.length) * (perMillion ? 1_000_000n : 1n)
  for (const keep of keepPct) {
    numerator *= keep
    denominator *= 100n
  }
  return (2n * numerator + denominator) / (2n * denominator)
}

/** The published price a prompt of `promptTokens` pays: the long-prompt tier above its threshold. */
function tierFor(p: Published, promptTokens: number): Published {
  if (!p.tier || promptTokens <= p.tier.above) return p
  return {
    ...p,
    input: p.tier.input,
    output: p.tier.output,
    cached: p.tier.cached ?? p.cached,
    cacheWrite: p.tier.cacheWrite ?? p.cacheWrite,
  }
}

describe.each(Object.entries(PUBLISHED))('%s costs its published price to the nano-dollar', (id, p) => {
  it.each(AWKWARD)('uncached input, %i tokens', (n) => {
    const cost = calculateCost(id, { inputTokens: n, outputTokens: 0 }, NOW)
    expect(cost.priced).toBe(true)
    expect(cost.model).toBe(id)
    expect(cost.breakdown.inputNano).toBe(expectedNano(n, tierFor(p, n).input))
    expect(cost.totalNano).toBe(cost.breakdown.inputNano)
  })

  it.each(AWKWARD)('output, %i tokens', (n) => {
    const cost = calculateCost(id, { inputTokens: 0, outputTokens: n }, NOW)
    expect(cost.breakdown.outputNano).toBe(expectedNano(n, p.output))
    expect(cost.totalNano).toBe(cost.breakdown.outputNano)
  })

  it.each(AWKWARD)('reasoning (billed as output), %i tokens', (n) => {
    const cost = calculateCost(id, { inputTokens: 0, outputTokens: n, reasoningTokens: n }, NOW)
    expect(cost.breakdown.reasoningNano).toBe(expectedNano(n, p.output))
    expect(cost.breakdown.outputNano).toBe(0n)
  })

  it.each(AWKWARD)('cache reads (at the input price when not priced separately), %i tokens', (n) => {
    const cost = calculateCost(id, { inputTokens: n, cachedInputTokens: n, outputTokens: 0 }, NOW)
    const price = tierFor(p, n)
    expect(cost.breakdown.cachedInputNano).toBe(expectedNano(n, price.cached ?? price.input))
    expect(cost.breakdown.inputNano).toBe(0n)
  })

  it.each(AWKWARD)('cache writes (at the input price when not priced separately), %i tokens', (n) => {
    const cost = calculateCost(id, { inputTokens: n, cacheWriteTokens: n, outputTokens: 0 }, NOW)
    const price = tierFor(p, n)
    expect(cost.breakdown.cacheWriteNano).toBe(expectedNano(n, price.cacheWrite ?? price.input))
  })

  it.each(AWKWARD)('audio input (its own price where published, else input), %i tokens', (n) => {
    const cost = calculateCost(id, { inputTokens: n, audioInputTokens: n, outputTokens: 0 }, NOW)
    expect(cost.breakdown.audioInputNano).toBe(expectedNano(n, p.audio ?? tierFor(p, n).input))
    expect(cost.breakdown.inputNano).toBe(0n)
  })

  it.each(AWKWARD)('image input (priced as input tokens), %i tokens', (n) => {
    const cost = calculateCost(id, { inputTokens: n, imageInputTokens: n, outputTokens: 0 }, NOW)
    expect(cost.breakdown.imageInputNano).toBe(expectedNano(n, tierFor(p, n).input))
  })

  it.each(AWKWARD)('batch discount on %i input and output tokens, each part rounded once', (n) => {
    const cost = calculateCost(id, { inputTokens: n, outputTokens: n }, NOW, { batch: true })
    const keep = p.batchPct === undefined ? [] : [BigInt(100 - p.batchPct)]
    const price = tierFor(p, n)
    expect(cost.breakdown.inputNano).toBe(expectedNano(n, price.input, true, keep))
    expect(cost.breakdown.outputNano).toBe(expectedNano(n, price.output, true, keep))
    expect(cost.batch).toBe(p.batchPct !== undefined)
  })

  for (const serviceTier of ['flex', 'priority'] as const) {
    const tierPrice = p[serviceTier]
    if (tierPrice) {
      it.each(AWKWARD)(`${serviceTier} processing, %i tokens of each kind`, (n) => {
        const cost = calculateCost(id, { inputTokens: 2 * n, cachedInputTokens: n, outputTokens: n }, NOW, {
          serviceTier,
        })
        expect(cost.serviceTier).toBe(serviceTier)
        expect(cost.breakdown.inputNano).toBe(expectedNano(n, tierPrice.input))
        expect(cost.breakdown.cachedInputNano).toBe(expectedNano(n, tierPrice.cached ?? tierPrice.input))
        expect(cost.breakdown.outputNano).toBe(expectedNano(n, tierPrice.output))
      })
    } else {
      it(`has no ${serviceTier} price: such calls are unpriced and flagged, never charged the standard price`, () => {
        const cost = calculateCost(id, { inputTokens: 7, outputTokens: 7 }, NOW, { serviceTier })
        expect(cost.priced).toBe(false)
        expect(cost.unpricedReason).toContain(`no ${serviceTier} processing price`)
      })
    }
  }

  if (p.webSearch) {
    it.each([1, 7, 123_457])('web search fees, %i calls', (calls) => {
      const cost = calculateCost(id, { inputTokens: 7, outputTokens: 0, toolCalls: { web_search: calls } }, NOW)
      expect(cost.breakdown.fees.web_search).toBe(expectedNano(calls, p.webSearch!, false))
      expect(cost.totalNano).toBe(cost.breakdown.inputNano + cost.breakdown.feesNano)
    })
  } else {
    it('has no web search price: such calls are unpriced and flagged', () => {
      const cost = calculateCost(id, { inputTokens: 7, outputTokens: 0, toolCalls: { web_search: 1 } }, NOW)
      expect(cost.priced).toBe(false)
      expect(cost.unpricedReason).toContain('web search')
    })
  }
})

const TIERED = Object.entries(PUBLISHED).filter(
  (entry): entry is [string, Published & { tier: NonNullable<Published['tier']> }] => entry[1].tier !== undefined,
)

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
    const cost = calculateCost(
      id,
      { inputTokens: 100_000, cachedInputTokens: 50_000, outputTokens: M },
      new Date(`${at}T12:00:00Z`),
    )
    expect(cost.breakdown.inputNano).toBe(nano(input) / 20n)
    expect(cost.breakdown.cachedInputNano).toBe(nano(cached ?? input) / 20n)
    expect(cost.breakdown.outputNano).toBe(nano(output))
    expect(cost.versionId).not.toBe(calculateCost(id, { inputTokens: 1, outputTokens: 1 }, NOW).versionId)
  })
})
