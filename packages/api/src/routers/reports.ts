import { AppError, reportDefinitionSchema, tierAllows } from '@costwise/core'
import { email, reports } from '@costwise/db'
import { z } from 'zod'
import { buildReport } from '../services/reports/build'
import { listRuns, listSchedules, saveSchedule, scheduleInputSchema, sendNow, sendNowInputSchema } from '../services/reports'
import { createTRPCRouter, middleware, teamProcedure } from '../trpc'

/** Scheduled reports are an enterprise feature: the signed-in user's tier decides (API keys act for the team). */
const enterpriseOnly = middleware(({ ctx, next }) => {
  if (ctx.actor.kind === 'user' && !tierAllows(ctx.actor.session.user.tier, 'scheduledReports')) {
    throw new AppError('FORBIDDEN', 'Scheduled reports are part of the Enterprise plan. Change your plan in Settings to use them.')
  }
  return next()
})

export const reportsRouter = createTRPCRouter({
  /** Saved reports and recent runs (visible on every plan, so others can see what they would get). */
  overview: teamProcedure('viewer').query(async ({ ctx }) => ({
    schedules: await listSchedules(ctx.db, ctx.team),
    runs: await listRuns(ctx.db, ctx.team),
    canSchedule: ctx.actor.kind !== 'user' || tierAllows(ctx.actor.session.user.tier, 'scheduledReports'),
  })),

  /** The report's figures for a definition, before saving it. */
  preview: teamProcedure('viewer')
    .input(z.object({ definition: reportDefinitionSchema }))
    .query(({ ctx, input }) => buildReport(ctx.db, ctx.team, input.definition)),

  save: teamProcedure('admin').use(enterpriseOnly).input(scheduleInputSchema).mutation(({ ctx, input }) => saveSchedule(ctx.db, ctx.team, input)),

  delete: teamProcedure('admin')
    .input(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      if (!(await reports.deleteSchedule(ctx.db, ctx.team.id, input.id))) {
        throw new AppError('NOT_FOUND', 'No report with this id in your team.', { field: 'id' })
      }
      return { deleted: true }
    }),

  sendNow: teamProcedure('admin').use(enterpriseOnly).input(sendNowInputSchema).mutation(({ ctx, input }) => sendNow(ctx.db, ctx.team, input)),

  /** The outbox and delivery log (alerts and reports), with the delivery success rate. */
  outbox: teamProcedure('admin')
    .input(z.object({ limit: z.number().int().min(1).max(200).default(50) }).optional())
    .query(async ({ ctx, input }) => {
      const [messages, stats] = await Promise.all([email.listEmails(ctx.db, ctx.team.id, input?.limit ?? 50), email.deliveryStats(ctx.db, ctx.team.id)])
      const attempts = Number(stats.attempts)
      return {
        messages: messages.map((m) => ({
          id: m.id,
          kind: m.kind,
          to: m.to_address,
          subject: m.subject,
          text: m.text_body,
          status: m.status,
          attempts: m.attempts,
          lastError: m.last_error,
          createdAt: m.created_at.toISOString(),
          sentAt: m.sent_at?.toISOString() ?? null,
          attachments: m.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType })),
        })),
        delivery: {
          attempts,
          succeeded: Number(stats.succeeded),
          messages: Number(stats.messages),
          delivered: Number(stats.delivered),
          successRate: attempts === 0 ? null : Number(stats.succeeded) / attempts,
        },
      }
    }),
})
