import type { Db } from '../client'
import type { Role, Tier } from '../schema'

type Executor = Pick<Db, 'selectFrom' | 'insertInto' | 'updateTable' | 'deleteFrom'>

export interface TeamRecord {
  id: string
  slug: string
  name: string
  timeZone: string
  hourCycle: 'h12' | 'h23'
  retentionMonths: number
  plan: Tier
  createdAt: Date
}

export interface Membership extends TeamRecord {
  role: Role
}

const teamColumns = [
  'teams.id',
  'teams.slug',
  'teams.name',
  'teams.time_zone',
  'teams.hour_cycle',
  'teams.retention_months',
  'teams.plan',
  'teams.created_at',
] as const

function toTeam(row: {
  id: string
  slug: string
  name: string
  time_zone: string
  hour_cycle: 'h12' | 'h23'
  retention_months: number
  plan: Tier
  created_at: Date
}): TeamRecord {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    timeZone: row.time_zone,
    hourCycle: row.hour_cycle,
    retentionMonths: row.retention_months,
    plan: row.plan,
    createdAt: row.created_at,
  }
}

export async function insertTeam(
  db: Executor,
  input: { slug: string; name: string; timeZone?: string; plan?: Tier },
): Promise<TeamRecord> {
  const row = await db
    .insertInto('teams')
    .values({ slug: input.slug, name: input.name, time_zone: input.timeZone ?? 'UTC', plan: input.plan ?? 'free' })
    .returning(['id', 'slug', 'name', 'time_zone', 'hour_cycle', 'retention_months', 'plan', 'created_at'])
    .executeTakeFirstOrThrow()
  return toTeam(row)
}

export async function findTeamBySlug(db: Executor, slug: string): Promise<TeamRecord | undefined> {
  const row = await db.selectFrom('teams').select(teamColumns).where('slug', '=', slug).executeTakeFirst()
  return row && toTeam(row)
}

export async function findTeamById(db: Executor, id: string): Promise<TeamRecord | undefined> {
  const row = await db.selectFrom('teams').select(teamColumns).where('id', '=', id).executeTakeFirst()
  return row && toTeam(row)
}

export async function listTeams(db: Executor): Promise<TeamRecord[]> {
  const rows = await db.selectFrom('teams').select(teamColumns).orderBy('created_at').execute()
  return rows.map(toTeam)
}

/** Adds the user to the team, or changes their role if they are a member already. Returns the role they had (null: new member). */
export async function upsertMember(
  db: Executor,
  teamId: string,
  userId: string,
  role: Role,
): Promise<{ previousRole: Role | null }> {
  const before = await db
    .selectFrom('team_members')
    .select('role')
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .forUpdate()
    .executeTakeFirst()
  await db
    .insertInto('team_members')
    .values({ team_id: teamId, user_id: userId, role })
    .onConflict((oc) => oc.columns(['team_id', 'user_id']).doUpdateSet({ role }))
    .execute()
  return { previousRole: before?.role ?? null }
}

/** Sets a team's plan; returns the plan it had, or undefined when there is no such team. */
export async function setTeamPlan(
  db: Executor,
  teamId: string,
  plan: Tier,
  now = new Date(),
): Promise<{ previous: Tier } | undefined> {
  const before = await db.selectFrom('teams').select('plan').where('id', '=', teamId).forUpdate().executeTakeFirst()
  if (!before) return undefined
  await db.updateTable('teams').set({ plan, plan_changed_at: now }).where('id', '=', teamId).execute()
  return { previous: before.plan }
}

export async function listMemberships(db: Executor, userId: string): Promise<Membership[]> {
  const rows = await db
    .selectFrom('team_members')
    .innerJoin('teams', 'teams.id', 'team_members.team_id')
    .select([...teamColumns, 'team_members.role'])
    .where('team_members.user_id', '=', userId)
    .orderBy('teams.created_at')
    .execute()
  return rows.map((r) => ({ ...toTeam(r), role: r.role }))
}

export async function findMembership(db: Executor, teamId: string, userId: string): Promise<Membership | undefined> {
  const row = await db
    .selectFrom('team_members')
    .innerJoin('teams', 'teams.id', 'team_members.team_id')
    .select([...teamColumns, 'team_members.role'])
    .where('team_members.team_id', '=', teamId)
    .where('team_members.user_id', '=', userId)
    .executeTakeFirst()
  return row && { ...toTeam(row), role: row.role }
}

export async function listMembers(db: Executor, teamId: string) {
  return db
    .selectFrom('team_members')
    .innerJoin('users', 'users.id', 'team_members.user_id')
    .select([
      'users.id',
      'users.email',
      'users.name',
      'team_members.role',
      'team_members.created_at',
      'team_members.cost_center_id',
    ])
    .where('team_members.team_id', '=', teamId)
    .orderBy('users.email')
    .execute()
}

/** Emails of the team's owners and admins (who get budget alerts). */
export async function adminEmails(db: Executor, teamId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('team_members')
    .innerJoin('users', 'users.id', 'team_members.user_id')
    .select('users.email')
    .where('team_members.team_id', '=', teamId)
    .where('team_members.role', 'in', ['owner', 'admin'])
    .orderBy('users.email')
    .execute()
  return rows.map((r) => r.email)
}

/** Changes a team's name, time zone, clock and retention; returns the team before and after (for the audit log). */
export async function updateTeamSettings(
  db: Executor,
  teamId: string,
  patch: { name?: string; timeZone?: string; hourCycle?: 'h12' | 'h23'; retentionMonths?: number },
): Promise<{ before: TeamRecord; after: TeamRecord } | undefined> {
  const before = await db
    .selectFrom('teams')
    .select(teamColumns)
    .where('id', '=', teamId)
    .forUpdate()
    .executeTakeFirst()
  if (!before) return undefined
  await db
    .updateTable('teams')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.timeZone !== undefined ? { time_zone: patch.timeZone } : {}),
      ...(patch.hourCycle !== undefined ? { hour_cycle: patch.hourCycle } : {}),
      ...(patch.retentionMonths !== undefined ? { retention_months: patch.retentionMonths } : {}),
    })
    .where('id', '=', teamId)
    .execute()
  const after = await db.selectFrom('teams').select(teamColumns).where('id', '=', teamId).executeTakeFirstOrThrow()
  return { before: toTeam(before), after: toTeam(after) }
}
