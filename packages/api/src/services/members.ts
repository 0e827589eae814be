import { AppError, roleSchema } from '@costwise/core'
import { audit, budgets, jobs, members, teams, users, type Database, type Db, type InviteRole } from '@costwise/db'
import type { Transaction } from 'kysely'
import { z } from 'zod'
import { auditBy } from '../audit'
import { hashPassword, newSecret, sha256 } from '../auth/secrets'
import { emailSchema, issueSession, passwordSchema, type IssuedSession } from '../auth/service'
import { consumeSignUp, DEFAULT_LOGIN_THROTTLE, type LoginThrottleConfig } from '../auth/throttle'
import type { TeamScope } from '../trpc'

/** How long an invitation link works. */
export const INVITE_TTL_DAYS = 7

export const inviteRoleSchema = z.enum(['admin', 'member', 'viewer'])
export const inviteInputSchema = z.object({ email: emailSchema, role: inviteRoleSchema.default('member') })
export const memberRefSchema = z.object({ userId: z.uuid('userId must be a UUID') })
export const changeRoleInputSchema = memberRefSchema.extend({ role: z.enum(['owner', 'admin', 'member', 'viewer']) })
export const inviteTokenSchema = z.string().trim().min(20, 'not an invitation link').max(200, 'not an invitation link')

export const inviteViewSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: inviteRoleSchema,
  invitedBy: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
})

export const memberViewSchema = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  costCenterId: z.string().nullable(),
  joinedAt: z.string(),
  /** The caller. */
  you: z.boolean(),
})
export type MemberView = z.infer<typeof memberViewSchema>

function refuse(message: string, field?: string): AppError {
  return new AppError('FORBIDDEN', message, field ? { field } : {})
}

/**
 * Invites someone by email: a link that expires in {@link INVITE_TTL_DAYS} days, sent by the worker through the
 * same outbox/SMTP path as alerts (job `member__invite_send`, added in this transaction). Inviting the same
 * address again replaces the earlier link. Only owners may invite admins.
 */
export async function inviteMember(db: Db, team: TeamScope, raw: z.input<typeof inviteInputSchema>, now = new Date()) {
  const input = inviteInputSchema.parse(raw)
  if (input.role === 'admin' && team.role !== 'owner')
    throw refuse('Only owners can invite admins; invite them as a member and ask an owner.', 'role')
  const token = newSecret()
  return db.transaction().execute(async (trx) => {
    const existing = await users.findUserByEmail(trx, input.email)
    if (existing && (await teams.findMembership(trx, team.id, existing.id))) {
      throw new AppError('CONFLICT', `${input.email} is already a member of ${team.name}.`, { field: 'email' })
    }
    const expiresAt = new Date(now.getTime() + INVITE_TTL_DAYS * 86_400_000)
    const { invite, replaced } = await members.insertInvite(
      trx,
      {
        teamId: team.id,
        email: input.email,
        role: input.role as InviteRole,
        tokenHash: sha256(token),
        invitedBy: team.userId,
        expiresAt,
      },
      now,
    )
    await jobs.enqueueJob(
      trx,
      'member__invite_send',
      { inviteId: invite.id, token },
      { jobKey: `member__invite_send:${invite.id}`, maxAttempts: 10 },
    )
    await audit.record(trx, {
      ...auditBy(team),
      action: 'member.invited',
      target: { type: 'invite', id: invite.id },
      after: { email: invite.email, role: invite.role, expiresAt: invite.expiresAt.toISOString(), replaced },
    })
    return { id: invite.id, email: invite.email, role: invite.role, expiresAt: invite.expiresAt.toISOString() }
  })
}

export async function listInvites(db: Db, team: TeamScope, now = new Date()) {
  return (await members.listOpenInvites(db, team.id, now)).map((i) => ({
    id: i.id,
    email: i.email,
    role: i.role,
    invitedBy: i.invitedByEmail,
    createdAt: i.createdAt.toISOString(),
    expiresAt: i.expiresAt.toISOString(),
  }))
}

export async function revokeInvite(db: Db, team: TeamScope, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const revoked = await members.revokeInvite(trx, team.id, id)
    if (!revoked) throw new AppError('NOT_FOUND', 'No open invitation with this id in your team.', { field: 'id' })
    await audit.record(trx, {
      ...auditBy(team),
      action: 'member.invite_revoked',
      target: { type: 'invite', id },
      before: { email: revoked.email, role: revoked.role },
    })
  })
}

export type InviteState = 'open' | 'accepted' | 'revoked' | 'expired'

