import type { Db } from '../client'

type Executor = Pick<Db, 'selectFrom' | 'insertInto' | 'updateTable' | 'deleteFrom'>

export interface ApiKeyRecord {
  id: string
  teamId: string
  name: string
  prefix: string
  createdAt: Date
  lastUsedAt: Date | null
  revokedAt: Date | null
}

const columns = ['id', 'team_id', 'name', 'prefix', 'created_at', 'last_used_at', 'revoked_at'] as const

function toRecord(row: {
  id: string
  team_id: string
  name: string
  prefix: string
  created_at: Date
  last_used_at: Date | null
  revoked_at: Date | null
}): ApiKeyRecord {
  return {
    id: row.id,
    teamId: row.team_id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  }
}

export async function insertApiKey(
  db: Executor,
  input: { teamId: string; name: string; prefix: string; keyHash: string; createdBy?: string | null },
): Promise<ApiKeyRecord> {
  const row = await db
    .insertInto('api_keys')
    .values({
      team_id: input.teamId,
      name: input.name,
      prefix: input.prefix,
      key_hash: input.keyHash,
      created_by: input.createdBy ?? null,
    })
    .returning(columns)
    .executeTakeFirstOrThrow()
  return toRecord(row)
}

/** A key that is not revoked, by the hash of its secret. */
export async function findActiveApiKeyByHash(db: Executor, keyHash: string): Promise<ApiKeyRecord | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .select(columns)
    .where('key_hash', '=', keyHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return row && toRecord(row)
}

export async function listApiKeys(db: Executor, teamId: string): Promise<ApiKeyRecord[]> {
  const rows = await db
    .selectFrom('api_keys')
    .select(columns)
    .where('team_id', '=', teamId)
    .orderBy('created_at', 'desc')
    .execute()
  return rows.map(toRecord)
}

/** Revokes a key of this team; returns false when the team has no such key. */
export async function revokeApiKey(db: Executor, teamId: string, id: string, now = new Date()): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

// When this process last recorded each key's use: a busy key costs no query between touches.
const lastTouched = new Map<string, number>()

/** Records use at most once a minute per key, so a busy key doesn't write on every request. */
export async function touchApiKey(db: Executor, id: string, now = new Date()): Promise<void> {
  const last = lastTouched.get(id)
  if (last !== undefined && now.getTime() - last < 60_000) return
  if (lastTouched.size > 10_000) lastTouched.clear()
  lastTouched.set(id, now.getTime())
  await db
    .updateTable('api_keys')
    .set({ last_used_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', new Date(now.getTime() - 60_000))]))
    .execute()
}
