import { AppError, HOUR_CYCLES, isValidTimeZone, roleSchema, tierSchema } from '@costwise/core'
import { audit, teams } from '@costwise/db'
import { z } from 'zod'
import {
  changeRoleInputSchema,
  inviteInputSchema,
  inviteMember,
  inviteViewSchema,
  listInvites,
  listMembers,
  memberRefSchema,
  memberViewSchema,
  removeMember,
  revokeInvite,
  changeRole,
  transferOwnership,
} from '../services/members'
import { auditBy } from '../audit'
import { createTRPCRouter, teamProcedure } from '../trpc'

const done = z.object({ ok: z.literal(true) })

/** What an admin may change about the team: each field optional, validated with an error naming it. */
export const teamSettingsInputSchema = z.object({
  name: z.string().trim().min(1, 'name is required').max(100, 'name: at most 100 characters').optional(),
  timeZone: z
    .string()
    .refine(
      (zone) => isValidTimeZone(zone),
      'timeZone: not a time zone; choose one from the list (an IANA name such as "Europe/Berlin")',
    )
    .optional(),
  hourCycle: z.enum(HOUR_CYCLES).optional(),
  retentionMonths: z
    .number()
    .int()
    .min(1, 'retentionMonths: at least 1')
    .max(120, 'retentionMonths: at most 120')
    .optional(),
})

/** The team's settings as shown to its members. */
export const teamViewSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  timeZone: z.string(),
  hourCycle: z.enum(HOUR_CYCLES),
  retentionMonths: z.number(),
  plan: tierSchema,
})

/** The active team (with the caller's role: null for an API key) and its members. */
export const currentTeamSchema = z.object({
  team: teamViewSchema.extend({ role: roleSchema.nullable() }),
  members: z.array(
    z.object({
      id: z.string(),
      email: z.string(),
      name: z.string(),
      role: roleSchema,
      cost_center_id: z.string().nullable(),
      joinedAt: z.string(),
    }),
  ),
})

function teamView(t: teams.TeamRecord): z.infer<typeof teamViewSchema> {
  return {
    id: t.id,
    slug: t.slug,
    name: t.name,
    timeZone: t.timeZone,
    hourCycle: t.hourCycle,
    retentionMonths: t.retentionMonths,
    plan: t.plan,
  }
}

export const teamsRouter = createTRPCRouter({
  /** The active team and its members. */
  current: teamProcedure({ role: 'viewer', scope: null })
    .output(currentTeamSchema)
    .query(async ({ ctx }) => {
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
        members: members.map(({ created_at, ...m }) => ({ ...m, joinedAt: created_at.toISOString() })),
      }
    }),

  /** Members with their roles and cost centres (you: the caller). */
  members: teamProcedure({ role: 'viewer', scope: null })
    .input(z.object({}).optional())
    .output(z.array(memberViewSchema))
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

  /** Team settings: name, time zone, 12/24-hour clock, usage retention (owners and admins; audited). */
  update: teamProcedure({ role: 'admin', scope: null })
    .input(teamSettingsInputSchema)
    .output(teamViewSchema)
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
