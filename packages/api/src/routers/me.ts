import { roleSchema, tierSchema } from '@costwise/core'
import { z } from 'zod'
import { acceptInvite, inviteTokenSchema, removeMember } from '../services/members'
import { createTRPCRouter, resolveTeamScope, userProcedure } from '../trpc'

const membershipSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  role: roleSchema,
  timeZone: z.string(),
  plan: tierSchema,
})
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
    const teams = memberships.map((m) => ({
      id: m.id,
      slug: m.slug,
      name: m.name,
      role: m.role,
      timeZone: m.timeZone,
      plan: m.plan,
    }))
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
  /**
   * Leaves the active team (any role, viewers too; the last owner can't: transfer ownership first). The team is
   * the caller's own membership, resolved from identity like every team procedure.
   */
  leaveTeam: userProcedure
    .input(z.object({ confirm: z.literal(true, { error: 'confirm must be true' }) }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx }) => {
      const team = await resolveTeamScope(ctx)
      await removeMember(ctx.db, team, ctx.session.user.id, { self: true })
      return { ok: true as const }
    }),
})
