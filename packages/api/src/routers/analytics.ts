import {
  DEFAULT_RANGE_DAYS,
  MAX_RANGE_DAYS,
  addDays,
  isoDaySchema,
  localDayOf,
  nanoToUsd,
  refineFromBeforeTo,
  resolveDayRange,
  usdToNano,
} from '@costwise/core'
import { usage } from '@costwise/db'
import { z } from 'zod'
import {
  compareInputSchema,
  compareMembers,
  compareOutputSchema,
  teamUsage,
  teamUsageInputSchema,
  teamUsageOutputSchema,
} from '../services/team-usage'
import { createTRPCRouter, teamProcedure } from '../trpc'

const dailyInput = z
  .object({
    days: z.number().int().min(1).max(MAX_RANGE_DAYS).default(DEFAULT_RANGE_DAYS),
    from: isoDaySchema.optional(),
    to: isoDaySchema.optional(),
  })
  .superRefine(refineFromBeforeTo)

const dailyOutput = z.object({
  timeZone: z.string(),
  days: z.array(
    z.object({
      date: z.string(),
      costUsd: z.string(),
      inputTokens: z.number(),
      outputTokens: z.number(),
      runs: z.number(),
    }),
  ),
  totals: z.object({ costUsd: z.string(), inputTokens: z.number(), outputTokens: z.number(), runs: z.number() }),
})

export const analyticsRouter = createTRPCRouter({
  /** Cost, tokens and runs per day in the team's time zone, every day present (zero when idle). */
  daily: teamProcedure({ role: 'viewer', scope: 'usage:read' })
    .input(dailyInput.optional())
    .output(dailyOutput)
    .query(async ({ ctx, input }) => {
      const zone = ctx.team.timeZone
      const to = input?.to ?? localDayOf(zone)
      const { from } = resolveDayRange(
        { from: input?.from ?? addDays(to, -((input?.days ?? DEFAULT_RANGE_DAYS) - 1)), to },
        to,
      )
      const rows = await usage.dailyUsage(ctx.db, ctx.team.id, from, to)
      const byDay = new Map(rows.map((r) => [r.day, r]))
      const days = []
      let costNano = 0n
      const totals = { inputTokens: 0, outputTokens: 0, runs: 0 }
      for (let date = from; date <= to; date = addDays(date, 1)) {
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
    .output(teamUsageOutputSchema)
    .query(({ ctx, input }) => teamUsage(ctx.db, ctx.team, input)),

  /** Cost per day of two to five members, side by side. */
  compareMembers: teamProcedure({ role: 'viewer', scope: 'usage:read', feature: 'teamAnalytics' })
    .input(compareInputSchema)
    .output(compareOutputSchema)
    .query(({ ctx, input }) => compareMembers(ctx.db, ctx.team, input)),
})
