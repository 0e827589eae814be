import { describe, expect, it } from 'vitest'
import { AppError } from '../errors'
import { formatUsd, nanoToUsd, sumNano, usdToNano } from '../money'
import { seededRandom } from '../tokens/testing/corpus'
import {
  calculateCost,
  cheaperAlternatives,
  costWithVersion,
  ratesFor,
  zeroBreakdown,
  type CostBreakdown,
} from './cost'
import { priceAt } from './price'
import type { PriceOverride } from './types'

const NOW = new Date('2026-06-01T12:00:00Z')
const B = (parts: Partial<CostBreakdown>): CostBreakdown => ({ ...zeroBreakdown(), ...parts })

function appError(fn: () => unknown): AppError {
  try {
    fn()
  } catch (error) {
    if (error instanceof AppError) return error
    throw error
  }
  throw new Error('expected an AppError')
}

describe('calculateCost — hand-computed spot checks', () => {
  it('gpt-4o, 1,234 input / 567 output at $2.50 / $10.00', () => {
    // 1234 × 2.50 / 1e6 = 0.003085 USD; 567 × 10 / 1e6 = 0.00567 USD
    const cost = calculateCost('gpt-4o', { inputTokens: 1234, outputTokens: 567 }, NOW)
    expect(cost).toEqual({
      model: 'gpt-4o',
      provider: 'openai',
      priced: true,
      versionId: 'gpt-4o@2024-10-01',
      totalNano: 8_755_000n,
      breakdown: B({ inputNano: 3_085_000n, outputNano: 5_670_000n }),
      tierAboveInputTokens: null,
      batch: false,
      serviceTier: 'default',
      unpricedReason: null,
    })
    expect(nanoToUsd(cost.totalNano)).toBe('0.008755')
    expect(formatUsd(cost.totalNano)).toBe('$0.00876') // the display rule: 3 significant digits under $1
  })

  it('rounds each component half-up to the nano-dollar once, and the parts add up', () => {
    // gpt-4o-mini: 7 × 0.15 / 1e6 = 0.00000105 USD = 1050 nano (exact);
    // gpt-5-nano cached: 3 × 0.005 / 1e6 = 0.000000015 USD = 15 nano; 1 × 0.05 / 1e6 = 50 nano.
    expect(calculateCost('gpt-4o-mini', { inputTokens: 7, outputTokens: 0 }, NOW).totalNano).toBe(1050n)
    const nano5 = calculateCost('gpt-5-nano', { inputTokens: 4, cachedInputTokens: 3, outputTokens: 0 }, NOW)
    expect(nano5.breakdown).toMatchObject({ inputNano: 50n, cachedInputNano: 15n })
    // gemini-1.5-flash cache reads: $0.01875 per 1M = 18.75 nano per token.
    const flash = (n: number) =>
      calculateCost('gemini-1.5-flash', { inputTokens: n, cachedInputTokens: n, outputTokens: 0 }, NOW).breakdown
        .cachedInputNano
    expect(flash(1)).toBe(19n) // 18.75 → 19
    expect(flash(2)).toBe(38n) // 37.5 → 38 (half-up)
    expect(flash(4)).toBe(75n) // exact
    expect(flash(6)).toBe(113n) // 112.5 → 113 once; rounding per token would give 6 × 19 = 114
  })

  it('cached input: uncached = input − cached; cached at the cache-read price', () => {
    // gpt-4.1: 10,000 prompt tokens of which 8,000 cached; 500 output.
    // uncached 2000 × 2.00 = 0.004; cached 8000 × 0.50 = 0.004; output 500 × 8 = 0.004
    const cost = calculateCost('gpt-4.1', { inputTokens: 10_000, cachedInputTokens: 8_000, outputTokens: 500 }, NOW)
    expect(cost.breakdown).toEqual(B({ inputNano: 4_000_000n, cachedInputNano: 4_000_000n, outputNano: 4_000_000n }))
    expect(cost.totalNano).toBe(12_000_000n)
  })

  it('Anthropic cache writes and reads', () => {
    // claude-sonnet-4-5: 50,000 prompt = 10,000 uncached + 30,000 read + 10,000 written; 2,000 output.
    // 10000 × 3 = 0.03; 30000 × 0.30 = 0.009; 10000 × 3.75 = 0.0375; 2000 × 15 = 0.03
    const cost = calculateCost(
      'claude-sonnet-4-5-20250929',
      { inputTokens: 50_000, cachedInputTokens: 30_000, cacheWriteTokens: 10_000, outputTokens: 2_000 },
      NOW,
    )
    expect(cost.breakdown).toEqual(
      B({ inputNano: 30_000_000n, cachedInputNano: 9_000_000n, cacheWriteNano: 37_500_000n, outputNano: 30_000_000n }),
    )
    expect(nanoToUsd(cost.totalNano)).toBe('0.1065')
  })

  it('reasoning tokens are part of output and billed as output unless priced', () => {
    // o4-mini: 1,000 input, 3,000 output of which 2,500 reasoning.
    const cost = calculateCost('o4-mini', { inputTokens: 1_000, outputTokens: 3_000, reasoningTokens: 2_500 }, NOW)
    expect(cost.breakdown.outputNano).toBe(2_200_000n) // 500 × 4.40
    expect(cost.breakdown.reasoningNano).toBe(11_000_000n) // 2500 × 4.40
    expect(cost.totalNano).toBe(1_100_000n + 13_200_000n) // same as 3000 output tokens
  })

  it('gemini-2.5-pro switches every price above 200k prompt tokens', () => {
    const base = calculateCost('gemini-2.5-pro', { inputTokens: 200_000, outputTokens: 10_000 }, NOW)
    expect(base.tierAboveInputTokens).toBeNull()
    expect(base.breakdown.inputNano).toBe(250_000_000n) // 200k × 1.25
    expect(base.breakdown.outputNano).toBe(100_000_000n) // 10k × 10
    const long = calculateCost(
      'gemini-2.5-pro',
      { inputTokens: 200_001, cachedInputTokens: 100_000, outputTokens: 10_000 },
      NOW,
    )
    expect(long.tierAboveInputTokens).toBe(200_000)
    expect(long.breakdown.inputNano).toBe(250_002_500n) // 100,001 × 2.50
    expect(long.breakdown.cachedInputNano).toBe(25_000_000n) // 100k × 0.25
    expect(long.breakdown.outputNano).toBe(150_000_000n) // 10k × 15
  })

  it('batch halves OpenAI prices; DeepSeek has no batch discount', () => {
    const batch = calculateCost('gpt-4o', { inputTokens: 1234, outputTokens: 567 }, NOW, { batch: true })
    expect(batch.totalNano).toBe(4_377_500n)
    expect(batch.batch).toBe(true)
    const ds = calculateCost('deepseek-chat', { inputTokens: 1000, outputTokens: 1000 }, NOW, { batch: true })
    expect(ds.batch).toBe(false)
    expect(ds.totalNano).toBe(calculateCost('deepseek-chat', { inputTokens: 1000, outputTokens: 1000 }, NOW).totalNano)
  })

  it('uses the price version in effect at the time of the call', () => {
    const usage = { inputTokens: 1_000_000, outputTokens: 0 }
    expect(calculateCost('o3', usage, new Date('2025-06-09T23:59:59Z')).versionId).toBe('o3@2025-04-16')
    expect(calculateCost('o3', usage, new Date('2025-06-10T00:00:00Z')).versionId).toBe('o3@2025-06-10')
    expect(calculateCost('o3', usage, new Date('2025-06-10T00:00:00Z')).totalNano).toBe(2_000_000_000n)
  })

  it('defaults `at` to now', () => {
    expect(calculateCost('gpt-4o', { inputTokens: 1, outputTokens: 1 }).versionId).toMatch(/^gpt-4o@/)
  })

  it('unknown models are unpriced, never NaN, never a throw', () => {
    for (const model of [
      'made-up-model',
      '',
      'ft:gpt-4o:acme::1',
      undefined as unknown as string,
      7 as unknown as string,
    ]) {
      const cost = calculateCost(model, { inputTokens: 100, outputTokens: 100 }, NOW)
      expect(cost).toMatchObject({
        model: null,
        provider: null,
        priced: false,
        versionId: null,
        totalNano: 0n,
        breakdown: B({}),
        tierAboveInputTokens: null,
        batch: false,
      })
      expect(cost.unpricedReason).toMatch(/unpriced|empty|fine-tune/)
    }
  })

  it('zero usage costs zero', () => {
    expect(calculateCost('gpt-4o', { inputTokens: 0, outputTokens: 0 }, NOW).totalNano).toBe(0n)
  })

  it('a bad date is BAD_INPUT naming `at`', () => {
    const error = appError(() => calculateCost('gpt-4o', { inputTokens: 1, outputTokens: 1 }, new Date('nope')))
    expect(error.code).toBe('BAD_INPUT')
    expect(error.field).toBe('at')
  })
})

