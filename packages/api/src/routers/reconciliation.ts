import { reconciliation } from '@costwise/db'
import { z } from 'zod'
import {
  costImportInputSchema,
  getReconciliation,
  importCostExport,
  reconciliationQuerySchema,
  reconciliationSchema,
} from '../services/reconciliation'
import { createTRPCRouter, teamProcedure } from '../trpc'

const tags = ['reconciliation']

export const reconciliationRouter = createTRPCRouter({
  get: teamProcedure({ role: 'viewer', scope: 'usage:read' })
    .meta({
      openapi: {
        method: 'GET',
        path: '/reconciliation',
        tags,
        summary:
          "A provider's billed cost for a month against tracked spend, per UTC day and model: capture rate and the exact difference",
      },
    })
    .input(reconciliationQuerySchema)
    .output(reconciliationSchema)
    .query(({ ctx, input }) => getReconciliation(ctx.db, ctx.team, input)),

  import: teamProcedure({ role: 'admin', scope: 'budgets:write' })
    .meta({
      openapi: {
        method: 'POST',
        path: '/reconciliation/import',
        tags,
        summary: "Import a provider's cost export for a month (OpenAI costs JSON, Anthropic cost report JSON or CSV)",
      },
    })
    .input(costImportInputSchema)
    .output(reconciliationSchema)
    .mutation(({ ctx, input }) => importCostExport(ctx.db, ctx.team, input)),

  imports: teamProcedure({ role: 'viewer', scope: 'usage:read' })
    .meta({
      openapi: {
        method: 'GET',
        path: '/reconciliation/imports',
        tags,
        summary: 'Imported cost exports, newest month first',
      },
    })
    .input(z.object({}).optional())
    .output(
      z.object({
        imports: z.array(
          z.object({
            id: z.string(),
            provider: z.string(),
            format: z.string(),
            month: z.string(),
            fileName: z.string().nullable(),
            totalUsd: z.string(),
            createdAt: z.date(),
          }),
        ),
      }),
    )
    .query(async ({ ctx }) => ({ imports: await reconciliation.listCostImports(ctx.db, ctx.team.id) })),
})
