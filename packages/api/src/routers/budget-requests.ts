import {
  budgetRequestInputSchema,
  budgetRequestStatusSchema,
  decisionInputSchema,
  denyInputSchema,
} from '@costwise/core'
import { z } from 'zod'
import {
  approveRequest,
  budgetRequestViewSchema,
  createRequest,
  denyRequest,
  listRequests,
} from '../services/budget-requests'
import { createTRPCRouter, teamProcedure } from '../trpc'

const tags = ['budgets']

export const budgetRequestsRouter = createTRPCRouter({
  /** Asks for more on a budget (from the Lab's warning, the budgets page, or a tool that was blocked). */
  create: teamProcedure({ role: 'member', scope: 'usage:write' })
    .meta({
      openapi: {
        method: 'POST',
        path: '/budget-requests',
        tags,
        summary: 'Ask for more budget',
        successDescription: 'Created: the request is pending',
      },
      successStatus: 201,
    })
    .input(budgetRequestInputSchema)
    .output(z.object({ id: z.string(), status: z.literal('pending') }))
    .mutation(({ ctx, input }) => createRequest(ctx.db, ctx.team, input)),

  /** Requests by state: everyone's for owners, admins and keys; your own otherwise. */
  list: teamProcedure({ role: 'viewer', scope: 'budgets:read' })
    .meta({ openapi: { method: 'GET', path: '/budget-requests', tags, summary: 'Budget requests, newest first' } })
    .input(
      z.object({
        status: budgetRequestStatusSchema.optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
    )
    .output(
      z.object({
        items: z.array(budgetRequestViewSchema),
        counts: z.object({ pending: z.number(), approved: z.number(), denied: z.number(), expired: z.number() }),
        canDecide: z.boolean(),
      }),
    )
    .query(({ ctx, input }) => listRequests(ctx.db, ctx.team, input)),

  /** Approves a pending request (optionally a different amount): the limit is raised in the same transaction. */
  approve: teamProcedure({ role: 'admin', scope: 'budgets:write' })
    .meta({
      openapi: { method: 'POST', path: '/budget-requests/{id}/approve', tags, summary: 'Approve a budget request' },
    })
    .input(decisionInputSchema)
    .output(
      z.object({ id: z.string(), status: z.literal('approved'), approvedAmountUsd: z.string(), limitUsd: z.string() }),
    )
    .mutation(({ ctx, input }) => approveRequest(ctx.db, ctx.team, input)),

  deny: teamProcedure({ role: 'admin', scope: 'budgets:write' })
    .meta({ openapi: { method: 'POST', path: '/budget-requests/{id}/deny', tags, summary: 'Deny a budget request' } })
    .input(denyInputSchema)
    .output(z.object({ id: z.string(), status: z.literal('denied') }))
    .mutation(({ ctx, input }) => denyRequest(ctx.db, ctx.team, input)),
})
