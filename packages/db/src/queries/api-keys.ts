import { sql } from 'kysely'
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
  /** Scope names as stored (the API narrows them to @costwise/core's ApiKeyScope). */
  scopes: string[]
  expiresAt: Date | null
  /** Models the key may use; null = any. */
  allowedModels: string[] | null
}

const columns = [
  'id',
  'team_id',
  'name',
  'prefix',
  'created_at',
  'last_used_at',
  'revoked_at',
  'scopes',
  'expires_at',
  'allowed_models',
] as const

function toRecord(row: {
  id: string
  team_id: string
  name: string
  prefix: string
  created_at: Date
  last_used_at: Date | null
  revoked_at: Date | null
  scopes: string[]
  expires_at: Date | null
  allowed_models: string[] | null
}): ApiKeyRecord {
  return {
    id: row.id,
    teamId: row.team_id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    scopes: row.scopes,
    expiresAt: row.expires_at,
    allowedModels: row.allowed_models,
  }
}

export async function insertApiKey(
  db: Executor,
  input: {
    teamId: string
    name: string
    prefix: string
    keyHash: string
    createdBy?: string | null
    scopes: readonly string[]
    expiresAt?: Date | null
    allowedModels?: readonly string[] | null
  },
): Promise<ApiKeyRecord> {
  const row = await db
    .insertInto('api_keys')
    .values({
      team_id: input.teamId,
      name: input.name,
      prefix: input.prefix,
      key_hash: input.keyHash,
      created_by: input.createdBy ?? null,
      scopes: [...input.scopes],
      expires_at: input.expiresAt ?? null,
      allowed_models: input.allowedModels ? [...input.allowedModels] : null,
    })
    .returning(columns)
    .executeTakeFirstOrThrow()
  return toRecord(row)
}

/** A key that is neither revoked nor expired, by the hash of its secret. */
export async function findActiveApiKeyByHash(
  db: Executor,
  keyHash: string,
  now = new Date(),
): Promise<ApiKeyRecord | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .select(columns)
    .where('key_hash', '=', keyHash)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .executeTakeFirst()
  return row && toRecord(row)
}

export async function findApiKey(db: Executor, teamId: string, id: string): Promise<ApiKeyRecord | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .select(columns)
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .executeTakeFirst()
  return row && toRecord(row)
}

/**
 * The team's keys, newest first. `lastUsedAt` is the later of the last authenticated request (`touchApiKey`, at
 * most once a minute) and the newest usage tracked through the key (imports and seeded history included), read
 * from the usage log's (team_id, api_key_id, occurred_at desc) index — so a key never reads "never used" while
 * budgets show spend through it.
 */
export async function listApiKeys(db: Executor, teamId: string): Promise<ApiKeyRecord[]> {
  const rows = await db
    .selectFrom('api_keys as k')
    .select(columns.filter((c) => c !== 'last_used_at').map((c) => `k.${c}` as const))
    .select(
      sql<Date | null>`greatest(k.last_used_at, (
        select least(u.occurred_at, now()) from token_usage_logs u
        where u.team_id = k.team_id and u.api_key_id = k.id
        order by u.occurred_at desc limit 1
      ))`.as('last_used_at'),
    )
    .where('k.team_id', '=', teamId)
    .orderBy('k.created_at', 'desc')
    .execute()
  return rows.map(toRecord)
}

/** Revokes a key of this team; returns the revoked key, or undefined when the team has no such active key. */
export async function revokeApiKey(
  db: Executor,
  teamId: string,
  id: string,
  now = new Date(),
): Promise<ApiKeyRecord | undefined> {
  const row = await db
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returning(columns)
    .executeTakeFirst()
  return row && toRecord(row)
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
