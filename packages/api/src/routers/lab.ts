import { AppError } from '@costwise/core'
import { prompts } from '@costwise/db'
import { z } from 'zod'
import {
  budgetStatus,
  estimateInputSchema,
  estimateRun,
  estimateOutputSchema,
  getPrompt,
  improveInputSchema,
  improveOutputSchema,
  improvePrompt,
  labBudgetStatusSchema,
  labDeleteOutputSchema,
  labPromptListSchema,
  labPromptSchema,
  labRenameOutputSchema,
  labRunSchema,
  listRuns,
  promptInputSchema,
  savePrompt,
} from '../services/lab'
import { changePrompt, promptViewSchema } from '../services/prompts'
import { requireGateway } from '../gateway/config'
import { createTRPCRouter, teamProcedure } from '../trpc'

const idInput = z.object({ id: z.uuid('id must be a UUID') })

/** The Prompt Lab: saved prompts, estimates before a run, "improve my prompt", run history, budgets. Runs stream over POST /api/lab/run. */
export const labRouter = createTRPCRouter({
  list: teamProcedure({ role: 'viewer', scope: 'prompts:write' })
    .output(labPromptListSchema)
    .query(async ({ ctx }) => ({
      prompts: (await prompts.listPrompts(ctx.db, ctx.team.id)).map((p) => ({
        ...p,
        updatedAt: p.updatedAt.toISOString(),
      })),
    })),

  get: teamProcedure({ role: 'viewer', scope: 'prompts:write' })
    .input(idInput)
    .output(labPromptSchema)
    .query(({ ctx, input }) => getPrompt(ctx.db, ctx.team, input.id)),

  save: teamProcedure({ role: 'member', scope: 'prompts:write' })
    .input(promptInputSchema)
    .output(promptViewSchema)
    .mutation(({ ctx, input }) => savePrompt(ctx.db, ctx.team, input)),

  rename: teamProcedure({ role: 'member', scope: 'prompts:write' })
    .input(
      idInput.extend({
        name: z.string().trim().min(1, 'name is required').max(200, 'name must be at most 200 characters'),
      }),
    )
    .output(labRenameOutputSchema)
    .mutation(async ({ ctx, input }) => {
      const renamed = await changePrompt(ctx.db, ctx.team, input.id, { name: input.name })
      return { id: renamed.id, name: renamed.name }
    }),

  delete: teamProcedure({ role: 'member', scope: 'prompts:write' })
    .input(idInput)
    .output(labDeleteOutputSchema)
    .mutation(async ({ ctx, input }) => {
      const deleted = await prompts.deletePrompt(ctx.db, ctx.team.id, input.id)
      if (!deleted) throw new AppError('NOT_FOUND', 'No prompt with this id in your team.', { field: 'id' })
      return { deleted }
    }),

  estimate: teamProcedure({ role: 'viewer', scope: 'usage:read' })
    .input(estimateInputSchema)
    .output(estimateOutputSchema)
    .query(({ ctx, input }) => estimateRun(ctx.db, ctx.team, input)),

  improve: teamProcedure({ role: 'member', scope: 'prompts:write' })
    .input(improveInputSchema)
    .output(improveOutputSchema)
    .mutation(({ ctx, input }) => improvePrompt(ctx.db, ctx.team, requireGateway(ctx.config.gateway), input)),

  runs: teamProcedure({ role: 'viewer', scope: 'prompts:write' })
    .input(
      z.object({ promptId: z.uuid('promptId must be a UUID'), limit: z.number().int().min(1).max(200).default(20) }),
    )
    .output(z.array(labRunSchema))
    .query(({ ctx, input }) => listRuns(ctx.db, ctx.team, input.promptId, input.limit)),

  budgetStatus: teamProcedure({ role: 'viewer', scope: 'budgets:read' })
    .input(z.object({ promptId: z.uuid().nullish() }).optional())
    .output(labBudgetStatusSchema)
    .query(({ ctx, input }) => budgetStatus(ctx.db, ctx.team, input?.promptId ?? null)),
})