describe('calculateCost — invalid usage', () => {
  it.each([
    [{ inputTokens: -1, outputTokens: 0 }, 'usage.inputTokens', /must not be negative/],
    [{ inputTokens: 1.5, outputTokens: 0 }, 'usage.inputTokens', /whole number/],
    [{ inputTokens: Number.NaN, outputTokens: 0 }, 'usage.inputTokens', /.+/],
    [{ inputTokens: 10, outputTokens: Number.POSITIVE_INFINITY }, 'usage.outputTokens', /.+/],
    [{ inputTokens: 10 }, 'usage.outputTokens', /must be a number of tokens/],
    [{ inputTokens: '10', outputTokens: 0 }, 'usage.inputTokens', /must be a number of tokens/],
    [{ inputTokens: 10, outputTokens: 0, cachedInputTokens: 11 }, 'usage.cachedInputTokens', /more than inputTokens/],
    [
      { inputTokens: 10, outputTokens: 0, cachedInputTokens: 6, cacheWriteTokens: 5 },
      'usage.cacheWriteTokens',
      /more than inputTokens/,
    ],
    [{ inputTokens: 10, outputTokens: 5, reasoningTokens: 6 }, 'usage.reasoningTokens', /exceed outputTokens/],
    [{ inputTokens: 2 ** 60, outputTokens: 0 }, 'usage.inputTokens', /whole number/], // beyond 2^53: not a safe integer
  ])('%j → INVALID_USAGE on %s', (usage, field, message) => {
    const error = appError(() => calculateCost('gpt-4o', usage as never, NOW))
    expect(error.code).toBe('INVALID_USAGE')
    expect(error.field).toBe(field)
    expect(error.message).toMatch(message)
    expect(error.status).toBe(400)
  })

  it('a non-object is INVALID_USAGE too', () => {
    expect(appError(() => calculateCost('gpt-4o', null as never, NOW)).code).toBe('INVALID_USAGE')
  })
})

