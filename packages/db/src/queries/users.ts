import type { Db } from '../client'
import type { Tier } from '../schema'

export interface UserRecord {
  id: string
  email: string
  name: string
  tier: Tier
  createdAt: Date
}

type Executor = Pick<Db, 'selectFrom' | 'insertInto' | 'updateTable' | 'deleteFrom'>

export async function insertUser(
  db: Executor,
  input: { email: string; name: string; passwordHash: string; tier?: Tier },
): Promise<UserRecord> {
  const user = await db
    .insertInto('users')
    .values({ email: input.email.toLowerCase(), name: input.name, password_hash: input.passwordHash })
    .returning(['id', 'email', 'name', 'created_at'])
    .executeTakeFirstOrThrow()
  const profile = await db
    .insertInto('user_profiles')
    .values({ user_id: user.id, tier: input.tier ?? 'free' })
    .returning('tier')
    .executeTakeFirstOrThrow()
  return { id: user.id, email: user.email, name: user.name, tier: profile.tier, createdAt: user.created_at }
}

/** The user and their password hash, for a login check. */
export async function findUserCredentials(db: Executor, email: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'password_hash'])
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst()
}

export async function findUserById(db: Executor, id: string): Promise<UserRecord | undefined> {
  const row = await db
    .selectFrom('users')
    .innerJoin('user_profiles', 'user_profiles.user_id', 'users.id')
    .select(['users.id', 'users.email', 'users.name', 'users.created_at', 'user_profiles.tier'])
    .where('users.id', '=', id)
    .executeTakeFirst()
  return row && { id: row.id, email: row.email, name: row.name, tier: row.tier, createdAt: row.created_at }
}

export async function findUserByEmail(db: Executor, email: string): Promise<UserRecord | undefined> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst()
  return row && findUserById(db, row.id)
}

export async function setUserTier(db: Executor, userId: string, tier: Tier): Promise<void> {
  await db
    .updateTable('user_profiles')
    .set({ tier, tier_changed_at: new Date() })
    .where('user_id', '=', userId)
    .execute()
}
