import { AppError, roleSchema, tierSchema } from '@costwise/core'
import { createApiKey, hashPassword } from '@costwise/api'
import { teams, users, type Db } from '@costwise/db'
import { z } from 'zod'
import { parseOptions } from '../options'


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
  email: z.string().trim().toLowerCase().email('expected an email address'),
  password: z.string().min(8, 'use at least 8 characters'),
  team: slug,
  role: roleSchema,
  name: z.string().trim().min(1).max(200).optional(),
  tier: tierSchema.default('free'),
})

/** Creates the user (or finds them by email) and gives them the role in the team. */
export async function createUser(db: Db, raw: unknown) {
  const input = parseOptions(userCreateInput, raw)
  const team = await teams.findTeamBySlug(db, input.team)
  if (!team) throw new AppError('NOT_FOUND', `No team with slug "${input.team}". Create it with: pnpm cli team create`, { field: 'team' })
  const passwordHash = await hashPassword(input.password)
  return db.transaction().execute(async (trx) => {
    const existing = await users.findUserByEmail(trx, input.email)
    const user =
      existing ??
      (await users.insertUser(trx, {
        email: input.email,
        name: input.name ?? input.email.split('@')[0]!,
        passwordHash,
        tier: input.tier,
      }))
    await teams.upsertMember(trx, team.id, user.id, input.role)
    return { user, team, created: !existing }
  })
}

export const apiKeyCreateInput = z.object({ team: slug, name: z.string().trim().min(1, 'give the key a name').max(100) })

export async function createTeamApiKey(db: Db, raw: unknown) {
  const input = parseOptions(apiKeyCreateInput, raw)
  const team = await teams.findTeamBySlug(db, input.team)
  if (!team) throw new AppError('NOT_FOUND', `No team with slug "${input.team}".`, { field: 'team' })
  return { team, ...(await createApiKey(db, { teamId: team.id, name: input.name })) }
}
