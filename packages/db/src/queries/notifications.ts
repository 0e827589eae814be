import type { Db } from '../client'

type Executor = Db

export interface NewNotification {
  teamId: string
  userId: string
  kind: string
  /** Once-only: a second insert with the same key is ignored (a retried job tells nobody twice). */
  dedupeKey: string
  title: string
  body: string
  link?: string | null
}

/** Adds in-app notifications; those whose dedupe key exists already are left as they are. Returns how many were new. */
export async function insertNotifications(db: Executor, items: NewNotification[]): Promise<number> {
  if (items.length === 0) return 0
  const rows = await db
    .insertInto('notifications')
    .values(
      items.map((n) => ({
        team_id: n.teamId,
        user_id: n.userId,
        kind: n.kind,
        dedupe_key: n.dedupeKey,
        title: n.title,
        body: n.body,
        link: n.link ?? null,
      })),
    )
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .execute()
  return rows.length
}

export async function listNotifications(db: Executor, teamId: string, userId: string, limit = 50) {
  return db
    .selectFrom('notifications')
    .select(['id', 'kind', 'title', 'body', 'link', 'created_at as createdAt', 'read_at as readAt'])
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}

export async function countUnread(db: Executor, teamId: string, userId: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Marks the user's notifications read (all of them when `ids` is null). Returns the ids that changed. */
export async function markRead(
  db: Executor,
  teamId: string,
  userId: string,
  ids: string[] | null,
  now = new Date(),
): Promise<string[]> {
  if (ids && ids.length === 0) return []
  let query = db
    .updateTable('notifications')
    .set({ read_at: now })
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
  if (ids) query = query.where('id', 'in', ids)
  return (await query.returning('id').execute()).map((r) => r.id)
}

/** Notifications with this dedupe key prefix (tests and the worker's idempotency checks). */
export async function listByPrefix(db: Executor, prefix: string) {
  return db
    .selectFrom('notifications')
    .select(['id', 'user_id as userId', 'kind', 'title', 'dedupe_key as dedupeKey'])
    .where('dedupe_key', 'like', `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
    .orderBy('created_at')
    .execute()
}
