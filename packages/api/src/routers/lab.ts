import type { Tier } from '@costwise/core'
import { AppError } from '@costwise/core'
import { prompts } from '@costwise/db'
import { z } from 'zod'
import type { Context } from '../context'
import {
  budgetStatus,
  estimateInputSchema,
  estimateRun,
  getPrompt,
  improveInputSchema,
  improvePrompt,
  listRuns,
  promptInputSchema,
  savePrompt,
} from '../services/lab'
import { createTRPCRouter, teamProcedure } from '../trpc'

/** The caller's plan: a signed-in user's own tier; API keys get the free view. */
function tierOf(ctx: Context): Tier {
  return ctx.actor.kind === 'user' ? ctx.actor.session.user.tier : 'free'
}

const idInput = z.object({ id: z.uuid('id must be a UUID') })

/** The Prompt Lab: saved prompts, estimates before a run, "improve my prompt", run history, budgets. Runs stream over POST /api/lab/run. */
export const labRouter = createTRPCRouter({
  list: teamProcedure('viewer').query(async ({ ctx }) => ({
    prompts: (await prompts.listPrompts(ctx.db, ctx.team.id)).map((p) => ({ ...p, updatedAt: p.updatedAt.toISOString() })),
  })),

  get: teamProcedure('viewer')
    .input(idInput)
    .query(({ ctx, input }) => getPrompt(ctx.db, ctx.team, input.id)),

  save: teamProcedure('member')
    .input(promptInputSchema)
    .mutation(({ ctx, input }) => savePrompt(ctx.db, ctx.team, input)),

  rename: teamProcedure('member')
    .input(idInput.extend({ name: z.string().trim().min(1, 'name is required').max(200, 'name must be at most 200 characters') }))
    .mutation(async ({ ctx, input }) => {
      const renamed = await prompts.renamePrompt(ctx.db, ctx.team.id, input.id, input.name)
      if (!renamed) throw new AppError('NOT_FOUND', 'No prompt with this id in your team.', { field: 'id' })
      return { id: renamed.id, name: renamed.name }
    }),

  delete: teamProcedure('member')
    .input(idInput)
    .mutation(async ({ ctx, input }) => {
      const deleted = await prompts.deletePrompt(ctx.db, ctx.team.id, input.id)
      if (!deleted) throw new AppError('NOT_FOUND', 'No prompt with this id in your team.', { field: 'id' })
      return { deleted }
    }),

  estimate: teamProcedure('viewer')
    .input(estimateInputSchema)
    .query(({ ctx, input }) => estimateRun(ctx.db, ctx.team, tierOf(ctx), input)),

  improve: teamProcedure('member')
    .input(improveInputSchema)
    .mutation(({ ctx, input }) => improvePrompt(ctx.db, ctx.team, input)),

  runs: teamProcedure('viewer')
    .input(z.object({ promptId: z.uuid('promptId must be a UUID'), limit: z.number().int().min(1).max(200).default(20) }))
    .query(({ ctx, input }) => listRuns(ctx.db, ctx.team, input.promptId, input.limit)),

  budgetStatus: teamProcedure('viewer')
    .input(z.object({ promptId: z.uuid().nullish() }).optional())
    .query(({ ctx, input }) => budgetStatus(ctx.db, ctx.team, input?.promptId ?? null)),
})
