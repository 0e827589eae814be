import type { Db } from '../client'

type Executor = Pick<Db, 'selectFrom' | 'insertInto' | 'updateTable' | 'deleteFrom'>

export async function insertSession(
  db: Executor,
  input: { userId: string; tokenHash: string; expiresAt: Date; userAgent?: string | null },
) {
  return db
    .insertInto('sessions')
    .values({
      user_id: input.userId,
      token_hash: input.tokenHash,
      expires_at: input.expiresAt,
      user_agent: input.userAgent ?? null,
    })
    .returning(['id', 'expires_at'])
    .executeTakeFirstOrThrow()
}

/** The live session for a token hash (expired sessions are not returned). */
export async function findLiveSession(db: Executor, tokenHash: string, now = new Date()) {
  return db
    .selectFrom('sessions')
    .select(['id', 'user_id', 'expires_at', 'last_seen_at'])
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', now)
    .executeTakeFirst()
}

export async function touchSession(db: Executor, id: string, now = new Date()): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', id).execute()
}

export async function deleteSessionByHash(db: Executor, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute()
}

export async function deleteExpiredSessions(db: Executor, now = new Date()): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst()
  return Number(result.numDeletedRows)
}
