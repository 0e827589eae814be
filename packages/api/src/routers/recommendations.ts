import { z } from 'zod'
import { cached } from '../cache'
import { forecastSchema, forecastTeam } from '../services/forecast'
import {
  applyRecommendation,
  dismissRecommendation,
  listInputSchema,
  listRecommendationViews,
  recommendationListSchema,
  recommendationViewSchema,
  refreshRecommendations,
  reopenRecommendation,
  snoozeRecommendation,
} from '../services/recommendations'
import { createTRPCRouter, teamProcedure } from '../trpc'

const tags = ['recommendations']
const idInput = z.object({ id: z.uuid('id must be a UUID') })

/** What to change, by how much it would have saved, and what it did save after Apply. */
export const recommendationsRouter = createTRPCRouter({
  list: teamProcedure({ role: 'viewer', scope: 'usage:read' })
    .meta({
      openapi: {
        method: 'GET',
        path: '/recommendations',
        tags,
        summary: 'Recommendations with exact savings; realised savings after Apply',
      },
    })
    .input(listInputSchema)
    .output(recommendationListSchema)
    .query(({ ctx, input }) => listRecommendationViews(ctx.db, ctx.team, input)),

  refresh: teamProcedure({ role: 'member', scope: 'prompts:write' })
    .meta({
      openapi: {
        method: 'POST',
        path: '/recommendations/refresh',
        tags,
        summary: 'Recompute the team’s recommendations now and answer the list',
      },
    })
    .input(z.object({}).optional())
    .output(recommendationListSchema)
    .mutation(async ({ ctx }) => {
      await refreshRecommendations(ctx.db, ctx.team)
      return listRecommendationViews(ctx.db, ctx.team)
    }),

  // `apply` is a reserved word for tRPC router keys.
  applyChange: teamProcedure({ role: 'member', scope: 'prompts:write' })
    .meta({
      openapi: {
        method: 'POST',
        path: '/recommendations/{id}/apply',
        tags,
        summary: 'Make the change on the prompt (a new version) and start measuring',
      },
    })
    .input(idInput)
    .output(recommendationViewSchema)
    .mutation(({ ctx, input }) => applyRecommendation(ctx.db, ctx.team, input.id)),

  dismiss: teamProcedure({ role: 'member', scope: 'prompts:write' })
    .meta({
      openapi: { method: 'POST', path: '/recommendations/{id}/dismiss', tags, summary: 'Dismiss a recommendation' },
    })
    .input(idInput)
    .output(recommendationViewSchema)
    .mutation(({ ctx, input }) => dismissRecommendation(ctx.db, ctx.team, input.id)),

  snooze: teamProcedure({ role: 'member', scope: 'prompts:write' })
    .meta({
      openapi: {
        method: 'POST',
        path: '/recommendations/{id}/snooze',
        tags,
        summary: 'Hide a recommendation for some days',
      },
    })
    .input(
      idInput.extend({
        days: z
          .number()
          .int('days is a whole number')
          .min(1, 'snooze for at least 1 day')
          .max(90, 'snooze for at most 90 days')
          .default(7),
      }),
    )
    .output(recommendationViewSchema)
    .mutation(({ ctx, input }) => snoozeRecommendation(ctx.db, ctx.team, input.id, input.days)),

  reopen: teamProcedure({ role: 'member', scope: 'prompts:write' })
    .meta({
      openapi: {
        method: 'POST',
        path: '/recommendations/{id}/reopen',
        tags,
        summary: 'Reopen a dismissed recommendation',
      },
    })
    .input(idInput)
    .output(recommendationViewSchema)
    .mutation(({ ctx, input }) => reopenRecommendation(ctx.db, ctx.team, input.id)),
})

/** Period-end projections for the team and its budgets. Kept for 30 s: the header shows it on every page. */
export const forecastRouter = createTRPCRouter({
  get: teamProcedure({ role: 'viewer', scope: 'budgets:read' })
    .meta({
      openapi: {
        method: 'GET',
        path: '/forecast',
        tags: ['forecast'],
        summary: 'Projected period-end spend for the team and each budget, with a 90% interval',
      },
    })
    .input(z.object({}).optional())
    .output(forecastSchema)
    .query(({ ctx }) => cached(`forecast:${ctx.team.id}`, 30_000, () => forecastTeam(ctx.db, ctx.team))),
})