describe('team overrides', () => {
  const negotiated: PriceOverride = {
    id: 'p-1',
    model: 'openai/gpt-4o-2024-11-20',
    effectiveFrom: '2026-01-01',
    inputPerMTok: '2.00',
    outputPerMTok: '8.00',
    cachedInputPerMTok: null,
    batchDiscountPct: '50.00',
    sourceUrl: null,
  }

  it('win over the catalogue from their effective date', () => {
    const usage = { inputTokens: 1_000_000, outputTokens: 1_000_000 }
    const before = calculateCost('gpt-4o', usage, new Date('2025-12-31T23:59:59Z'), { overrides: [negotiated] })
    expect(before.versionId).toBe('gpt-4o@2024-10-01')
    const after = calculateCost('gpt-4o', usage, NOW, { overrides: [negotiated] })
    expect(after.versionId).toBe('custom:p-1')
    expect(after.totalNano).toBe(10_000_000_000n)
    expect(calculateCost('gpt-4o', usage, NOW, { overrides: [negotiated], batch: true }).totalNano).toBe(5_000_000_000n)
  })

  it('the latest override in effect wins; overrides for other models are ignored', () => {
    const later: PriceOverride = { ...negotiated, id: 'p-2', effectiveFrom: '2026-03-01', inputPerMTok: '1.00' }
    const future: PriceOverride = { ...negotiated, id: 'p-3', effectiveFrom: '2027-01-01', inputPerMTok: '0.50' }
    const other: PriceOverride = { ...negotiated, id: 'p-4', model: 'gpt-4o-mini', effectiveFrom: '2025-01-01' }
    const version = priceAt('gpt-4o', NOW, [future, negotiated, other, later])
    expect(version?.versionId).toBe('custom:p-2')
    expect(version?.source).toBe('custom')
    expect(version?.provider).toBe('openai')
  })

  it('price models the catalogue does not know', () => {
    const finetune: PriceOverride = {
      id: 'ft-1',
      model: 'acme-support-bot',
      effectiveFrom: '2026-09-01',
      inputPerMTok: '0.30',
      outputPerMTok: '1.20',
      reasoningPerMTok: '2.00',
      tiers: [{ aboveInputTokens: 100_000, inputPerMTok: '0.60', outputPerMTok: '2.40' }],
    }
    // Not yet in effect, but it is the only price there is.
    const cost = calculateCost(
      'ACME-support-bot',
      { inputTokens: 1_000_000, outputTokens: 2_000_000, reasoningTokens: 1_000_000 },
      NOW,
      {
        overrides: [finetune],
      },
    )
    expect(cost).toMatchObject({
      model: 'acme-support-bot',
      provider: null,
      priced: true,
      versionId: 'custom:ft-1',
      tierAboveInputTokens: 100_000,
    })
    expect(cost.breakdown.inputNano).toBe(600_000_000n) // tier input
    expect(cost.breakdown.outputNano).toBe(2_400_000_000n) // tier output
    expect(cost.breakdown.reasoningNano).toBe(2_000_000_000n) // explicit reasoning price
  })

  it('malformed overrides are BAD_INPUT naming the field', () => {
    const bad = { ...negotiated, inputPerMTok: '2.5e0' }
    const error = appError(() => priceAt('gpt-4o', NOW, [negotiated, bad]))
    expect(error.code).toBe('BAD_INPUT')
    expect(error.field).toBe('overrides.1.inputPerMTok')
    expect(error.message).toMatch(/USD per 1M tokens/)
    const badDate = { ...negotiated, id: 'x', effectiveFrom: '2026-02-30' }
    expect(appError(() => priceAt('gpt-4o', NOW, [badDate])).field).toBe('overrides.0.effectiveFrom')
    const badPct = { ...negotiated, id: 'y', batchDiscountPct: 150 }
    expect(appError(() => priceAt('gpt-4o', NOW, [badPct])).field).toBe('overrides.0.batchDiscountPct')
  })

  it('priceAt returns null for unknown models without overrides and for empty names', () => {
    expect(priceAt('nope', NOW)).toBeNull()
    expect(priceAt('', NOW)).toBeNull()
  })
})

