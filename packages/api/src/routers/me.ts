import { tierSchema } from '@costwise/core'
import { users } from '@costwise/db'
import { z } from 'zod'
import { createTRPCRouter, userProcedure } from '../trpc'

export const meRouter = createTRPCRouter({
  /** The signed-in user, their tier and teams, and the team they are working in. */
  get: userProcedure.query(({ ctx }) => {
    const { user, memberships } = ctx.session
    const teams = memberships.map((m) => ({ id: m.id, slug: m.slug, name: m.name, role: m.role, timeZone: m.timeZone }))
    const activeTeam = teams.find((t) => t.slug === ctx.teamSlug) ?? teams[0] ?? null
    return {
      user: { id: user.id, email: user.email, name: user.name, tier: user.tier },
      teams,
      activeTeam,
    }
  }),

  /** Changes the caller's own subscription tier. Billing is out of scope, so this is a development setting. */
  setTier: userProcedure.input(z.object({ tier: tierSchema })).mutation(async ({ ctx, input }) => {
    await users.setUserTier(ctx.db, ctx.session.user.id, input.tier)
    return { tier: input.tier }
  }),
})
