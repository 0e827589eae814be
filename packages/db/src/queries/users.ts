import type { Db } from '../client'

export interface UserRecord {
  id: string
  email: string
  name: string
  createdAt: Date
}

type Executor = Pick<Db, 'selectFrom' | 'insertInto' | 'updateTable' | 'deleteFrom'>

export async function insertUser(
  db: Executor,
  input: { email: string; name: string; passwordHash: string },
): Promise<UserRecord> {
  const user = await db
    .insertInto('users')
    .values({ email: input.email.toLowerCase(), name: input.name, password_hash: input.passwordHash })
    .returning(['id', 'email', 'name', 'created_at'])
    .executeTakeFirstOrThrow()
  await db.insertInto('user_profiles').values({ user_id: user.id }).execute()
  return { id: user.id, email: user.email, name: user.name, createdAt: user.created_at }
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
    .select(['users.id', 'users.email', 'users.name', 'users.created_at'])
    .where('users.id', '=', id)
    .executeTakeFirst()
  return row && { id: row.id, email: row.email, name: row.name, createdAt: row.created_at }
}

export async function findUserByEmail(db: Executor, email: string): Promise<UserRecord | undefined> {
  const row = await db.selectFrom('users').select('id').where('email', '=', email.toLowerCase()).executeTakeFirst()
  return row && findUserById(db, row.id)
}
