import { z } from 'zod'
import { AppError } from './errors'

/** Subscription tiers, cheapest first. */
export const tierSchema = z.enum(['free', 'pro', 'enterprise'])
export type Tier = z.infer<typeof tierSchema>
export const TIERS = tierSchema.options

/** Features gated by tier. */
export const featureSchema = z.enum([
  'costSplit',
  'cheaperAlternatives',
  'perMessageBreakdown',
  'teamAnalytics',
  'scheduledReports',
  'costAllocation',
])
export type Feature = z.infer<typeof featureSchema>

/** The lowest tier that includes each feature; every higher tier includes it too. */
export const FEATURE_MIN_TIER: Readonly<Record<Feature, Tier>> = {
  costSplit: 'pro',
  cheaperAlternatives: 'pro',
  perMessageBreakdown: 'enterprise',
  teamAnalytics: 'enterprise',
  scheduledReports: 'enterprise',
  costAllocation: 'enterprise',
}

const RANK: Readonly<Record<Tier, number>> = { free: 0, pro: 1, enterprise: 2 }

export function tierAtLeast(tier: Tier, min: Tier): boolean {
  return RANK[tier] >= RANK[min]
}

/** Whether a team on `tier` may use `feature`. Unknown tiers or features are not allowed. */
export function tierAllows(tier: Tier, feature: Feature): boolean {
  if (!Object.hasOwn(FEATURE_MIN_TIER, feature) || !Object.hasOwn(RANK, tier)) return false
  return tierAtLeast(tier, FEATURE_MIN_TIER[feature])
}

/** Every feature a tier includes. */
export function featuresOf(tier: Tier): Feature[] {
  return featureSchema.options.filter((f) => tierAllows(tier, f))
}

/** Throws FORBIDDEN, naming the tier to upgrade to, when `tier` lacks `feature`. */
export function assertTierAllows(tier: Tier, feature: Feature): void {
  if (!tierAllows(tier, feature)) {
    const needed = Object.hasOwn(FEATURE_MIN_TIER, feature) ? FEATURE_MIN_TIER[feature] : undefined
    throw new AppError(
      'FORBIDDEN',
      needed
        ? `${feature} needs the ${needed} plan; this team is on ${tier}. Upgrade the team's plan to use it.`
        : `Unknown feature "${feature}".`,
      { details: { feature, tier, requiredTier: needed ?? null } },
    )
  }
}
