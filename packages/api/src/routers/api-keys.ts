import { apiKeys } from '@costwise/db'
import { z } from 'zod'
import { auditBy } from '../audit'
import { apiKeyInputSchema, createApiKey, revokeApiKey } from '../auth/api-keys'
import { createTRPCRouter, teamProcedure } from '../trpc'

const toView = (k: apiKeys.ApiKeyRecord) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  scopes: k.scopes,
  expiresAt: k.expiresAt?.toISOString() ?? null,
  allowedModels: k.allowedModels,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
})

const apiKeyViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The first characters of the key, to recognise it (the secret itself is never stored). */
  prefix: z.string(),
  scopes: z.array(z.string()),
  expiresAt: z.string().nullable(),
  /** The models the key may call; null: any. */
  allowedModels: z.array(z.string()).nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
})

// Keys never manage keys: every procedure here is for signed-in owners and admins (scope: null).
export const apiKeysRouter = createTRPCRouter({
  list: teamProcedure({ role: 'admin', scope: null })
    .output(z.array(apiKeyViewSchema))
    .query(async ({ ctx }) => (await apiKeys.listApiKeys(ctx.db, ctx.team.id)).map(toView)),

  /** The secret is in this response only; it cannot be shown again. */
  create: teamProcedure({ role: 'admin', scope: null })
    .input(apiKeyInputSchema)
    .output(z.object({ key: z.string(), apiKey: apiKeyViewSchema }))
    .mutation(async ({ ctx, input }) => {
      const { key, record } = await createApiKey(ctx.db, {
        ...input,
        teamId: ctx.team.id,
        createdBy: ctx.team.userId,
        actor: auditBy(ctx.team).actor,
      })
      return { key, apiKey: toView(record) }
    }),

  revoke: teamProcedure({ role: 'admin', scope: null })
    .input(z.object({ id: z.uuid() }))
    .output(z.object({ id: z.string(), revoked: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await revokeApiKey(ctx.db, { teamId: ctx.team.id, id: input.id, actor: auditBy(ctx.team).actor })
      return { id: input.id, revoked: true }
    }),
})
