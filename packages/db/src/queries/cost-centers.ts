import { sql } from 'kysely'
import type { Db } from '../client'

type Executor = Db

export interface CostCenterRow {
  id: string
  code: string
  name: string
  archivedAt: Date | null
  createdAt: Date
}

const columns = ['id', 'code', 'name', 'archived_at as archivedAt', 'created_at as createdAt'] as const

export async function listCostCenters(db: Executor, teamId: string): Promise<CostCenterRow[]> {
  return db
    .selectFrom('cost_centers')
    .select(columns)
    .where('team_id', '=', teamId)
    .orderBy('name')
    .orderBy('code')
    .execute()
}

export async function findCostCenter(db: Executor, teamId: string, id: string): Promise<CostCenterRow | undefined> {
  return db
    .selectFrom('cost_centers')
    .select(columns)
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .executeTakeFirst()
}

/** Inserts a cost centre; undefined when the team has one with that code already. */
export async function insertCostCenter(
  db: Executor,
  teamId: string,
  input: { code: string; name: string },
): Promise<CostCenterRow | undefined> {
  return db
    .insertInto('cost_centers')
    .values({ team_id: teamId, code: input.code, name: input.name })
    .onConflict((oc) => oc.columns(['team_id', 'code']).doNothing())
    .returning(columns)
    .executeTakeFirst()
}

export async function updateCostCenter(
  db: Executor,
  teamId: string,
  id: string,
  input: { code: string; name: string; archived: boolean },
  now = new Date(),
): Promise<CostCenterRow | undefined> {
  return db
    .updateTable('cost_centers')
    .set({
      code: input.code,
      name: input.name,
      archived_at: input.archived ? sql<Date>`coalesce(archived_at, ${now})` : null,
    })
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .returning(columns)
    .executeTakeFirst()
}

/** The team's cost centres by code (what `costCenter` in track names). */
export async function costCentersByCode(
  db: Executor,
  teamId: string,
): Promise<Map<string, { id: string; archived: boolean }>> {
  const rows = await db
    .selectFrom('cost_centers')
    .select(['id', 'code', 'archived_at'])
    .where('team_id', '=', teamId)
    .execute()
  return new Map(rows.map((r) => [r.code, { id: r.id, archived: r.archived_at !== null }]))
}

// ---- assignments -------------------------------------------------------------------------------

export async function setMemberCostCenter(
  db: Executor,
  teamId: string,
  userId: string,
  costCenterId: string | null,
): Promise<string | null | undefined> {
  const before = await db
    .selectFrom('team_members')
    .select('cost_center_id')
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .forUpdate()
    .executeTakeFirst()
  if (!before) return undefined
  await db
    .updateTable('team_members')
    .set({ cost_center_id: costCenterId })
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .execute()
  return before.cost_center_id
}

export async function setPromptCostCenter(
  db: Executor,
  teamId: string,
  promptId: string,
  costCenterId: string | null,
): Promise<string | null | undefined> {
  const before = await db
    .selectFrom('prompts')
    .select('cost_center_id')
    .where('team_id', '=', teamId)
    .where('id', '=', promptId)
    .forUpdate()
    .executeTakeFirst()
  if (!before) return undefined
  await db
    .updateTable('prompts')
    .set({ cost_center_id: costCenterId })
    .where('team_id', '=', teamId)
    .where('id', '=', promptId)
    .execute()
  return before.cost_center_id
}

export interface KeyShare {
  costCenterId: string
  shareBp: number
}

/** Replaces an API key's split (an empty list: the key has no cost centre). Returns the split it had. */
export async function setKeyShares(
  db: Executor,
  teamId: string,
  apiKeyId: string,
  shares: KeyShare[],
): Promise<KeyShare[]> {
  const before = await db
    .deleteFrom('api_key_cost_centers')
    .where('team_id', '=', teamId)
    .where('api_key_id', '=', apiKeyId)
    .returning(['cost_center_id as costCenterId', 'share_bp as shareBp'])
    .execute()
  if (shares.length) {
    await db
      .insertInto('api_key_cost_centers')
      .values(
        shares.map((s) => ({
          team_id: teamId,
          api_key_id: apiKeyId,
          cost_center_id: s.costCenterId,
          share_bp: s.shareBp,
        })),
      )
      .execute()
  }
  return before
}

/** Every assignment of a team: members', prompts' and keys' cost centres. */
export async function loadAssignments(db: Executor, teamId: string) {
  const [centers, members, prompts, keys] = await Promise.all([
    db.selectFrom('cost_centers').select('id').where('team_id', '=', teamId).execute(),
    db
      .selectFrom('team_members')
      .select(['user_id', 'cost_center_id'])
      .where('team_id', '=', teamId)
      .where('cost_center_id', 'is not', null)
      .execute(),
    db
      .selectFrom('prompts')
      .select(['id', 'cost_center_id'])
      .where('team_id', '=', teamId)
      .where('cost_center_id', 'is not', null)
      .execute(),
    db
      .selectFrom('api_key_cost_centers')
      .select(['api_key_id', 'cost_center_id', 'share_bp'])
      .where('team_id', '=', teamId)
      .orderBy('api_key_id')
      .orderBy('cost_center_id')
      .execute(),
  ])
  const keyShares = new Map<string, KeyShare[]>()
  for (const k of keys) {
    const list = keyShares.get(k.api_key_id) ?? []
    list.push({ costCenterId: k.cost_center_id, shareBp: k.share_bp })
    keyShares.set(k.api_key_id, list)
  }
  return {
    centers: new Set(centers.map((c) => c.id)),
    userCenter: new Map(members.map((m) => [m.user_id, m.cost_center_id!])),
    promptCenter: new Map(prompts.map((p) => [p.id, p.cost_center_id!])),
    keyShares,
  }
}
