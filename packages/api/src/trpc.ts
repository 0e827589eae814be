import { AppError, roleAtLeast, type Role } from '@costwise/core'
import { teams } from '@costwise/db'
import { initTRPC, TRPCError } from '@trpc/server'
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc'
import type { OpenApiMeta } from 'trpc-to-openapi'
import { ZodError, z } from 'zod'
import { cached } from './cache'
import type { Context } from './context'
import { consumeRateLimit } from './rate-limit'

const trpcCodeFor: Record<string, TRPC_ERROR_CODE_KEY> = {
  BAD_INPUT: 'BAD_REQUEST',
  INVALID_USAGE: 'BAD_REQUEST',
  INPUT_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNKNOWN_MODEL: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  INVALID_CREDENTIALS: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  BUDGET_EXCEEDED: 'PAYMENT_REQUIRED',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
}

function appErrorOf(error: unknown): AppError | null {
  if (error instanceof AppError) return error
  if (error instanceof TRPCError && error.cause instanceof AppError) return error.cause
  return null
}

const t = initTRPC
  .context<Context>()
  .meta<OpenApiMeta>()
  .create({
    // One error shape: a stable `appCode`, the field at fault, and zod's flattened issues on bad input.
    errorFormatter({ shape, error }) {
      const app = appErrorOf(error)
      const zodError = error.cause instanceof ZodError ? z.flattenError(error.cause) : null
      const firstIssue = error.cause instanceof ZodError ? error.cause.issues[0] : undefined
      const field = app?.field ?? (firstIssue ? firstIssue.path.join('.') : undefined)
      const message =
        firstIssue && !app
          ? `Invalid input at "${field || '(root)'}": ${firstIssue.message}`
          : error.code === 'INTERNAL_SERVER_ERROR' && !app
            ? 'Something went wrong on our side; try again.'
            : shape.message
      return {
        ...shape,
        message,
        data: {
          ...shape.data,
          stack: undefined,
          appCode: app?.code ?? (zodError ? 'BAD_INPUT' : shape.data.code),
          field: field ?? null,
          details: app?.details ?? null,
          zodError,
        },
      }
    },
  })

/** Domain errors become tRPC errors with the matching status; everything else passes through. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next()
  if (!result.ok) {
    const app = appErrorOf(result.error.cause) ?? appErrorOf(result.error)
    if (app && !(result.error.cause instanceof AppError && result.error.code === trpcCodeFor[app.code])) {
      throw new TRPCError({ code: trpcCodeFor[app.code] ?? 'INTERNAL_SERVER_ERROR', message: app.message, cause: app })
    }
  }
  return result
})

export const createTRPCRouter = t.router
export const createCallerFactory = t.createCallerFactory
export const middleware = t.middleware

export const publicProcedure = t.procedure.use(mapErrors)

/** A signed-in user or a valid API key; API keys are rate limited per key. */
export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  if (ctx.actor.kind === 'anonymous') {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in, or send a valid API key as "Authorization: Bearer <key>".' })
  }
  if (ctx.actor.kind === 'apiKey') await consumeRateLimit(ctx.actor.key.id)
  return next({ ctx: { ...ctx, actor: ctx.actor } })
})

/** A signed-in user (not an API key). */
export const userProcedure = publicProcedure.use(({ ctx, next }) => {
  if (ctx.actor.kind !== 'user') {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to do this.' })
  }
  return next({ ctx: { ...ctx, session: ctx.actor.session } })
})

export interface TeamScope {
  id: string
  slug: string
  name: string
  timeZone: string
  retentionMonths: number
  role: Role
  /** Who acts: the user's id, or null for an API key. */
  userId: string | null
  apiKeyId: string | null
}

// API keys act for their own team with admin rights (they track usage and manage budgets), never owner.
const API_KEY_ROLE: Role = 'admin'

function pickMembership(memberships: teams.Membership[], slug: string | null, explicit: boolean): teams.Membership | undefined {
  const named = slug ? memberships.find((m) => m.slug === slug) : undefined
  if (named || (slug && explicit)) return named
  return memberships[0]
}

/**
 * The team a caller acts for, from their identity — never from input: an API key's own team, or the signed-in
 * user's membership (the named team, else their first). Throws UNAUTHORIZED/FORBIDDEN/NOT_FOUND as tRPC errors.
 */
export async function resolveTeamScope(ctx: Context, minRole: Role): Promise<TeamScope> {
  let team: TeamScope
  if (ctx.actor.kind === 'anonymous') {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in, or send a valid API key as "Authorization: Bearer <key>".' })
  }
  if (ctx.actor.kind === 'apiKey') {
    // Read on every API request; a team's name or zone changes rarely, so keep it for 30 s.
    const teamId = ctx.actor.key.teamId
    const found = await cached(`team:${teamId}`, 30_000, () => teams.findTeamById(ctx.db, teamId))
    if (!found) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'This API key’s team no longer exists.' })
    team = { ...found, role: API_KEY_ROLE, userId: null, apiKeyId: ctx.actor.key.id }
  } else {
    const membership = pickMembership(ctx.actor.session.memberships, ctx.teamSlug, ctx.teamSlugExplicit)
    if (!membership) {
      throw new TRPCError({
        code: ctx.teamSlug && ctx.teamSlugExplicit ? 'FORBIDDEN' : 'NOT_FOUND',
        message:
          ctx.teamSlug && ctx.teamSlugExplicit ? `You are not a member of team "${ctx.teamSlug}".` : 'You are not in any team yet.',
      })
    }
    team = { ...membership, userId: ctx.actor.session.user.id, apiKeyId: null }
  }
  if (!roleAtLeast(team.role, minRole)) {
    throw new TRPCError({ code: 'FORBIDDEN', message: `This needs the ${minRole} role in team "${team.slug}"; you are ${team.role}.` })
  }
  return team
}

/**
 * Every team procedure gets `ctx.team` from the caller's identity (see resolveTeamScope), so a procedure
 * cannot read or change another team's rows by forgetting a check. `minRole` gates writes.
 */
export function teamProcedure(minRole: Role = 'viewer') {
  return authedProcedure.use(async ({ ctx, next }) => next({ ctx: { ...ctx, team: await resolveTeamScope(ctx, minRole) } }))
}
