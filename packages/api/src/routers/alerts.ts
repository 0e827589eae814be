import { AppError, alertLevelSchema, budgetPeriodSchema, budgetScopeSchema } from '@costwise/core'
import { alerts } from '@costwise/db'
import { z } from 'zod'
import { queryInt } from '../services/analytics'
import { createTRPCRouter, teamProcedure } from '../trpc'

const tags = ['alerts']
const ids = z.object({ ids: z.array(z.uuid()).min(1, 'pick at least one alert').max(500) })

const cursorSchema = z.object({ createdAt: z.iso.datetime(), id: z.uuid() })

function decodeCursor(cursor: string) {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')))
  } catch {
    throw new AppError('BAD_INPUT', 'cursor: not a cursor from this listing; start from the first page.', {
      field: 'cursor',
    })
  }
}

const alertSchema = z.object({
  id: z.string(),
  /** A budget threshold crossed, a budget forecast to run out before its period ends, or a spend spike. */
  kind: z.enum(['budget_threshold', 'budget_forecast', 'spend_anomaly']),
  /** What the alert is about beyond the budget (forecast figures, the anomaly's day, prompt and size). */
  details: z.record(z.string(), z.unknown()),
  /** Null for a spend anomaly, which concerns no budget. */
  budgetId: z.string().nullable(),
  budgetName: z.string().nullable(),
  scope: budgetScopeSchema.nullable(),
  period: budgetPeriodSchema.nullable(),
  periodStart: z.string(),
  /** Percent of the limit a threshold alert is for; null for other kinds. */
  threshold: z.number().nullable(),
  level: alertLevelSchema,
  spentUsd: z.string(),
  limitUsd: z.string(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  dismissedAt: z.string().nullable(),
})
const alertPageSchema = z.object({ items: z.array(alertSchema), nextCursor: z.string().nullable() })

export const alertsRouter = createTRPCRouter({
  list: teamProcedure({ role: 'viewer', scope: 'alerts:read' })
    .meta({ openapi: { method: 'GET', path: '/alerts', tags, summary: 'Budget alerts, newest first' } })
    .input(
      z.object({
        status: z.enum(['unread', 'active', 'all']).default('active'),
        limit: queryInt(z.number().int().min(1).max(200)).default(50),
        cursor: z.string().max(200).nullish(),
      }),
    )
    .output(alertPageSchema)
    .query(async ({ ctx, input }) => {
      const cursor = input.cursor ? decodeCursor(input.cursor) : null
      const page = await alerts.listAlerts(ctx.db, ctx.team.id, {
        status: input.status,
        limit: input.limit,
        cursor: cursor && { createdAt: new Date(cursor.createdAt), id: cursor.id },
      })
      const last = page.items[page.items.length - 1]
      return {
        items: page.items.map((a) => ({
          ...a,
          periodStart: a.periodStart.toISOString(),
          createdAt: a.createdAt.toISOString(),
          readAt: a.readAt?.toISOString() ?? null,
          acknowledgedAt: a.acknowledgedAt?.toISOString() ?? null,
          dismissedAt: a.dismissedAt?.toISOString() ?? null,
        })),
        nextCursor:
          page.hasMore && last
            ? Buffer.from(JSON.stringify({ createdAt: last.createdAt.toISOString(), id: last.id })).toString(
                'base64url',
              )
            : null,
      }
    }),

  unreadCount: teamProcedure({ role: 'viewer', scope: 'alerts:read' })
    .meta({ openapi: { method: 'GET', path: '/alerts/unread-count', tags, summary: 'How many alerts are unread' } })
    .input(z.object({}).optional())
    .output(z.object({ count: z.number() }))
    .query(async ({ ctx }) => ({ count: await alerts.countUnreadAlerts(ctx.db, ctx.team.id) })),

  acknowledge: teamProcedure({ role: 'member', scope: 'alerts:write' })
    .meta({
      openapi: { method: 'POST', path: '/alerts/acknowledge', tags, summary: 'Acknowledge alerts (marks them read)' },
    })
    .input(ids)
    .output(z.object({ ids: z.array(z.string()) }))
    .mutation(async ({ ctx, input }) => ({
      ids: await alerts.acknowledgeAlerts(ctx.db, ctx.team.id, input.ids, ctx.team.userId),
    })),

  dismiss: teamProcedure({ role: 'member', scope: 'alerts:write' })
    .meta({ openapi: { method: 'POST', path: '/alerts/dismiss', tags, summary: 'Dismiss alerts' } })
    .input(ids)
    .output(z.object({ ids: z.array(z.string()) }))
    .mutation(async ({ ctx, input }) => ({ ids: await alerts.dismissAlerts(ctx.db, ctx.team.id, input.ids) })),
})
