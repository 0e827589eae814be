import {
  AppError,
  apiKeyScopeSchema,
  authorize,
  normalizeModelName,
  type Access,
  type AccessCaller,
  type ApiKeyScope,
  type Feature,
  type Role,
  type Tier,
} from '@costwise/core'
import { teams } from '@costwise/db'
import { initTRPC } from '@trpc/server'
import type { OpenApiMeta } from 'trpc-to-openapi'
import { ZodError, z } from 'zod'
import { cached } from './cache'
import { checkRawInput } from './input-guard'
import type { Context } from './context'
import { toAppError, toTrpcError, trpcCodeOf } from './errors'

/**
 * Procedure meta: the REST mapping (trpc-to-openapi) and the access declaration every procedure carries
 * (set by `teamProcedure` / `userProcedure`; the permission matrix and its test read it from here).
 */
export type Meta = OpenApiMeta & {
  access?: Access
  /** The REST status of a success when it is not 200 (e.g. 201 for a creation). */
  successStatus?: number
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    // One error shape (see ./errors): a stable `appCode`, the field at fault, and zod's flattened issues on bad input.
    errorFormatter({ shape, error }) {
      const app = toAppError(error)
      return {
        ...shape,
        message: app.message,
        data: {
          ...shape.data,
          stack: undefined,
          appCode: app.code,
          field: app.field ?? null,
          details: app.details ?? null,
          zodError: error.cause instanceof ZodError ? z.flattenError(error.cause) : null,
        },
      }
    },
  })

/** Domain errors become tRPC errors with the code of core's table; tRPC's own errors pass through. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next()
  if (!result.ok) {
    // An AppError under another code, or a database outage (UNAVAILABLE), is re-thrown under its code in the table.
    const app = toAppError(result.error)
    const known = result.error.cause instanceof AppError || app.code === 'UNAVAILABLE'
    if (known && !(result.error.cause === app && result.error.code === trpcCodeOf(app))) throw toTrpcError(app)
  }
  return result
})

export const createTRPCRouter = t.router
export const createCallerFactory = t.createCallerFactory
export const middleware = t.middleware

/** Raw input checked before schemas and handlers: no NUL characters, no `__proto__` keys, bounded nesting. */
const guardInput = t.middleware(async ({ getRawInput, next }) => {
  const problem = checkRawInput(await getRawInput())
  if (problem) throw toTrpcError(problem)
  return next()
})

/** No declaration, no access: only for building the declared procedures below. */
const baseProcedure = t.procedure.use(mapErrors).use(guardInput)

/** Anyone signed in or holding a valid API key; keys are rate limited per key (shared across processes). */
const authedProcedure = baseProcedure.use(async ({ ctx, next }) => {
  if (ctx.actor.kind === 'anonymous') {
    throw new AppError('UNAUTHORIZED', 'Sign in, or send a valid API key as "Authorization: Bearer <key>".')
  }
  if (ctx.actor.kind === 'apiKey') await ctx.config.rateLimiter.consume(ctx.db, ctx.actor.key.id)
  return next({ ctx: { ...ctx, actor: ctx.actor } })
})

function declared(meta: Meta | undefined): Access {
  // A procedure built without a declaration is refused outright (and fails the router walk test).
  if (!meta?.access) throw new AppError('FORBIDDEN', 'This procedure declares no access rule, so nobody may call it.')
  return meta.access
}

/** A signed-in person outside any team (their own profile). API keys may not. */
export const userProcedure = authedProcedure.meta({ access: { kind: 'user' } }).use(({ ctx, meta, next }) => {
  declared(meta)
  if (ctx.actor.kind !== 'user') {
    throw new AppError('FORBIDDEN', 'API keys cannot do this; sign in instead.', {
      details: { missingScope: null, apiKeysAllowed: false },
    })
  }
  return next({ ctx: { ...ctx, session: ctx.actor.session } })
})

