import {
  reportPreviewInputSchema,
  reportScheduleInputSchema,
  reportSendInputSchema,
  tierAllows,
  tierSchema,
} from '@costwise/core'
import { email } from '@costwise/db'
import { z } from 'zod'
import { buildReport, reportDataSchema } from '../services/reports/build'
import {
  deleteSchedule,
  listRuns,
  listSchedules,
  reportRunViewSchema,
  reportScheduleViewSchema,
  saveSchedule,
  sendNow,
  sendNowOutputSchema,
} from '../services/reports'
import { createTRPCRouter, teamProcedure } from '../trpc'

const overviewSchema = z.object({
  schedules: z.array(reportScheduleViewSchema),
  runs: z.array(reportRunViewSchema),
  plan: tierSchema,
  canSchedule: z.boolean(),
})

/** The outbox and delivery log: each message (alerts, reports, invites, requests) and the delivery success rate. */
const outboxSchema = z.object({
  messages: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['alert', 'report', 'invite', 'request', 'other']),
      to: z.string(),
      subject: z.string(),
      text: z.string(),
      status: z.enum(['queued', 'sent', 'outbox', 'failed']),
      attempts: z.number(),
      lastError: z.string().nullable(),
      createdAt: z.string(),
      sentAt: z.string().nullable(),
      attachments: z.array(z.object({ filename: z.string(), contentType: z.string() })),
    }),
  ),
  delivery: z.object({
    attempts: z.number(),
    succeeded: z.number(),
    messages: z.number(),
    delivered: z.number(),
    /** Messages kept in the outbox because no SMTP server is configured: not sent. */
    notSent: z.number(),
    /** Succeeded attempts over all attempts; null before the first attempt. */
    successRate: z.number().nullable(),
  }),
})

export const reportsRouter = createTRPCRouter({
  /** Saved reports and recent runs (visible on every plan, so others can see what they would get). */
  overview: teamProcedure({ role: 'viewer', scope: 'reports:write' })
    .output(overviewSchema)
    .query(async ({ ctx }) => ({
      schedules: await listSchedules(ctx.db, ctx.team),
      runs: await listRuns(ctx.db, ctx.team),
      plan: ctx.team.plan,
      canSchedule: tierAllows(ctx.team.plan, 'scheduledReports'),
    })),

  /** The report's figures for a definition, before saving it. */
  preview: teamProcedure({ role: 'viewer', scope: 'usage:read' })
    .input(reportPreviewInputSchema)
    .output(reportDataSchema)
    .query(({ ctx, input }) => buildReport(ctx.db, ctx.team, input.definition)),

  save: teamProcedure({ role: 'admin', scope: 'reports:write', feature: 'scheduledReports' })
    .input(reportScheduleInputSchema)
    .output(reportScheduleViewSchema)
    .mutation(({ ctx, input }) => saveSchedule(ctx.db, ctx.team, input)),

  delete: teamProcedure({ role: 'admin', scope: 'reports:write' })
    .input(z.object({ id: z.uuid() }))
    .output(z.object({ deleted: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await deleteSchedule(ctx.db, ctx.team, input.id)
      return { deleted: true as const }
    }),

  sendNow: teamProcedure({ role: 'admin', scope: 'reports:write', feature: 'scheduledReports' })
    .input(reportSendInputSchema)
    .output(sendNowOutputSchema)
    .mutation(({ ctx, input }) => sendNow(ctx.db, ctx.team, input)),

  /** The outbox and delivery log (alerts and reports), with the delivery success rate. */
  outbox: teamProcedure({ role: 'admin', scope: null })
    .input(z.object({ limit: z.number().int().min(1).max(200).default(50) }).optional())
    .output(outboxSchema)
    .query(async ({ ctx, input }) => {
      const [messages, stats] = await Promise.all([
        email.listEmails(ctx.db, ctx.team.id, input?.limit ?? 50),
        email.deliveryStats(ctx.db, ctx.team.id),
      ])
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
          /** Messages kept in the outbox because no SMTP server is configured: not sent. */
          notSent: Number(stats.notSent),
          successRate: attempts === 0 ? null : Number(stats.succeeded) / attempts,
        },
      }
    }),
})
