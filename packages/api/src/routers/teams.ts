import { teams } from '@costwise/db'
import { z } from 'zod'
import {
  changeRoleInputSchema,
  inviteInputSchema,
  inviteMember,
  inviteViewSchema,
  listInvites,
  listMembers,
  memberRefSchema,
  removeMember,
  revokeInvite,
  changeRole,
  transferOwnership,
} from '../services/members'
import { createTRPCRouter, teamProcedure } from '../trpc'

const done = z.object({ ok: z.literal(true) })

export const teamsRouter = createTRPCRouter({
  /** The active team and its members. */
  current: teamProcedure({ role: 'viewer', scope: null }).query(async ({ ctx }) => {
    const members = await teams.listMembers(ctx.db, ctx.team.id)
    return {
      team: { id: ctx.team.id, slug: ctx.team.slug, name: ctx.team.name, timeZone: ctx.team.timeZone, plan: ctx.team.plan, role: ctx.team.role },
      members: members.map((m) => ({ ...m, created_at: undefined, joinedAt: m.created_at.toISOString() })),
    }
  }),

  /** Members with their roles and cost centres (you: the caller). */
  members: teamProcedure({ role: 'viewer', scope: null })
    .input(z.object({}).optional())
    .query(({ ctx }) => listMembers(ctx.db, ctx.team)),

  /** Invites someone by email (a link that expires in 7 days, mailed by the worker). Only owners invite admins. */
  invite: teamProcedure({ role: 'admin', scope: null })
    .input(inviteInputSchema)
    .output(z.object({ id: z.string(), email: z.string(), role: z.string(), expiresAt: z.string() }))
    .mutation(({ ctx, input }) => inviteMember(ctx.db, ctx.team, input)),

  invites: teamProcedure({ role: 'admin', scope: null })
    .input(z.object({}).optional())
    .output(z.array(inviteViewSchema))
    .query(({ ctx }) => listInvites(ctx.db, ctx.team)),

  revokeInvite: teamProcedure({ role: 'admin', scope: null })
    .input(z.object({ id: z.uuid() }))
    .output(done)
    .mutation(async ({ ctx, input }) => {
      await revokeInvite(ctx.db, ctx.team, input.id)
      return { ok: true as const }
    }),

  /** Admins manage members and viewers; owners grant or take away admin and owner. The last owner stays owner. */
  changeRole: teamProcedure({ role: 'admin', scope: null })
    .input(changeRoleInputSchema)
    .output(done)
    .mutation(async ({ ctx, input }) => {
      await changeRole(ctx.db, ctx.team, input)
      return { ok: true as const }
    }),

  /** Removes a member: their allocations return to the team, their sessions end. */
  removeMember: teamProcedure({ role: 'admin', scope: null })
    .input(memberRefSchema)
    .output(done)
    .mutation(async ({ ctx, input }) => {
      await removeMember(ctx.db, ctx.team, input.userId)
      return { ok: true as const }
    }),

  /** Makes another member owner; the caller becomes an admin. */
  transferOwnership: teamProcedure({ role: 'owner', scope: null })
    .input(memberRefSchema)
    .output(done)
    .mutation(async ({ ctx, input }) => {
      await transferOwnership(ctx.db, ctx.team, input.userId)
      return { ok: true as const }
    }),
})
