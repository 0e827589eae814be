import {
  AppError,
  DEFAULT_API_KEY_SCOPES,
  apiKeyScopesSchema,
  appErrorFromZod,
  normalizeModelName,
  type ApiKeyScope,
} from '@costwise/core'
import { apiKeys, audit, type Db } from '@costwise/db'
import { z } from 'zod'
import { cached, invalidate, invalidatePrefix } from '../cache'
import { newSecret, sha256 } from './secrets'

export const API_KEY_PREFIX = 'cw_'

/** What a new key is: its name, its scopes (default: usage:write, usage:read, budgets:read), an optional expiry and model list. */
export const apiKeyInputSchema = z.object({
  name: z.string().trim().min(1, 'give the key a name').max(100, 'use at most 100 characters'),
  scopes: apiKeyScopesSchema.optional(),
  expiresInDays: z
    .number()
    .int('must be a whole number of days')
    .min(1, 'must be at least 1 day')
    .max(3650, 'must be at most 3650 days')
    .nullish(),
  allowedModels: z
    .array(z.string().trim().min(1, 'a model name cannot be empty').max(200))
    .min(1, 'name at least one model, or leave the list out to allow any')
    .max(100, 'at most 100 models')
    .nullish(),
})
export type ApiKeyInput = z.input<typeof apiKeyInputSchema>

/**
 * Creates a key and its audit row in one transaction; the secret is returned once and only its hash is kept.
 * `actor` is who asked (a signed-in admin, the CLI); it defaults to the system.
 */
export async function createApiKey(
  db: Db,
  input: ApiKeyInput & { teamId: string; createdBy?: string | null; actor?: audit.AuditActor },
  now = new Date(),
): Promise<{ key: string; record: apiKeys.ApiKeyRecord }> {
  const parsed = apiKeyInputSchema.safeParse(input)
  if (!parsed.success) throw appErrorFromZod('BAD_INPUT', parsed.error)
  const { name, expiresInDays } = parsed.data
  const scopes: readonly ApiKeyScope[] = parsed.data.scopes ?? DEFAULT_API_KEY_SCOPES
  const allowedModels = parsed.data.allowedModels
    ? [...new Set(parsed.data.allowedModels.map(normalizeModelName))]
    : null
  const key = `${API_KEY_PREFIX}${newSecret(30)}`
  const record = await db.transaction().execute(async (trx) => {
    const created = await apiKeys.insertApiKey(trx, {
      teamId: input.teamId,
      name,
      prefix: key.slice(0, 10),
      keyHash: sha256(key),
      createdBy: input.createdBy ?? null,
      scopes,
      expiresAt: expiresInDays ? new Date(now.getTime() + expiresInDays * 86_400_000) : null,
      allowedModels,
    })
    await audit.record(trx, {
      teamId: input.teamId,
      actor: input.actor ?? { kind: 'system' },
      action: 'api_key.created',
      target: { type: 'api_key', id: created.id },
      after: apiKeyAudit(created),
    })
    return created
  })
  return { key, record }
}

/** Revokes a key of the team, with its audit row; NOT_FOUND when the team has no such active key. */
export async function revokeApiKey(
  db: Db,
  input: { teamId: string; id: string; actor: audit.AuditActor },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const revoked = await apiKeys.revokeApiKey(trx, input.teamId, input.id)
    if (!revoked) throw new AppError('NOT_FOUND', 'No active API key with this id in your team.', { field: 'id' })
    await audit.record(trx, {
      teamId: input.teamId,
      actor: input.actor,
      action: 'api_key.revoked',
      target: { type: 'api_key', id: revoked.id },
      before: apiKeyAudit({ ...revoked, revokedAt: null }),
      after: apiKeyAudit(revoked),
    })
  })
  // After the commit (so no request re-reads the old row): this process forgets it now, the others when the
  // database announces the change (../cache.ts).
  await invalidatePrefix('apikey:')
}

function apiKeyAudit(k: apiKeys.ApiKeyRecord) {
  return {
    name: k.name,
    prefix: k.prefix,
    scopes: k.scopes,
    expiresAt: k.expiresAt?.toISOString() ?? null,
    allowedModels: k.allowedModels,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  }
}

/**
 * The active key behind a secret, or null. Found keys are cached for a minute (read on every API request);
 * a revoked or changed key is dropped from every process's cache at once (see ../cache.ts), and an expired
 * one is refused here by its expiry.
 */
export async function authenticateApiKey(db: Db, key: string, now = new Date()): Promise<apiKeys.ApiKeyRecord | null> {
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 200) return null
  const hash = sha256(key)
  const record = await cached(
    `apikey:${hash}`,
    60_000,
    async () => (await apiKeys.findActiveApiKeyByHash(db, hash, now)) ?? null,
  )
  if (!record) {
    // Unknown secrets are not remembered: anyone can send them, and the cache would grow without bound.
    await invalidate(`apikey:${hash}`)
    return null
  }
  if (record.expiresAt && record.expiresAt <= now) return null
  await apiKeys.touchApiKey(db, record.id, now)
  return record
}

export function bearerToken(authorization: string | null | undefined): string | null {
  const match = authorization?.match(/^Bearer\s+(\S+)\s*$/i)
  return match?.[1] ?? null
}
