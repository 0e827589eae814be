import { AppError } from '../errors'
import { roleAtLeast, type Role } from '../roles'
import { FEATURE_MIN_TIER, tierAllows, type Feature, type Tier } from '../tiers'
import type { ApiKeyScope } from './scopes'

/**
 * What a procedure or route needs, declared once where it is built. `role` is the least team role a
 * signed-in person needs; `scope` the API-key scope a key needs (`null`: keys may not call it at all);
 * `feature` a plan feature the team's plan must include, for every caller.
 */
export interface TeamAccess {
  kind: 'team'
  role: Role
  scope: ApiKeyScope | null
  feature?: Feature
}

/** Signed-in people only, outside any team (their own profile). Keys never. */
export interface UserAccess {
  kind: 'user'
}

export type Access = TeamAccess | UserAccess

/** Who is asking, as far as access goes. */
export type AccessCaller = { kind: 'user'; role: Role } | { kind: 'apiKey'; scopes: readonly ApiKeyScope[] }

/**
 * Whether `caller` acting in a team on `plan` may do what `access` declares. Throws FORBIDDEN naming what
 * is missing: the role, the key scope (`details.missingScope`) or the plan (`details.requiredTier`).
 */
export function authorize(access: Access, caller: AccessCaller, plan: Tier, teamSlug: string): void {
  if (access.kind === 'user') {
    if (caller.kind !== 'user') throw keysMayNot()
    return
  }
  if (caller.kind === 'apiKey') {
    if (access.scope === null) throw keysMayNot()
    if (!caller.scopes.includes(access.scope)) {
      throw new AppError(
        'FORBIDDEN',
        `This API key lacks the "${access.scope}" scope. Create a key with it (--scopes ${access.scope}).`,
        {
          details: { missingScope: access.scope },
        },
      )
    }
  } else if (!roleAtLeast(caller.role, access.role)) {
    throw new AppError(
      'FORBIDDEN',
      `This needs the ${access.role} role in team "${teamSlug}"; you are ${caller.role}.`,
      {
        details: { requiredRole: access.role, role: caller.role },
      },
    )
  }
  if (access.feature && !tierAllows(plan, access.feature)) {
    const requiredTier = FEATURE_MIN_TIER[access.feature]
    throw new AppError(
      'FORBIDDEN',
      `${FEATURE_LABEL[access.feature]} ${requiredTier === 'enterprise' ? 'are' : 'is'} part of the ${TIER_LABEL[requiredTier]} plan; team "${teamSlug}" is on ${TIER_LABEL[plan]}. The instance operator changes a team's plan.`,
      { details: { feature: access.feature, tier: plan, requiredTier } },
    )
  }
}

function keysMayNot(): AppError {
  return new AppError(
    'FORBIDDEN',
    'API keys cannot do this (keys never manage keys, members, roles or the plan); sign in instead.',
    {
      details: { missingScope: null, apiKeysAllowed: false },
    },
  )
}

export const TIER_LABEL: Readonly<Record<Tier, string>> = { free: 'Free', pro: 'Pro', enterprise: 'Enterprise' }

const FEATURE_LABEL: Readonly<Record<Feature, string>> = {
  costSplit: 'The input/output cost split',
  cheaperAlternatives: 'Cheaper model suggestions',
  perMessageBreakdown: 'Per-message token counts',
  teamAnalytics: 'Team analytics',
  scheduledReports: 'Scheduled reports',
  costAllocation: 'Cost centres and cost allocation',
}
