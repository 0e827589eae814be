import { AppError, HOUR_CYCLES, isValidTimeZone } from '@costwise/core'
import { audit, teams } from '@costwise/db'
import { z } from 'zod'
import { auditBy } from '../audit'
import { createTRPCRouter, teamProcedure } from '../trpc'

/** What an admin may change about the team: each field optional, validated with an error naming it. */
export const teamSettingsInputSchema = z.object({
  name: z.string().trim().min(1, 'name is required').max(100, 'name: at most 100 characters').optional(),
  timeZone: z
    .string()
    .refine((zone) => isValidTimeZone(zone), 'timeZone: not a time zone; choose one from the list (an IANA name such as "Europe/Berlin")')
    .optional(),
  hourCycle: z.enum(HOUR_CYCLES).optional(),
  retentionMonths: z.number().int().min(1, 'retentionMonths: at least 1').max(120, 'retentionMonths: at most 120').optional(),
})

function teamView(t: teams.TeamRecord) {
  return { id: t.id, slug: t.slug, name: t.name, timeZone: t.timeZone, hourCycle: t.hourCycle, retentionMonths: t.retentionMonths, plan: t.plan }
}

export const teamsRouter = createTRPCRouter({
  /** The active team and its members. */
  current: teamProcedure({ role: 'viewer', scope: null }).query(async ({ ctx }) => {
    const members = await teams.listMembers(ctx.db, ctx.team.id)
    return {
      team: {
        id: ctx.team.id,
        slug: ctx.team.slug,
        name: ctx.team.name,
        timeZone: ctx.team.timeZone,
        hourCycle: ctx.team.hourCycle ?? 'h12',
        retentionMonths: ctx.team.retentionMonths,
        plan: ctx.team.plan,
        role: ctx.team.role,
      },
      members: members.map((m) => ({ ...m, created_at: undefined, joinedAt: m.created_at.toISOString() })),
    }
  }),

  /** Team settings: name, time zone, 12/24-hour clock, usage retention (owners and admins; audited). */
  update: teamProcedure({ role: 'admin', scope: null })
    .input(teamSettingsInputSchema)
    .mutation(async ({ ctx, input }) => {
      const changed = await ctx.db.transaction().execute(async (trx) => {
        const result = await teams.updateTeamSettings(trx, ctx.team.id, input)
        if (!result) throw new AppError('NOT_FOUND', 'Your team no longer exists.')
        await audit.record(trx, {
          ...auditBy(ctx.team),
          action: 'team.updated',
          target: { type: 'team', id: ctx.team.id },
          before: teamView(result.before),
          after: teamView(result.after),
        })
        return result.after
      })
      return teamView(changed)
    }),
})
