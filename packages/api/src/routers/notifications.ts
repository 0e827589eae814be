import { notifications } from '@costwise/db'
import { z } from 'zod'
import { createTRPCRouter, teamProcedure } from '../trpc'

/** The signed-in person's own notices in this team (budget requests and their answers, alerts routed to them). */
export const notificationsRouter = createTRPCRouter({
  list: teamProcedure({ role: 'viewer', scope: null })
    .input(z.object({ limit: z.number().int().min(1).max(200).default(50) }).optional())
    .query(async ({ ctx, input }) => {
      if (!ctx.team.userId) return { items: [], unread: 0 }
      const [rows, unread] = await Promise.all([
        notifications.listNotifications(ctx.db, ctx.team.id, ctx.team.userId, input?.limit ?? 50),
        notifications.countUnread(ctx.db, ctx.team.id, ctx.team.userId),
      ])
      return { items: rows.map((n) => ({ ...n, createdAt: n.createdAt.toISOString(), readAt: n.readAt?.toISOString() ?? null })), unread }
    }),

  /** Marks notices read: these ids, or all of them. */
  markRead: teamProcedure({ role: 'member', scope: null })
    .input(z.object({ ids: z.array(z.uuid()).max(500).nullable() }))
    .mutation(async ({ ctx, input }) => ({ marked: ctx.team.userId ? (await notifications.markRead(ctx.db, ctx.team.id, ctx.team.userId, input.ids)).length : 0 })),
})
