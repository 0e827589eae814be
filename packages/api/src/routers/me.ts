import { z } from 'zod'
import { acceptInvite, inviteTokenSchema } from '../services/members'
import { createTRPCRouter, userProcedure } from '../trpc'

export const meRouter = createTRPCRouter({
  /** The signed-in user, their teams (with each team's plan), and the team they are working in. */
  get: userProcedure.query(({ ctx }) => {
    const { user, memberships } = ctx.session
    const teams = memberships.map((m) => ({ id: m.id, slug: m.slug, name: m.name, role: m.role, timeZone: m.timeZone, plan: m.plan }))
    const activeTeam = teams.find((t) => t.slug === ctx.teamSlug) ?? teams[0] ?? null
    return {
      user: { id: user.id, email: user.email, name: user.name },
      teams,
      activeTeam,
    }
  }),

  /** Accepts an invitation sent to the signed-in user's own address; returns the team joined. */
  acceptInvite: userProcedure
    .input(z.object({ token: inviteTokenSchema }))
    .output(z.object({ teamSlug: z.string(), teamName: z.string() }))
    .mutation(({ ctx, input }) => acceptInvite(ctx.db, ctx.session.user, input.token, ctx.ip)),
})