describe('rates and versions', () => {
  it('ratesFor picks the highest tier exceeded and inherits missing tier prices', () => {
    const version = priceAt('claude-sonnet-4-5', NOW)!
    expect(ratesFor(version, 200_000)).toMatchObject({ input: 3_000_000_000n, cacheWrite: 3_750_000_000n, tier: null })
    expect(ratesFor(version, 200_001)).toMatchObject({
      input: 6_000_000_000n,
      cacheWrite: 7_500_000_000n,
      cachedInput: 600_000_000n,
      tier: 200_000,
    })
    const twoTiers = {
      ...version,
      tiers: [
        { aboveInputTokens: 500_000, inputPerMTok: '9.00', outputPerMTok: '30.00' },
        { aboveInputTokens: 200_000, inputPerMTok: '6.00', outputPerMTok: '22.50' },
      ],
    }
    expect(ratesFor(twoTiers, 600_000)).toMatchObject({
      input: 9_000_000_000n,
      cachedInput: 300_000_000n,
      tier: 500_000,
    })
    expect(ratesFor(twoTiers, 300_000)).toMatchObject({ input: 6_000_000_000n, tier: 200_000 })
  })

  it('costWithVersion supports fractional batch discounts exactly', () => {
    const version = { ...priceAt('gpt-4o', NOW)!, batchDiscountPct: '12.5' }
    const usage = {
      inputTokens: 1_000_000,
      outputTokens: 0,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
      audioInputTokens: 0,
      imageInputTokens: 0,
      toolCalls: {},
    }
    expect(costWithVersion(version, usage, true).totalNano).toBe(2_187_500_000n) // 2.50 × 0.875
  })

  it('a sum of many real costs is exact: breakdowns add up row by row and in total', () => {
    const rnd = seededRandom(99)
    const models = ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4-5', 'gemini-2.5-pro', 'deepseek-chat', 'gemini-1.5-flash']
    const totals: bigint[] = []
    let components = 0n
    for (let i = 0; i < 20_000; i++) {
      const inputTokens = Math.floor(rnd() * 300_000)
      const cachedInputTokens = Math.floor(inputTokens * rnd() * 0.5)
      const outputTokens = Math.floor(rnd() * 5_000)
      const cost = calculateCost(models[i % models.length]!, { inputTokens, cachedInputTokens, outputTokens }, NOW)
      const b = cost.breakdown
      expect(b.inputNano + b.cachedInputNano + b.cacheWriteNano + b.outputNano + b.reasoningNano).toBe(cost.totalNano)
      totals.push(cost.totalNano)
      components += b.inputNano + b.cachedInputNano + b.outputNano
    }
    const total = sumNano(totals)
    expect(total).toBe(components)
    // Round-trips through the numeric(20,9) text form unchanged.
    expect(usdToNano(nanoToUsd(total))).toBe(total)
  })
})

