import { z } from 'zod'
import {
  historyInputSchema,
  historyOutputSchema,
  stats,
  statsInputSchema,
  statsOutputSchema,
  topPrompts,
  topPromptsInputSchema,
  topPromptsOutputSchema,
  usageHistory,
} from '../services/analytics'
import { recordUsageGrouped } from '../services/group-commit'
import { deleteView, listViews, savedViewSchema, saveView, saveViewInputSchema } from '../services/saved-views'
import {
  breakdown,
  breakdownInputSchema,
  breakdownOutputSchema,
  usageGet,
  usageGetInputSchema,
  usageGetOutputSchema,
  whatChanged,
  whatChangedInputSchema,
  whatChangedOutputSchema,
} from '../services/usage-explain'
import { recordUsage, toBatchResult } from '../services/record-usage'
import { releaseReservation, reserve } from '../services/reserve'
import {
  reserveInputSchema,
  reserveResultSchema,
  trackBatchResultSchema,
  trackBatchSchema,
  trackEventSchema,
  trackResultSchema,
} from '../services/tracking.types'
import { createTRPCRouter, teamProcedure } from '../trpc'

const tags = ['usage']

export const usageRouter = createTRPCRouter({
  track: teamProcedure({ role: 'member', scope: 'usage:write' })
    .meta({
      openapi: { method: 'POST', path: '/usage/track', tags, summary: 'Record one model call (priced on the server)' },
    })
    .input(trackEventSchema)
    .output(trackResultSchema)
    .mutation(async ({ ctx, input }) => (await recordUsageGrouped(ctx.db, ctx.team, [input]))[0]!),

  trackBatch: teamProcedure({ role: 'member', scope: 'usage:write' })
    .meta({
      openapi: { method: 'POST', path: '/usage/track/batch', tags, summary: 'Record up to 1,000 calls at once' },
    })
    .input(trackBatchSchema)
    .output(trackBatchResultSchema)
    .mutation(async ({ ctx, input }) => toBatchResult(await recordUsage(ctx.db, ctx.team, input.events))),

  reserve: teamProcedure({ role: 'member', scope: 'usage:write' })
    .meta({
      openapi: {
        method: 'POST',
        path: '/usage/reserve',
        tags,
        summary:
          'Set aside the estimated cost of a call on every budget that applies (402 when a hard budget has no room)',
        errorResponses: {
          400: 'Bad input',
          401: 'No or wrong API key',
          402: 'BUDGET_EXCEEDED',
          403: 'Missing scope, or a model the key may not use',
          429: 'Rate limited',
        },
      },
    })
    .input(reserveInputSchema)
    .output(reserveResultSchema)
    .mutation(({ ctx, input }) => reserve(ctx.db, ctx.team, input)),

  release: teamProcedure({ role: 'member', scope: 'usage:write' })
    .meta({
      openapi: {
        method: 'POST',
        path: '/usage/release',
        tags,
        summary: 'Give back a reservation whose call never happened',
      },
    })
    .input(z.object({ reservationId: z.uuid() }))
    .output(z.object({ released: z.boolean() }))
    .mutation(async ({ ctx, input }) => ({
      released: await releaseReservation(ctx.db, ctx.team, input.reservationId),
    })),

  stats: teamProcedure({ role: 'viewer', scope: 'usage:read' })
    .meta({
      openapi: {
        method: 'GET',
        path: '/usage/stats',
        tags,
        summary: 'Totals, the previous period and groups, from the rollups',
      },
    })
    .input(statsInputSchema)
    .output(statsOutputSchema)
    .query(({ ctx, input }) => stats(ctx.db, ctx.team, input)),

  topPrompts: teamProcedure({ role: 'viewer', scope: 'usage:read' })
    .meta({
      openapi: {
        method: 'GET',
        path: '/usage/top-prompts',
        tags,
        summary: 'Prompts by cost, runs or cost per successful run',
      },
    })
    .input(topPromptsInputSchema)
    .output(topPromptsOutputSchema)
    .query(({ ctx, input }) => topPrompts(ctx.db, ctx.team, input)),

  history: teamProcedure({ role: 'viewer', scope: 'usage:read' })
    .meta({
      openapi: {
        method: 'GET',
        path: '/usage/history',
        tags,
        summary: 'Usage rows, a page at a time (cursor pagination)',
      },
    })
    .input(historyInputSchema)
    .output(historyOutputSchema)
    .query(({ ctx, input }) => usageHistory(ctx.db, ctx.team, input)),

  breakdown: teamProcedure({ role: 'viewer', scope: 'usage:read' })
    .meta({
      openapi: {
        method: 'GET',
        path: '/usage/breakdown',
        tags,
        summary: 'Cost by member, API key, feature, tag value, model or prompt (lines add up to the total)',
      },
    })
    .input(breakdownInputSchema)
    .output(breakdownOutputSchema)
    .query(({ ctx, input }) => breakdown(ctx.db, ctx.team, input)),

  whatChanged: teamProcedure({ role: 'viewer', scope: 'usage:read' })
    .meta({
      openapi: {
        method: 'GET',
        path: '/usage/what-changed',
        tags,
        summary: 'Cost against the previous period and its top contributors by model, prompt, member, key and tag',
      },
    })
    .input(whatChangedInputSchema)
    .output(whatChangedOutputSchema)
    .query(({ ctx, input }) => whatChanged(ctx.db, ctx.team, input)),

  get: teamProcedure({ role: 'viewer', scope: 'usage:read' })
    .meta({
      openapi: {
        method: 'GET',
        path: '/usage/rows/{id}',
        tags,
        summary: 'One usage row: every field, its price version and cost breakdown',
      },
    })
    .input(usageGetInputSchema)
    .output(usageGetOutputSchema)
    .query(({ ctx, input }) => usageGet(ctx.db, ctx.team, input.id)),

  savedViews: teamProcedure({ role: 'viewer', scope: 'usage:read' })
    .input(z.object({}).optional())
    .output(z.object({ items: z.array(savedViewSchema) }))
    .query(({ ctx }) => listViews(ctx.db, ctx.team)),

  saveView: teamProcedure({ role: 'member', scope: null })
    .input(saveViewInputSchema)
    .output(savedViewSchema)
    .mutation(({ ctx, input }) => saveView(ctx.db, ctx.team, input)),

  deleteView: teamProcedure({ role: 'member', scope: null })
    .input(z.object({ id: z.uuid('id must be a saved view id (UUID)') }))
    .output(z.object({ deleted: z.boolean() }))
    .mutation(({ ctx, input }) => deleteView(ctx.db, ctx.team, input.id)),
})
