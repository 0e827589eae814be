import { AppError } from '@costwise/core'
import { budgets } from '@costwise/db'
import { z } from 'zod'
import { budgetInputSchema, budgetViewSchema, listBudgetViews, saveBudget } from '../services/budgets'
import { createTRPCRouter, teamProcedure } from '../trpc'

const tags = ['budgets']

export const budgetsRouter = createTRPCRouter({
  list: teamProcedure('viewer')
    .meta({ openapi: { method: 'GET', path: '/usage/budget', tags, summary: 'Budgets with their current spend' } })
    .input(z.object({}).optional())
    .output(z.object({ budgets: z.array(budgetViewSchema) }))
    .query(async ({ ctx }) => ({ budgets: await listBudgetViews(ctx.db, ctx.team) })),

  save: teamProcedure('admin')
    .meta({ openapi: { method: 'PUT', path: '/usage/budget', tags, summary: 'Create a budget, or replace one by id' } })
    .input(budgetInputSchema)
    .output(budgetViewSchema)
    .mutation(({ ctx, input }) => saveBudget(ctx.db, ctx.team, input)),

  delete: teamProcedure('admin')
    .meta({ openapi: { method: 'DELETE', path: '/usage/budget', tags, summary: 'Delete a budget' } })
    .input(z.object({ id: z.uuid() }))
    .output(z.object({ deleted: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const deleted = await budgets.deleteBudget(ctx.db, ctx.team.id, input.id)
      if (!deleted) throw new AppError('NOT_FOUND', 'No budget with this id in your team.', { field: 'id' })
      return { deleted }
    }),
})
