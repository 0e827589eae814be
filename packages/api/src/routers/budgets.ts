import { z } from 'zod'
import { allocationsInputSchema, budgetInputSchema } from '@costwise/core'
import { budgetViewSchema, deleteBudget, listBudgetViews, saveBudget } from '../services/budgets'
import { allocationsViewSchema, listAllocations, setAllocations } from '../services/allocations'
import { suggestBudget, suggestionInputSchema, suggestionSchema } from '../services/forecast'
import { createTRPCRouter, teamProcedure } from '../trpc'

const tags = ['budgets']

export const budgetsRouter = createTRPCRouter({
  list: teamProcedure({ role: 'viewer', scope: 'budgets:read' })
    .meta({ openapi: { method: 'GET', path: '/usage/budget', tags, summary: 'Budgets with their current spend' } })
    .input(z.object({}).optional())
    .output(z.object({ budgets: z.array(budgetViewSchema) }))
    .query(async ({ ctx }) => ({ budgets: await listBudgetViews(ctx.db, ctx.team) })),

  suggest: teamProcedure({ role: 'viewer', scope: 'budgets:read' })
    .meta({
      openapi: {
        method: 'GET',
        path: '/usage/budget/suggestion',
        tags,
        summary: 'A limit for a new budget from recent usage, explained',
      },
    })
    .input(suggestionInputSchema)
    .output(suggestionSchema)
    .query(({ ctx, input }) => suggestBudget(ctx.db, ctx.team, input)),

  save: teamProcedure({ role: 'admin', scope: 'budgets:write' })
    .meta({ openapi: { method: 'PUT', path: '/usage/budget', tags, summary: 'Create a budget, or replace one by id' } })
    .input(budgetInputSchema)
    .output(budgetViewSchema)
    .mutation(({ ctx, input }) => saveBudget(ctx.db, ctx.team, input)),

  delete: teamProcedure({ role: 'admin', scope: 'budgets:write' })
    .meta({ openapi: { method: 'DELETE', path: '/usage/budget', tags, summary: 'Delete a budget' } })
    .input(z.object({ id: z.uuid() }))
    .output(z.object({ deleted: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      await deleteBudget(ctx.db, ctx.team, input.id)
      return { deleted: true }
    }),
  /** A team budget's allocations among members, and what is left unallocated. */
  allocations: teamProcedure({ role: 'viewer', scope: 'budgets:read' })
    .input(z.object({ budgetId: z.uuid() }))
    .output(allocationsViewSchema)
    .query(({ ctx, input }) => listAllocations(ctx.db, ctx.team, input.budgetId)),

  /** Splits a team budget among members (equal or custom); the allocations can't add up to more than its limit. */
  setAllocations: teamProcedure({ role: 'admin', scope: 'budgets:write' })
    .input(allocationsInputSchema)
    .output(allocationsViewSchema)
    .mutation(({ ctx, input }) => setAllocations(ctx.db, ctx.team, input)),
})
