import { AppError } from '@costwise/core'
import { apiKeys } from '@costwise/db'
import { z } from 'zod'
import { createApiKey } from '../auth/api-keys'
import { createTRPCRouter, teamProcedure } from '../trpc'

const toView = (k: apiKeys.ApiKeyRecord) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
})

export const apiKeysRouter = createTRPCRouter({
  list: teamProcedure('admin').query(async ({ ctx }) => (await apiKeys.listApiKeys(ctx.db, ctx.team.id)).map(toView)),

  /** The secret is in this response only; it cannot be shown again. */
  create: teamProcedure('admin')
    .input(z.object({ name: z.string().trim().min(1).max(100) }))
    .mutation(async ({ ctx, input }) => {
      const { key, record } = await createApiKey(ctx.db, { teamId: ctx.team.id, name: input.name, createdBy: ctx.team.userId })
      return { key, apiKey: toView(record) }
    }),

  revoke: teamProcedure('admin')
    .input(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const revoked = await apiKeys.revokeApiKey(ctx.db, ctx.team.id, input.id)
      if (!revoked) throw new AppError('NOT_FOUND', 'No active API key with this id in your team.', { field: 'id' })
      return { id: input.id, revoked: true }
    }),
})