describe('cheaperAlternatives', () => {
  const usage = { inputTokens: 2_000, outputTokens: 500 }

  it('ranks cheaper models with savings, cheapest first', () => {
    const alts = cheaperAlternatives('gpt-4o', usage, { at: NOW, limit: 50 })
    expect(alts.length).toBeGreaterThan(10)
    expect(cheaperAlternatives('gpt-4o', usage, { at: NOW, limit: 5 })).toEqual(alts.slice(0, 5))
    const base = calculateCost('gpt-4o', usage, NOW).totalNano
    for (const [i, alt] of alts.entries()) {
      expect(alt.totalNano).toBe(calculateCost(alt.model, usage, NOW).totalNano)
      expect(alt.totalNano).toBeLessThan(base)
      expect(alt.savingsNano).toBe(base - alt.totalNano)
      if (i > 0) expect(alt.totalNano).toBeGreaterThanOrEqual(alts[i - 1]!.totalNano)
      expect(alt.provider).not.toBe('local')
    }
    // gpt-4o: 2000 × 2.50 + 500 × 10 = $0.01; gpt-4.1-nano: 2000 × 0.10 + 500 × 0.40 = $0.0004 → 96 % less.
    const nano = alts.find((a) => a.model === 'gpt-4.1-nano')
    expect(nano?.totalNano).toBe(400_000n)
    expect(nano?.savingsPct).toBe(96)
  })

  it('can stay within the provider and include legacy models', () => {
    const same = cheaperAlternatives('claude-opus-4-1', usage, { at: NOW, sameProvider: true, limit: 10 })
    expect(same.every((a) => a.provider === 'anthropic')).toBe(true)
    expect(same.map((a) => a.model)).not.toContain('claude-3-haiku')
    const withLegacy = cheaperAlternatives('claude-opus-4-1', usage, {
      at: NOW,
      sameProvider: true,
      includeLegacy: true,
      limit: 10,
    })
    expect(withLegacy.map((a) => a.model)).toContain('claude-3-haiku')
  })

  it('only suggests models that fit the request', () => {
    const huge = { inputTokens: 900_000, outputTokens: 1_000 }
    const alts = cheaperAlternatives('gemini-2.5-pro', huge, { at: NOW, limit: 50 })
    expect(alts.length).toBeGreaterThan(0)
    for (const alt of alts)
      expect([
        'gemini-2.5-flash',
        'gemini-2.5-flash-lite',
        'gemini-2.0-flash',
        'gpt-4.1',
        'gpt-4.1-mini',
        'gpt-4.1-nano',
        'claude-sonnet-4-5',
        'claude-sonnet-4',
        'gemini-3-pro',
      ]).toContain(alt.model)
  })

  it('suggests only demo models for a demo model (the demo server serves nothing else)', () => {
    const alts = cheaperAlternatives('costwise-demo', usage, { at: NOW })
    expect(alts.map((a) => a.model)).toEqual(['costwise-demo-mini'])
    expect(alts[0]?.savingsPct).toBe(90)
  })

  it('nothing for unknown models, zero usage, the cheapest model, or limit 0', () => {
    expect(cheaperAlternatives('made-up', usage, { at: NOW })).toEqual([])
    expect(cheaperAlternatives('gpt-4o', { inputTokens: 0, outputTokens: 0 }, { at: NOW })).toEqual([])
    expect(cheaperAlternatives('gpt-5-nano', usage, { at: NOW, sameProvider: true })).toEqual([])
    expect(cheaperAlternatives('gpt-4o', usage, { at: NOW, limit: 0 })).toEqual([])
    expect(cheaperAlternatives('gpt-4o', usage).length).toBe(3)
  })
})

