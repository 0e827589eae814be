import { describe, expect, it } from 'vitest'
import { AppError } from './errors'
import {
  FEATURE_MIN_TIER,
  TIERS,
  assertTierAllows,
  featureSchema,
  featuresOf,
  tierAllows,
  tierAtLeast,
  tierSchema,
  type Feature,
  type Tier,
} from './tiers'

describe('tiers', () => {
  it('orders free < pro < enterprise', () => {
    expect(TIERS).toEqual(['free', 'pro', 'enterprise'])
    expect(tierAtLeast('enterprise', 'pro')).toBe(true)
    expect(tierAtLeast('pro', 'pro')).toBe(true)
    expect(tierAtLeast('free', 'pro')).toBe(false)
  })

  it.each([
    ['free', 'costSplit', false],
    ['free', 'cheaperAlternatives', false],
    ['pro', 'costSplit', true],
    ['pro', 'cheaperAlternatives', true],
    ['pro', 'perMessageBreakdown', false],
    ['enterprise', 'perMessageBreakdown', true],
    ['pro', 'teamAnalytics', false],
    ['pro', 'scheduledReports', false],
    ['enterprise', 'teamAnalytics', true],
    ['enterprise', 'scheduledReports', true],
    ['enterprise', 'costSplit', true],
  ] as [Tier, Feature, boolean][])('%s allows %s: %s', (tier, feature, allowed) => {
    expect(tierAllows(tier, feature)).toBe(allowed)
  })

  it('refuses unknown tiers and features, even prototype names', () => {
    expect(tierAllows('platinum' as Tier, 'costSplit')).toBe(false)
    expect(tierAllows('toString' as Tier, 'costSplit')).toBe(false)
    expect(tierAllows('enterprise', 'toString' as Feature)).toBe(false)
  })

  it('every feature has a minimum tier, and higher tiers include lower ones', () => {
    for (const f of featureSchema.options) expect(TIERS).toContain(FEATURE_MIN_TIER[f])
    expect(featuresOf('free')).toEqual([])
    expect(featuresOf('pro')).toEqual(['costSplit', 'cheaperAlternatives'])
    expect(featuresOf('enterprise')).toEqual(featureSchema.options)
  })

  it('assertTierAllows throws FORBIDDEN naming the plan to upgrade to', () => {
    expect(() => assertTierAllows('enterprise', 'teamAnalytics')).not.toThrow()
    try {
      assertTierAllows('pro', 'scheduledReports')
      throw new Error('expected FORBIDDEN')
    } catch (error) {
      expect(error).toBeInstanceOf(AppError)
      expect((error as AppError).code).toBe('FORBIDDEN')
      expect((error as AppError).message).toMatch(/enterprise plan/)
      expect((error as AppError).details).toEqual({
        feature: 'scheduledReports',
        tier: 'pro',
        requiredTier: 'enterprise',
      })
    }
    expect(() => assertTierAllows('pro', 'nope' as Feature)).toThrow(/Unknown feature/)
  })

  it('the zod enum parses tiers', () => {
    expect(tierSchema.parse('pro')).toBe('pro')
    expect(tierSchema.safeParse('gold').success).toBe(false)
  })
})