export interface TeamScope {
  id: string
  slug: string
  name: string
  timeZone: string
  /** The team's clock for displayed times (core `HourCycle`); absent in older fixtures = 12-hour. */
  hourCycle?: 'h12' | 'h23'
  retentionMonths: number
  /** The team's plan: gates features for every caller. */
  plan: Tier
  /** The signed-in person's role; null for an API key (keys have scopes instead). */
  role: Role | null
  /** Who acts: the user's id, or null for an API key. */
  userId: string | null
  apiKeyId: string | null
  /** Models an API key is limited to (normalised names); null or absent = any. */
  allowedModels?: string[] | null
  /** The client's address, for the audit log. */
  ip?: string | null
}

function pickMembership(
  memberships: teams.Membership[],
  slug: string | null,
  explicit: boolean,
): teams.Membership | undefined {
  const named = slug ? memberships.find((m) => m.slug === slug) : undefined
  if (named || (slug && explicit)) return named
  return memberships[0]
}

/**
 * The team a caller acts for, from their identity — never from input: an API key's own team, or the signed-in
 * user's membership (the named team, else their first). Throws UNAUTHORIZED/FORBIDDEN/NOT_FOUND. Checks no
 * rights: `authorizeTeam` does, against a declaration.
 */
export async function resolveTeamScope(ctx: Context): Promise<TeamScope> {
  if (ctx.actor.kind === 'anonymous') {
    throw new AppError('UNAUTHORIZED', 'Sign in, or send a valid API key as "Authorization: Bearer <key>".')
  }
  if (ctx.actor.kind === 'apiKey') {
    const key = ctx.actor.key
    // Read on every API request; a team's name, zone or plan changes rarely, so keep it for 30 s.
    const found = await cached(`team:${key.teamId}`, 30_000, () => teams.findTeamById(ctx.db, key.teamId))
    if (!found) throw new AppError('UNAUTHORIZED', 'This API key’s team no longer exists.')
    return {
      ...found,
      role: null,
      userId: null,
      apiKeyId: key.id,
      allowedModels: key.allowedModels?.map(normalizeModelName) ?? null,
      ip: ctx.ip,
    }
  }
  const membership = pickMembership(ctx.actor.session.memberships, ctx.teamSlug, ctx.teamSlugExplicit)
  if (!membership) {
    if (ctx.teamSlug && ctx.teamSlugExplicit)
      throw new AppError('FORBIDDEN', `You are not a member of team "${ctx.teamSlug}".`)
    throw new AppError('NOT_FOUND', 'You are not in any team yet.')
  }
  return { ...membership, userId: ctx.actor.session.user.id, apiKeyId: null, allowedModels: null, ip: ctx.ip }
}

/** The caller as the access rules see them: a role in the team, or a key's scopes. */
export function accessCaller(ctx: Context, team: TeamScope): AccessCaller {
  if (ctx.actor.kind === 'apiKey') {
    return {
      kind: 'apiKey',
      scopes: ctx.actor.key.scopes.filter((s): s is ApiKeyScope => apiKeyScopeSchema.safeParse(s).success),
    }
  }
  return { kind: 'user', role: team.role ?? 'viewer' }
}

/** Resolves the caller's team and checks the declaration against their role or scopes and the team's plan. */
export async function authorizeTeam(ctx: Context, access: Access): Promise<TeamScope> {
  const team = await resolveTeamScope(ctx)
  authorize(access, accessCaller(ctx, team), team.plan, team.slug)
  return team
}

export interface TeamAccessDeclaration {
  /** The least role a signed-in person needs. */
  role: Role
  /** The scope an API key needs; null: keys may not call this at all. */
  scope: ApiKeyScope | null
  /** A plan feature the team's plan must include (checked for every caller, keys too). */
  feature?: Feature
}

/**
 * The one way to build a team procedure: it declares the least role, the key scope (or `null`) and any plan
 * feature it needs, in its meta. The middleware puts `ctx.team` from the caller's identity and refuses anyone
 * the declaration does not allow, so a procedure cannot forget tenancy or a check.
 */
export function teamProcedure(declaration: TeamAccessDeclaration) {
  return authedProcedure.meta({ access: { kind: 'team', ...declaration } }).use(async ({ ctx, meta, next }) => {
    return next({ ctx: { ...ctx, team: await authorizeTeam(ctx, declared(meta)) } })
  })
}