describe('team pricing: discounts, imported versions, cloud premiums, mappings', () => {
  const usage = { inputTokens: 123_457, outputTokens: 7 }
  // gpt-4o list: 123457 × 2.50 = 308,642.5 → 308,643 nano... at 1e-9: 123457 × 2500 nano = 308,642,500 nano; 7 × 10,000 = 70,000.

  it('a provider discount takes a percentage off every list-price component, rounded once per component', () => {
    const discounts = [{ id: 'd1', provider: 'openai', percent: '12.5', effectiveFrom: '2026-01-01' }]
    const cost = calculateCost('gpt-4o', usage, NOW, { discounts })
    expect(cost.versionId).toBe('gpt-4o@2024-10-01~discount:d1')
    expect(cost.breakdown.inputNano).toBe(270_062_188n) // 308,642,500 × 0.875 = 270,062,187.5 → half-up
    expect(cost.breakdown.outputNano).toBe(61_250n)
    // with batch as well: × 0.875 × 0.5, one rounding
    expect(calculateCost('gpt-4o', usage, NOW, { discounts, batch: true }).breakdown.inputNano).toBe(135_031_094n)
  })

  it('a model discount wins over the provider discount; discounts apply only in their dates (to is inclusive)', () => {
    const discounts = [
      { id: 'prov', provider: 'openai', percent: 10, effectiveFrom: '2026-01-01' },
      { id: 'model', model: 'gpt-4o-2024-11-20', percent: 20, effectiveFrom: '2026-05-01', effectiveTo: '2026-06-01' },
    ]
    expect(calculateCost('gpt-4o', usage, NOW, { discounts }).versionId).toBe('gpt-4o@2024-10-01~discount:model')
    expect(calculateCost('gpt-4o', usage, new Date('2026-06-02T00:00:00Z'), { discounts }).versionId).toBe(
      'gpt-4o@2024-10-01~discount:prov',
    )
    expect(calculateCost('gpt-4o', usage, new Date('2025-12-31T23:59:59Z'), { discounts }).versionId).toBe(
      'gpt-4o@2024-10-01',
    )
    expect(calculateCost('claude-haiku-4-5', usage, NOW, { discounts }).versionId).toBe('claude-haiku-4-5@2025-10-15')
  })

  it('custom prices are what the team pays: no discount on top, and they end after effectiveTo', () => {
    const overrides: PriceOverride[] = [
      {
        id: 'c1',
        model: 'gpt-4o',
        effectiveFrom: '2026-01-01',
        effectiveTo: '2026-03-31',
        inputPerMTok: '1.00',
        outputPerMTok: '4.00',
      },
    ]
    const discounts = [{ id: 'd', provider: 'openai', percent: 50, effectiveFrom: '2020-01-01' }]
    expect(calculateCost('gpt-4o', usage, new Date('2026-03-31T23:00:00Z'), { overrides, discounts }).versionId).toBe(
      'custom:c1',
    )
    expect(calculateCost('gpt-4o', usage, new Date('2026-04-01T00:00:00Z'), { overrides, discounts }).versionId).toBe(
      'gpt-4o@2024-10-01~discount:d',
    )
  })

  it('an imported price version takes over from its effective date, and can price a model the catalogue lacks', () => {
    const imported = [
      {
        id: 'i1',
        model: 'gpt-4o',
        provider: 'openai',
        effectiveFrom: '2026-05-01',
        inputPerMTok: '2.00',
        outputPerMTok: '8.00',
        cachedInputPerMTok: '1.00',
      },
      {
        id: 'i2',
        model: 'mistral-large-2512',
        provider: 'mistral',
        effectiveFrom: '2025-12-02',
        inputPerMTok: '0.50',
        outputPerMTok: '1.50',
      },
    ]
    expect(calculateCost('gpt-4o', usage, new Date('2026-04-30T23:59:59Z'), { imported }).versionId).toBe(
      'gpt-4o@2024-10-01',
    )
    const after = calculateCost('gpt-4o-2024-11-20', usage, NOW, { imported })
    expect(after.versionId).toBe('import:i1')
    expect(after.breakdown.inputNano).toBe(246_914_000n) // 123457 × 2.00
    const large3 = calculateCost('mistral-large-2512', usage, NOW, { imported })
    expect(large3).toMatchObject({ priced: true, versionId: 'import:i2', provider: 'mistral' })
    // the neighbour is untouched
    expect(calculateCost('mistral-large-2411', usage, NOW, { imported }).versionId).toBe('mistral-large@2024-11-18')
  })

  it('Bedrock regional endpoints pay the 10 % premium on the models that carry one; global does not', () => {
    const global = calculateCost('global.anthropic.claude-sonnet-4-5-20250929-v1:0', usage, NOW)
    const regional = calculateCost('us.anthropic.claude-sonnet-4-5-20250929-v1:0', usage, NOW)
    expect(global.versionId).toBe('claude-sonnet-4-5@2025-09-29')
    expect(regional.versionId).toBe('claude-sonnet-4-5@2025-09-29+regional')
    expect(global.breakdown.inputNano).toBe(370_371_000n) // 123457 × 3.00
    expect(regional.breakdown.inputNano).toBe(407_408_100n) // × 1.10
    expect(calculateCost('us.anthropic.claude-sonnet-4-20250514-v1:0', usage, NOW).versionId).toBe(
      'claude-sonnet-4@2025-08-12',
    )
  })

  it('an Azure deployment name is priced through the team mapping', () => {
    const cost = calculateCost('azure/support-bot', usage, NOW, { mappings: { 'support-bot': 'gpt-4o-mini' } })
    expect(cost.model).toBe('gpt-4o-mini')
    expect(calculateCost('azure/support-bot', usage, NOW).priced).toBe(false)
  })

  it('malformed discounts are BAD_INPUT naming the item', () => {
    const error = appError(() =>
      calculateCost('gpt-4o', usage, NOW, {
        discounts: [{ id: 'x', provider: 'openai', model: 'gpt-4o', percent: 5, effectiveFrom: '2026-01-01' }],
      }),
    )
    expect(error.code).toBe('BAD_INPUT')
    expect(error.field).toMatch(/^discounts\.0/)
  })
})
