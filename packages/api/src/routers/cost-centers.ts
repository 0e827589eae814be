import { assignInputSchema } from '@costwise/core'
import { z } from 'zod'
import {
  assignCostCenter,
  costCenterInputSchema,
  costCenterListSchema,
  costCenterViewSchema,
  listCostCenters,
  saveCostCenter,
} from '../services/cost-centers'
import { createTRPCRouter, teamProcedure } from '../trpc'

export const costCentersRouter = createTRPCRouter({
  /** Cost centres and who/what is assigned to them (members, prompts, API key splits). */
  list: teamProcedure({ role: 'viewer', scope: 'usage:read', feature: 'costAllocation' })
    .input(z.object({}).optional())
    .output(costCenterListSchema)
    .query(({ ctx }) => listCostCenters(ctx.db, ctx.team)),

  /** Creates a cost centre, or renames/re-codes/archives one (by id). */
  save: teamProcedure({ role: 'admin', scope: null, feature: 'costAllocation' })
    .input(costCenterInputSchema)
    .output(costCenterViewSchema)
    .mutation(({ ctx, input }) => saveCostCenter(ctx.db, ctx.team, input)),

  /** Assigns a member, a prompt or an API key (whole or split by percentage) to cost centres. */
  assign: teamProcedure({ role: 'admin', scope: null, feature: 'costAllocation' })
    .input(assignInputSchema)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await assignCostCenter(ctx.db, ctx.team, input)
      return { ok: true as const }
    }),
})
