import { nanoToUsd, periodWindow, usdToNano } from '@costwise/core'
import { usage } from '@costwise/db'
import { DateTime } from 'luxon'
import { z } from 'zod'
import { compareInputSchema, compareMembers, teamUsage, teamUsageInputSchema } from '../services/team-usage'
import { createTRPCRouter, teamProcedure } from '../trpc'

const dailyInput = z
  .object({
    days: z.number().int().min(1).max(366).default(30),
    from: z.iso.date().optional(),
    to: z.iso.date().optional(),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: '"from" must not be after "to"', path: ['from'] })

export const analyticsRouter = createTRPCRouter({
  /** Cost, tokens and runs per day in the team's time zone, every day present (zero when idle). */
  daily: teamProcedure({ role: 'viewer', scope: 'usage:read' })
    .input(dailyInput.optional())
    .query(async ({ ctx, input }) => {
      const zone = ctx.team.timeZone
      const today = DateTime.fromJSDate(periodWindow('day', new Date(), zone).start, { zone })
      const to = input?.to ? DateTime.fromISO(input.to, { zone }) : today
      const from = input?.from ? DateTime.fromISO(input.from, { zone }) : to.minus({ days: (input?.days ?? 30) - 1 })
      const rows = await usage.dailyUsage(ctx.db, ctx.team.id, from.toISODate()!, to.toISODate()!)
      const byDay = new Map(rows.map((r) => [r.day, r]))
      const days = []
      let costNano = 0n
      const totals = { inputTokens: 0, outputTokens: 0, runs: 0 }
      for (let d = from; d <= to; d = d.plus({ days: 1 })) {
        const date = d.toISODate()!
        const row = byDay.get(date)
        const day = {
          date,
          costUsd: row?.costUsd ?? '0.000000000',
          inputTokens: Number(row?.inputTokens ?? 0),
          outputTokens: Number(row?.outputTokens ?? 0),
          runs: Number(row?.runs ?? 0),
        }
        days.push(day)
        costNano += usdToNano(day.costUsd)
        totals.inputTokens += day.inputTokens
        totals.outputTokens += day.outputTokens
        totals.runs += day.runs
      }
      return { timeZone: zone, days, totals: { costUsd: nanoToUsd(costNano), ...totals } }
    }),
  /** The team usage page: a row per member and the team's efficiency figures (same rollups and filters as stats). */
  teamUsage: teamProcedure({ role: 'viewer', scope: 'usage:read', feature: 'teamAnalytics' })
    .input(teamUsageInputSchema)
    .query(({ ctx, input }) => teamUsage(ctx.db, ctx.team, input)),

  /** Cost per day of two to five members, side by side. */
  compareMembers: teamProcedure({ role: 'viewer', scope: 'usage:read', feature: 'teamAnalytics' })
    .input(compareInputSchema)
    .query(({ ctx, input }) => compareMembers(ctx.db, ctx.team, input)),
})
