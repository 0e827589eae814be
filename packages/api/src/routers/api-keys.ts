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

// Keys never manage keys: every procedure here is for signed-in owners and admins (scope: null).
export const apiKeysRouter = createTRPCRouter({
  list: teamProcedure({ role: 'admin', scope: null }).query(async ({ ctx }) => (await apiKeys.listApiKeys(ctx.db, ctx.team.id)).map(toView)),

  /** The secret is in this response only; it cannot be shown again. */
  create: teamProcedure({ role: 'admin', scope: null })
    .input(apiKeyInputSchema)
    .mutation(async ({ ctx, input }) => {
      const { key, record } = await createApiKey(ctx.db, { ...input, teamId: ctx.team.id, createdBy: ctx.team.userId, actor: auditBy(ctx.team).actor })
      return { key, apiKey: toView(record) }
    }),

  revoke: teamProcedure({ role: 'admin', scope: null })
    .input(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      await revokeApiKey(ctx.db, { teamId: ctx.team.id, id: input.id, actor: auditBy(ctx.team).actor })
      return { id: input.id, revoked: true }
    }),
})
