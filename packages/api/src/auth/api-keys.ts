import { AppError } from '@costwise/core'
import { apiKeys, type Db } from '@costwise/db'
import { newSecret, sha256 } from './secrets'

export const API_KEY_PREFIX = 'cw_'

/** Creates a key; the secret is returned once and only its hash is kept. */
export async function createApiKey(
  db: Db,
  input: { teamId: string; name: string; createdBy?: string | null },
): Promise<{ key: string; record: apiKeys.ApiKeyRecord }> {
  const name = input.name.trim()
  if (name.length < 1 || name.length > 100) {
    throw new AppError('BAD_INPUT', 'An API key name is 1 to 100 characters.', { field: 'name' })
  }
  const key = `${API_KEY_PREFIX}${newSecret(30)}`
  const record = await apiKeys.insertApiKey(db, {
    teamId: input.teamId,
    name,
    prefix: key.slice(0, 10),
    keyHash: sha256(key),
    createdBy: input.createdBy ?? null,
  })
  return { key, record }
}

export async function authenticateApiKey(db: Db, key: string): Promise<apiKeys.ApiKeyRecord | null> {
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 200) return null
  const record = await apiKeys.findActiveApiKeyByHash(db, sha256(key))
  if (record) await apiKeys.touchApiKey(db, record.id)
  return record ?? null
}

export function bearerToken(authorization: string | null | undefined): string | null {
  const match = authorization?.match(/^Bearer\s+(\S+)\s*$/i)
  return match?.[1] ?? null
}
