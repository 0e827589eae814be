import { teams } from '@costwise/db'
import { createTRPCRouter, teamProcedure } from '../trpc'

export const teamsRouter = createTRPCRouter({
  /** The active team and its members. */
  current: teamProcedure({ role: 'viewer', scope: null }).query(async ({ ctx }) => {
    const members = await teams.listMembers(ctx.db, ctx.team.id)
    return {
      team: { id: ctx.team.id, slug: ctx.team.slug, name: ctx.team.name, timeZone: ctx.team.timeZone, plan: ctx.team.plan, role: ctx.team.role },
      members: members.map((m) => ({ ...m, created_at: undefined, joinedAt: m.created_at.toISOString() })),
    }
  }),
})
