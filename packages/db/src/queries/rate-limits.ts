import { sql } from 'kysely'
import type { Db } from '../client'

export interface WindowState {
  /** Points counted in the current window (after this call). */
  points: number
  /** When the current window ends and the count starts again. */
  expiresAt: Date
}

/**
 * Adds `points` to the counter `key` in a fixed window of `windowMs`, in one statement: a window that has
 * ended starts again from these points. Shared by every process that uses the database. `now` is the
 * caller's clock (tests pass their own).
 */
export async function consume(db: Db, key: string, points: number, windowMs: number, now: Date): Promise<WindowState> {
  const fresh = new Date(now.getTime() + windowMs)
  const row = await db
    .insertInto('rate_limits')
    .values({ key, points, expires_at: fresh })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        points: sql<number>`case when rate_limits.expires_at <= ${now} then excluded.points else rate_limits.points + excluded.points end`,
        expires_at: sql<Date>`case when rate_limits.expires_at <= ${now} then excluded.expires_at else rate_limits.expires_at end`,
      }),
    )
    .returning(['points', 'expires_at'])
    .executeTakeFirstOrThrow()
  return { points: row.points, expiresAt: row.expires_at }
}

/** The counter's current window, or null when it has none (never used, or its window ended). */
export async function peek(db: Db, keys: string[], now: Date): Promise<Map<string, WindowState>> {
  if (keys.length === 0) return new Map()
  const rows = await db
    .selectFrom('rate_limits')
    .select(['key', 'points', 'expires_at'])
    .where('key', 'in', keys)
    .where('expires_at', '>', now)
    .execute()
  return new Map(rows.map((r) => [r.key, { points: r.points, expiresAt: r.expires_at }]))
}

/** Makes `key` count as `points` until `until` (e.g. a block after too many failures). */
export async function hold(db: Db, key: string, points: number, until: Date): Promise<void> {
  await db
    .insertInto('rate_limits')
    .values({ key, points, expires_at: until })
    .onConflict((oc) => oc.column('key').doUpdateSet({ points, expires_at: until }))
    .execute()
}

export async function reset(db: Db, key: string): Promise<void> {
  await db.deleteFrom('rate_limits').where('key', '=', key).execute()
}

/** Drops counters whose window ended before `now`. */
export async function deleteExpired(db: Db, now: Date): Promise<number> {
  const result = await db.deleteFrom('rate_limits').where('expires_at', '<=', now).executeTakeFirst()
  return Number(result.numDeletedRows)
}
