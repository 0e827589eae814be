import { budgets, jobs, teams, users, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { issueSession, resolveSession } from '../auth/service'
import { createContext } from '../context'
import { createCaller } from '../root'
import { acceptInviteWithNewAccount, inviteInfo } from './members'

let t: TestDb
let db: Db
let teamId: string
const tokens: Record<string, string> = {}
const ids: Record<string, string> = {}

async function person(email: string, role: 'owner' | 'admin' | 'member' | 'viewer') {
  const user = await users.insertUser(db, { email, name: email.split('@')[0]!, passwordHash: 'x' })
  await teams.upsertMember(db, teamId, user.id, role)
  ids[email] = user.id
  tokens[email] = (await issueSession(db, user.id)).token
  return user.id
}
const as = async (email: string) =>
  createCaller(await createContext({ db, sessionToken: tokens[email], teamSlug: 'crew' }))
const auditActions = async () =>
  (
    await db
      .selectFrom('audit_log')
      .select(['action', 'actor_user_id', 'target_id'])
      .where('team_id', '=', teamId)
      .orderBy('occurred_at')
      .orderBy('id')
      .execute()
  ).map((r) => r.action)

/** The token an invitation job carries (what the email's link holds). */
async function inviteToken(inviteId: string): Promise<string> {
  const job = (await jobs.listPendingJobs(db, 'member__invite_send')).find(
    (j) => (j.payload as { inviteId: string }).inviteId === inviteId,
  )
  return (job!.payload as { token: string }).token
}

beforeAll(async () => {
  t = await createTestDb()
  db = t.db
  teamId = (await teams.insertTeam(db, { slug: 'crew', name: 'Crew', plan: 'enterprise' })).id
  await person('owner@crew.test', 'owner')
  await person('admin@crew.test', 'admin')
  await person('member@crew.test', 'member')
})
afterAll(async () => t?.destroy())

describe('invitations', () => {
  it('an admin invites by email: a link that expires, mailed by a job queued with it; accepted once by a new account', async () => {
    const admin = await as('admin@crew.test')
    const invite = await admin.teams.invite({ email: 'New.Person@Crew.test', role: 'member' })
    expect(invite).toMatchObject({ email: 'new.person@crew.test', role: 'member' })
    expect(new Date(invite.expiresAt).getTime() - Date.now()).toBeGreaterThan(6 * 86_400_000)
    expect(await admin.teams.invites()).toEqual([
      expect.objectContaining({ id: invite.id, email: 'new.person@crew.test' }),
    ])
    const token = await inviteToken(invite.id)
    // The database keeps only the token's hash.
    expect(JSON.stringify(await db.selectFrom('team_invites').selectAll().execute())).not.toContain(token)

    expect(await inviteInfo(db, token)).toMatchObject({
      teamName: 'Crew',
      email: 'new.person@crew.test',
      role: 'member',
      state: 'open',
      accountExists: false,
    })
    const { session, teamSlug } = await acceptInviteWithNewAccount(db, {
      token,
      name: 'New Person',
      password: 'a-long-password',
    })
    expect(teamSlug).toBe('crew')
    const resolved = await resolveSession(db, session.token)
    expect(resolved?.memberships.map((m) => [m.slug, m.role])).toEqual([['crew', 'member']])
    expect((await inviteInfo(db, token))?.state).toBe('accepted')
    await expect(
      acceptInviteWithNewAccount(db, { token, name: 'Again', password: 'a-long-password' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', field: 'token' })
    expect(await auditActions()).toEqual(expect.arrayContaining(['member.invited', 'member.added']))
  })

  it('an existing account accepts while signed in, only for its own address; admins may not invite admins', async () => {
    const existing = await users.insertUser(db, { email: 'exists@crew.test', name: 'Exists', passwordHash: 'x' })
    const owner = await as('owner@crew.test')
    const invite = await owner.teams.invite({ email: 'exists@crew.test', role: 'viewer' })
    const token = await inviteToken(invite.id)
    expect((await inviteInfo(db, token))?.accountExists).toBe(true)
    await expect(
      acceptInviteWithNewAccount(db, { token, name: 'X', password: 'a-long-password' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' })
    const wrong = await as('member@crew.test')
    await expect(wrong.me.acceptInvite({ token })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const session = (await issueSession(db, existing.id)).token
    const joined = await createCaller(await createContext({ db, sessionToken: session })).me.acceptInvite({ token })
    expect(joined).toEqual({ teamSlug: 'crew', teamName: 'Crew' })
    expect((await teams.findMembership(db, teamId, existing.id))?.role).toBe('viewer')

    await expect(
      (await as('admin@crew.test')).teams.invite({ email: 'boss@crew.test', role: 'admin' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(
      (await as('member@crew.test')).teams.invite({ email: 'x@crew.test', role: 'member' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(owner.teams.invite({ email: 'member@crew.test', role: 'member' })).rejects.toMatchObject({
      code: 'CONFLICT',
    })
  })

  it('inviting the same address again replaces the earlier link; a revoked or expired link no longer works', async () => {
    const owner = await as('owner@crew.test')
    const first = await owner.teams.invite({ email: 'twice@crew.test', role: 'member' })
    const firstToken = await inviteToken(first.id)
    const second = await owner.teams.invite({ email: 'twice@crew.test', role: 'member' })
    expect((await inviteInfo(db, firstToken))?.state).toBe('revoked')
    await owner.teams.revokeInvite({ id: second.id })
    expect((await inviteInfo(db, await inviteToken(second.id)))?.state).toBe('revoked')
    const third = await owner.teams.invite({ email: 'late@crew.test', role: 'member' })
    expect((await inviteInfo(db, await inviteToken(third.id), new Date(Date.now() + 8 * 86_400_000)))?.state).toBe(
      'expired',
    )
    expect(await inviteInfo(db, 'not-a-real-token-at-all-xxxxxxxx')).toBeNull()
  })
})

describe('roles, removal and ownership', () => {
  it('admins manage members and viewers; only owners touch admins; the last owner stays', async () => {
    const admin = await as('admin@crew.test')
    const owner = await as('owner@crew.test')
    await admin.teams.changeRole({ userId: ids['member@crew.test']!, role: 'viewer' })
    await admin.teams.changeRole({ userId: ids['member@crew.test']!, role: 'member' })
    await expect(admin.teams.changeRole({ userId: ids['member@crew.test']!, role: 'admin' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    await expect(admin.teams.changeRole({ userId: ids['owner@crew.test']!, role: 'member' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    await expect(owner.teams.changeRole({ userId: ids['owner@crew.test']!, role: 'admin' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('last owner'),
    })
    await expect(owner.teams.removeMember({ userId: ids['owner@crew.test']! })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    await expect(owner.me.leaveTeam({ confirm: true })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('transfer ownership'),
    })
    await expect(admin.teams.removeMember({ userId: ids['owner@crew.test']! })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    const rows = await db
      .selectFrom('audit_log')
      .select(['action', 'before', 'after'])
      .where('action', '=', 'member.role_changed')
      .execute()
    expect(rows).toHaveLength(2)
    expect(rows[0]).toMatchObject({ before: { role: 'member' }, after: { role: 'viewer' } })
  })

  it('removing a member returns their allocations to the team and ends their sessions', async () => {
    const gone = await person('gone@crew.test', 'member')
    const owner = await as('owner@crew.test')
    const team = await owner.budgets.save({
      name: 'Team',
      scope: 'team',
      period: 'month',
      limitUsd: '100',
      mode: 'hard',
    })
    await owner.budgets.setAllocations({
      budgetId: team.id,
      split: 'custom',
      members: [{ userId: gone, limitUsd: '30' }],
    })
    expect(await budgets.memberAllocations(db, teamId, gone)).toHaveLength(1)
    await owner.teams.removeMember({ userId: gone })
    expect(await budgets.memberAllocations(db, teamId, gone)).toHaveLength(0)
    expect(await resolveSession(db, tokens['gone@crew.test'])).toBeNull()
    expect(await teams.findMembership(db, teamId, gone)).toBeUndefined()
    const [row] = await db
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('action', '=', 'member.removed')
      .execute()
    expect(row).toMatchObject({
      before: {
        email: 'gone@crew.test',
        role: 'member',
        allocations: [{ budgetId: team.id, limitUsd: '30.000000000' }],
      },
    })
    expect((await owner.budgets.allocations({ budgetId: team.id })).unallocatedUsd).toBe('100')
  })

  it('transfers ownership in one step; two owners can’t both demote each other at once', async () => {
    const owner = await as('owner@crew.test')
    await owner.teams.transferOwnership({ userId: ids['admin@crew.test']! })
    expect((await teams.findMembership(db, teamId, ids['admin@crew.test']!))?.role).toBe('owner')
    expect((await teams.findMembership(db, teamId, ids['owner@crew.test']!))?.role).toBe('admin')
    // Back to two owners, then each tries to demote the other concurrently: one wins, one owner remains.
    const newOwner = await as('admin@crew.test')
    await newOwner.teams.changeRole({ userId: ids['owner@crew.test']!, role: 'owner' })
    const [a, b] = [await as('owner@crew.test'), await as('admin@crew.test')]
    const results = await Promise.allSettled([
      a.teams.changeRole({ userId: ids['admin@crew.test']!, role: 'member' }),
      b.teams.changeRole({ userId: ids['owner@crew.test']!, role: 'member' }),
    ])
    const owners = await sql<{
      n: number
    }>`select count(*)::int as n from team_members where team_id = ${teamId} and role = 'owner'`.execute(db)
    expect(owners.rows[0]!.n).toBe(1)
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect(await auditActions()).toContain('ownership.transferred')
  })
})