/** What an invitation link shows before anyone signs in: the team, the address, the role and its state. */
export async function inviteInfo(db: Db, token: string, now = new Date()) {
  const parsed = inviteTokenSchema.safeParse(token)
  const found = parsed.success ? await members.findInviteByTokenHash(db, sha256(parsed.data)) : undefined
  if (!found) return null
  const state: InviteState = found.acceptedAt
    ? 'accepted'
    : found.revokedAt
      ? 'revoked'
      : found.expiresAt <= now
        ? 'expired'
        : 'open'
  // The link was sent to this address: telling its holder whether the address has an account is no leak.
  const accountExists = Boolean(await users.findUserByEmail(db, found.email))
  return {
    teamName: found.teamName,
    teamSlug: found.teamSlug,
    email: found.email,
    role: found.role,
    state,
    accountExists,
    expiresAt: found.expiresAt.toISOString(),
  }
}

function stateError(state: InviteState): AppError {
  const why = { accepted: 'has been accepted already', revoked: 'was withdrawn', expired: 'has expired', open: '' }[
    state
  ]
  return new AppError('NOT_FOUND', `This invitation ${why}. Ask a team admin for a new one.`, { field: 'token' })
}

/** Joins the team an invitation names, with its audit row; the invitation is used once. */
async function join(trx: Transaction<Database>, invite: OpenInvite, userId: string, ip: string | null, now: Date) {
  if (!(await members.acceptInvite(trx, invite.id, userId, now))) throw stateError('expired')
  if (await teams.findMembership(trx, invite.teamId, userId)) return
  await teams.upsertMember(trx, invite.teamId, userId, invite.role)
  await audit.record(trx, {
    teamId: invite.teamId,
    actor: { kind: 'user', userId, ip },
    action: 'member.added',
    target: { type: 'user', id: userId },
    after: { email: invite.email, role: invite.role, via: 'invite', inviteId: invite.id },
  })
}

type OpenInvite = NonNullable<Awaited<ReturnType<typeof members.findInviteByTokenHash>>>

async function openInvite(db: Db, token: string, now: Date) {
  const parsed = inviteTokenSchema.safeParse(token)
  const invite = parsed.success ? await members.findInviteByTokenHash(db, sha256(parsed.data)) : undefined
  if (!invite)
    throw new AppError('NOT_FOUND', 'This invitation link is not valid. Ask a team admin for a new one.', {
      field: 'token',
    })
  const state: InviteState = invite.acceptedAt
    ? 'accepted'
    : invite.revokedAt
      ? 'revoked'
      : invite.expiresAt <= now
        ? 'expired'
        : 'open'
  if (state !== 'open') throw stateError(state)
  return invite
}

/** A signed-in person accepts an invitation sent to their own address. Returns the team's slug. */
export async function acceptInvite(
  db: Db,
  user: { id: string; email: string },
  token: string,
  ip: string | null = null,
  now = new Date(),
) {
  const invite = await openInvite(db, token, now)
  if (invite.email !== user.email.toLowerCase()) {
    throw new AppError(
      'FORBIDDEN',
      `This invitation is for ${invite.email}; you are signed in as ${user.email}. Sign out and open the link again.`,
      {
        field: 'token',
      },
    )
  }
  await db.transaction().execute((trx) => join(trx, invite, user.id, ip, now))
  return { teamSlug: invite.teamSlug, teamName: invite.teamName }
}

export const acceptWithAccountInputSchema = z.object({
  token: inviteTokenSchema,
  name: z.string().trim().min(1, 'Enter your name').max(200),
  password: passwordSchema,
})

/**
 * Someone without an account accepts: the account is created for the invited address (the link, sent there,
 * proves it is theirs), joins the team and is signed in, all at once. An address that has an account is told to
 * log in instead (the invitation names it, so this tells the link's holder nothing new).
 */
export async function acceptInviteWithNewAccount(
  db: Db,
  raw: z.input<typeof acceptWithAccountInputSchema>,
  options: { ip?: string | null; userAgent?: string | null; throttle?: LoginThrottleConfig; now?: Date } = {},
): Promise<{ session: IssuedSession; teamSlug: string }> {
  const input = acceptWithAccountInputSchema.parse(raw)
  const now = options.now ?? new Date()
  const invite = await openInvite(db, input.token, now)
  await consumeSignUp(db, options.ip ?? null, options.throttle ?? DEFAULT_LOGIN_THROTTLE, now)
  if (await users.findUserByEmail(db, invite.email)) {
    throw new AppError(
      'CONFLICT',
      `${invite.email} already has an account: log in, then open the invitation link again.`,
      { field: 'token' },
    )
  }
  const passwordHash = await hashPassword(input.password)
  const userId = await db.transaction().execute(async (trx) => {
    const user = await users.insertUser(trx, { email: invite.email, name: input.name, passwordHash })
    await join(trx, invite, user.id, options.ip ?? null, now)
    return user.id
  })
  return { session: await issueSession(db, userId, options.userAgent), teamSlug: invite.teamSlug }
}

