import { AppError, parseApiKeyScopes, roleSchema, tierSchema } from '@costwise/core'
import { createApiKey, hashPassword } from '@costwise/api'
import { audit, teams, users, type Db } from '@costwise/db'
import { z } from 'zod'
import { parseOptions } from '../options'

/** Changes made from the CLI are the operator's: the audit log says so. */
const CLI_ACTOR = { kind: 'cli' } as const

const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$/, 'use 3–50 lower-case letters, digits and dashes (e.g. "acme-ai")')

export const teamCreateInput = z.object({
  slug,
  name: z.string().trim().min(1, 'give the team a name').max(200),
  timeZone: z.string().default('UTC'),
})

export async function createTeam(db: Db, raw: unknown) {
  const input = parseOptions(teamCreateInput, raw)
  if (!Intl.supportedValuesOf('timeZone').includes(input.timeZone) && input.timeZone !== 'UTC') {
    throw new AppError('BAD_INPUT', `--time-zone: "${input.timeZone}" is not an IANA time zone (e.g. Europe/Paris)`, {
      field: 'timeZone',
    })
  }
  if (await teams.findTeamBySlug(db, input.slug)) {
    throw new AppError('CONFLICT', `A team with slug "${input.slug}" already exists.`, { field: 'slug' })
  }
  return teams.insertTeam(db, input)
}

export const userCreateInput = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email('expected an email address')),
  password: z.string().min(8, 'use at least 8 characters'),
  team: slug,
  role: roleSchema,
  name: z.string().trim().min(1).max(200).optional(),
})

/** Creates the user (or finds them by email) and gives them the role in the team. */
export async function createUser(db: Db, raw: unknown) {
  const input = parseOptions(userCreateInput, raw)
  const team = await teams.findTeamBySlug(db, input.team)
  if (!team)
    throw new AppError('NOT_FOUND', `No team with slug "${input.team}". Create it with: pnpm cli team create`, {
      field: 'team',
    })
  const passwordHash = await hashPassword(input.password)
  return db.transaction().execute(async (trx) => {
    const existing = await users.findUserByEmail(trx, input.email)
    const user =
      existing ??
      (await users.insertUser(trx, {
        email: input.email,
        name: input.name ?? input.email.split('@')[0]!,
        passwordHash,
      }))
    const { previousRole } = await teams.upsertMember(trx, team.id, user.id, input.role)
    if (previousRole !== input.role) {
      await audit.record(trx, {
        teamId: team.id,
        actor: CLI_ACTOR,
        action: previousRole ? 'member.role_changed' : 'member.added',
        target: { type: 'member', id: user.id },
        before: previousRole ? { email: user.email, role: previousRole } : null,
        after: { email: user.email, role: input.role },
      })
    }
    return { user, team, created: !existing }
  })
}

const commaSeparated = z
  .string()
  .optional()
  .transform((v) =>
    v
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )

export const apiKeyCreateInput = z.object({
  team: slug,
  name: z.string().trim().min(1, 'give the key a name').max(100),
  /** Comma-separated scopes; default usage:write,usage:read,budgets:read. */
  scopes: z.string().optional(),
  expiresInDays: z.coerce
    .number()
    .int('must be a whole number of days')
    .min(1, 'must be at least 1')
    .max(3650)
    .optional(),
  /** Comma-separated models the key may use; default any. */
  models: commaSeparated,
})

export async function createTeamApiKey(db: Db, raw: unknown) {
  const input = parseOptions(apiKeyCreateInput, raw)
  const scopes = input.scopes === undefined ? undefined : parseApiKeyScopes(input.scopes)
  const team = await teams.findTeamBySlug(db, input.team)
  if (!team) throw new AppError('NOT_FOUND', `No team with slug "${input.team}".`, { field: 'team' })
  const created = await createApiKey(db, {
    teamId: team.id,
    name: input.name,
    scopes,
    expiresInDays: input.expiresInDays ?? null,
    allowedModels: input.models?.length ? input.models : null,
    actor: CLI_ACTOR,
  })
  return { team, ...created }
}

export const teamSetPlanInput = z.object({ team: slug, plan: tierSchema })

/** The operator sets a team's plan (there is no self-service plan change); recorded in the team's audit log. */
export async function setTeamPlan(db: Db, raw: unknown) {
  const input = parseOptions(teamSetPlanInput, raw)
  const team = await teams.findTeamBySlug(db, input.team)
  if (!team) throw new AppError('NOT_FOUND', `No team with slug "${input.team}".`, { field: 'team' })
  return db.transaction().execute(async (trx) => {
    const changed = await teams.setTeamPlan(trx, team.id, input.plan)
    if (!changed) throw new AppError('NOT_FOUND', `No team with slug "${input.team}".`, { field: 'team' })
    if (changed.previous !== input.plan) {
      await audit.record(trx, {
        teamId: team.id,
        actor: CLI_ACTOR,
        action: 'plan.changed',
        target: { type: 'team', id: team.id },
        before: { plan: changed.previous },
        after: { plan: input.plan },
      })
    }
    return { team, previous: changed.previous, plan: input.plan }
  })
}
