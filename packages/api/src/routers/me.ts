import { roleSchema, tierSchema } from '@costwise/core'
import { z } from 'zod'
import { createTRPCRouter, userProcedure } from '../trpc'

const membershipSchema = z.object({ id: z.string(), slug: z.string(), name: z.string(), role: roleSchema, timeZone: z.string(), plan: tierSchema })
const meSchema = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
  teams: z.array(membershipSchema),
  /** The team the request works in (the URL's or the first); null for a user in no team. */
  activeTeam: membershipSchema.nullable(),
})

export const meRouter = createTRPCRouter({
  /** The signed-in user, their teams (with each team's plan), and the team they are working in. */
  get: userProcedure.output(meSchema).query(({ ctx }) => {
    const { user, memberships } = ctx.session
    const teams = memberships.map((m) => ({ id: m.id, slug: m.slug, name: m.name, role: m.role, timeZone: m.timeZone, plan: m.plan }))
    const activeTeam = teams.find((t) => t.slug === ctx.teamSlug) ?? teams[0] ?? null
    return {
      user: { id: user.id, email: user.email, name: user.name },
      teams,
      activeTeam,
    }
  }),
})
