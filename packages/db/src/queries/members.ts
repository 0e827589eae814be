import { sql } from 'kysely'
import type { Db } from '../client'
import type { InviteRole, Role } from '../schema'

type Executor = Db

/**
 * Locks the team row: membership changes (roles, removals, ownership) serialise on it, so two admins acting at
 * once can't both remove "one of the two owners" and leave none.
 */
export async function lockTeam(db: Executor, teamId: string): Promise<boolean> {
  const row = await db.selectFrom('teams').select('id').where('id', '=', teamId).forUpdate().executeTakeFirst()
  return Boolean(row)
}

export interface MemberRow {
  userId: string
  email: string
  name: string
  role: Role
  costCenterId: string | null
  joinedAt: Date
}

export async function findMember(db: Executor, teamId: string, userId: string): Promise<MemberRow | undefined> {
  return db
    .selectFrom('team_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select([
      'u.id as userId',
      'u.email',
      'u.name',
      'm.role',
      'm.cost_center_id as costCenterId',
      'm.created_at as joinedAt',
    ])
    .where('m.team_id', '=', teamId)
    .where('m.user_id', '=', userId)
    .executeTakeFirst()
}

export async function countOwners(db: Executor, teamId: string): Promise<number> {
  const row = await db
    .selectFrom('team_members')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('team_id', '=', teamId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function setRole(db: Executor, teamId: string, userId: string, role: Role): Promise<void> {
  await db
    .updateTable('team_members')
    .set({ role })
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .execute()
}

export async function removeMember(db: Executor, teamId: string, userId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('team_members')
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return result.numDeletedRows > 0n
}

/** Ends every session of a user (a removed member is signed out everywhere). */
export async function endUserSessions(db: Executor, userId: string): Promise<number> {
  const result = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst()
  return Number(result.numDeletedRows)
}

// ---- invitations -------------------------------------------------------------------------------

export interface InviteRow {
  id: string
  teamId: string
  email: string
  role: InviteRole
  invitedBy: string | null
  createdAt: Date
  expiresAt: Date
  acceptedAt: Date | null
  revokedAt: Date | null
}

const inviteColumns = [
  'i.id',
  'i.team_id as teamId',
  'i.email',
  'i.role',
  'i.invited_by as invitedBy',
  'i.created_at as createdAt',
  'i.expires_at as expiresAt',
  'i.accepted_at as acceptedAt',
  'i.revoked_at as revokedAt',
] as const

/** Creates an invitation; an open one for the same address is revoked first (its link stops working). */
export async function insertInvite(
  db: Executor,
  input: {
    teamId: string
    email: string
    role: InviteRole
    tokenHash: string
    invitedBy: string | null
    expiresAt: Date
  },
  now = new Date(),
): Promise<{ invite: InviteRow; replaced: string | null }> {
  const replaced = await db
    .updateTable('team_invites')
    .set({ revoked_at: now })
    .where('team_id', '=', input.teamId)
    .where('email', '=', input.email)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst()
  const row = await db
    .insertInto('team_invites')
    .values({
      team_id: input.teamId,
      email: input.email,
      role: input.role,
      token_hash: input.tokenHash,
      invited_by: input.invitedBy,
      expires_at: input.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const invite = await db
    .selectFrom('team_invites as i')
    .select(inviteColumns)
    .where('i.id', '=', row.id)
    .executeTakeFirstOrThrow()
  return { invite, replaced: replaced?.id ?? null }
}

/** Invitations not yet accepted, revoked or expired. */
export async function listOpenInvites(
  db: Executor,
  teamId: string,
  now = new Date(),
): Promise<(InviteRow & { invitedByEmail: string | null })[]> {
  return db
    .selectFrom('team_invites as i')
    .leftJoin('users as u', 'u.id', 'i.invited_by')
    .select([...inviteColumns, 'u.email as invitedByEmail'])
    .where('i.team_id', '=', teamId)
    .where('i.accepted_at', 'is', null)
    .where('i.revoked_at', 'is', null)
    .where('i.expires_at', '>', now)
    .orderBy('i.created_at', 'desc')
    .execute()
}

export async function revokeInvite(
  db: Executor,
  teamId: string,
  id: string,
  now = new Date(),
): Promise<InviteRow | undefined> {
  const row = await db
    .updateTable('team_invites')
    .set({ revoked_at: now })
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst()
  return row
    ? db.selectFrom('team_invites as i').select(inviteColumns).where('i.id', '=', row.id).executeTakeFirst()
    : undefined
}

/** An invitation by its link's token hash, with its team's name (any state: the caller explains which). */
export async function findInviteByTokenHash(db: Executor, tokenHash: string) {
  return db
    .selectFrom('team_invites as i')
    .innerJoin('teams as t', 't.id', 'i.team_id')
    .select([...inviteColumns, 't.name as teamName', 't.slug as teamSlug'])
    .where('i.token_hash', '=', tokenHash)
    .executeTakeFirst()
}

/** Marks an open, unexpired invitation accepted (once: a second accept finds nothing). */
export async function acceptInvite(db: Executor, id: string, userId: string, now = new Date()): Promise<boolean> {
  const row = await db
    .updateTable('team_invites')
    .set({ accepted_at: now, accepted_by: userId })
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('id')
    .executeTakeFirst()
  return Boolean(row)
}

/** The emails of members with these roles (for notifications). */
export async function emailsByRole(
  db: Executor,
  teamId: string,
  roles: Role[],
): Promise<{ userId: string; email: string; role: Role }[]> {
  if (roles.length === 0) return []
  return db
    .selectFrom('team_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id as userId', 'u.email', 'm.role'])
    .where('m.team_id', '=', teamId)
    .where('m.role', 'in', roles)
    .orderBy('u.email')
    .execute()
}

/** Members among these addresses (lowercase), for routing: an address that is a member also gets in-app notices. */
export async function membersByEmail(
  db: Executor,
  teamId: string,
  emails: string[],
): Promise<{ userId: string; email: string }[]> {
  if (emails.length === 0) return []
  return db
    .selectFrom('team_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id as userId', 'u.email'])
    .where('m.team_id', '=', teamId)
    .where(
      sql`lower(u.email)`,
      'in',
      emails.map((e) => e.toLowerCase()),
    )
    .execute()
}

/** An invitation with what its email says: the team and who invited. */
export async function findInviteForEmail(db: Executor, id: string) {
  return db
    .selectFrom('team_invites as i')
    .innerJoin('teams as t', 't.id', 'i.team_id')
    .leftJoin('users as u', 'u.id', 'i.invited_by')
    .select([...inviteColumns, 't.name as teamName', 'u.name as inviterName', 'u.email as inviterEmail'])
    .where('i.id', '=', id)
    .executeTakeFirst()
}