/**
 * Changes a member's role. Admins manage members and viewers; only owners grant or take away admin or owner.
 * The last owner can't be demoted (transfer ownership first).
 */
export async function changeRole(db: Db, team: TeamScope, raw: z.input<typeof changeRoleInputSchema>) {
  const input = changeRoleInputSchema.parse(raw)
  await db.transaction().execute(async (trx) => {
    await members.lockTeam(trx, team.id)
    const target = await members.findMember(trx, team.id, input.userId)
    if (!target) throw new AppError('NOT_FOUND', 'No member with this id in your team.', { field: 'userId' })
    if (target.role === input.role) return
    const touchesAdmins = [target.role, input.role].some((r) => r === 'owner' || r === 'admin')
    if (touchesAdmins && team.role !== 'owner')
      throw refuse('Only owners can grant or take away the admin and owner roles.', 'role')
    if (target.role === 'owner' && (await members.countOwners(trx, team.id)) <= 1) {
      throw refuse('This is the team’s last owner: make someone else owner first (Transfer ownership).', 'role')
    }
    await members.setRole(trx, team.id, input.userId, input.role)
    await audit.record(trx, {
      ...auditBy(team),
      action: 'member.role_changed',
      target: { type: 'user', id: input.userId },
      before: { email: target.email, role: target.role },
      after: { email: target.email, role: input.role },
    })
  })
}

/**
 * Removes a member (or, with `self`, the caller leaves): their allocations of team budgets are deleted (the
 * amounts return to the team), their sessions end, and the audit log keeps who did it. Admins remove members
 * and viewers; owners anyone but the last owner.
 */
export async function removeMember(db: Db, team: TeamScope, userId: string, options: { self?: boolean } = {}) {
  await db.transaction().execute(async (trx) => {
    await members.lockTeam(trx, team.id)
    const target = await members.findMember(trx, team.id, userId)
    if (!target) throw new AppError('NOT_FOUND', 'No member with this id in your team.', { field: 'userId' })
    if (
      !options.self &&
      userId !== team.userId &&
      (target.role === 'owner' || target.role === 'admin') &&
      team.role !== 'owner'
    ) {
      throw refuse('Only owners can remove admins and owners.', 'userId')
    }
    if (target.role === 'owner' && (await members.countOwners(trx, team.id)) <= 1) {
      throw refuse(
        options.self || userId === team.userId
          ? 'You are the team’s last owner: transfer ownership before you leave.'
          : 'This is the team’s last owner and can’t be removed.',
        'userId',
      )
    }
    const allocations = await budgets.memberAllocations(trx, team.id, userId)
    await budgets.deleteBudgets(
      trx,
      team.id,
      allocations.map((a) => a.id),
    )
    await members.removeMember(trx, team.id, userId)
    await members.endUserSessions(trx, userId)
    await audit.record(trx, {
      ...auditBy(team),
      action: 'member.removed',
      target: { type: 'user', id: userId },
      before: {
        email: target.email,
        role: target.role,
        allocations: allocations.map((a) => ({ budgetId: a.parent_budget_id, limitUsd: a.limit_usd })),
      },
      after: { left: options.self || userId === team.userId },
    })
  })
}

/** Makes another member owner and the caller an admin, in one step (an owner handing the team over). */
export async function transferOwnership(db: Db, team: TeamScope, userId: string) {
  if (userId === team.userId)
    throw new AppError('BAD_INPUT', 'userId: choose another member; you are an owner already.', { field: 'userId' })
  await db.transaction().execute(async (trx) => {
    await members.lockTeam(trx, team.id)
    const target = await members.findMember(trx, team.id, userId)
    if (!target) throw new AppError('NOT_FOUND', 'No member with this id in your team.', { field: 'userId' })
    await members.setRole(trx, team.id, userId, 'owner')
    if (team.userId) await members.setRole(trx, team.id, team.userId, 'admin')
    await audit.record(trx, {
      ...auditBy(team),
      action: 'ownership.transferred',
      target: { type: 'user', id: userId },
      before: { owner: team.userId, newOwnerRole: target.role },
      after: { owner: userId, previousOwnerRole: 'admin' },
    })
  })
}

export async function listMembers(db: Db, team: TeamScope): Promise<MemberView[]> {
  const rows = await teams.listMembers(db, team.id)
  return rows.map((m) => ({
    userId: m.id,
    email: m.email,
    name: m.name,
    role: m.role,
    costCenterId: m.cost_center_id,
    joinedAt: m.created_at.toISOString(),
    you: m.id === team.userId,
  }))
}
