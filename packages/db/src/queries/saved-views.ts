import type { Db } from '../client'

type Executor = Db

export interface SavedViewRecord {
  id: string
  name: string
  query: string
  createdBy: string | null
  createdAt: Date
}

const columns = ['id', 'name', 'query', 'created_by as createdBy', 'created_at as createdAt'] as const

/** The team's saved usage views, by name. */
export async function listSavedViews(db: Executor, teamId: string): Promise<SavedViewRecord[]> {
  return db.selectFrom('usage_saved_views').select(columns).where('team_id', '=', teamId).orderBy('name').execute()
}

/** Saves a view under its name; a view of the same name is replaced (its query updated). */
export async function upsertSavedView(
  db: Executor,
  teamId: string,
  view: { name: string; query: string; createdBy: string | null },
): Promise<SavedViewRecord> {
  return db
    .insertInto('usage_saved_views')
    .values({ team_id: teamId, name: view.name, query: view.query, created_by: view.createdBy })
    .onConflict((oc) => oc.columns(['team_id', 'name']).doUpdateSet((eb) => ({ query: eb.ref('excluded.query') })))
    .returning(columns)
    .executeTakeFirstOrThrow()
}

/** Deletes one of the team's views; false when the team has no such view. */
export async function deleteSavedView(db: Executor, teamId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('usage_saved_views')
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .executeTakeFirst()
  return result.numDeletedRows > 0n
}
