import { notifications } from '@costwise/db'
import { z } from 'zod'
import { createTRPCRouter, teamProcedure } from '../trpc'

/** A notice, newest first; `link` is where it points in the app. */
export const notificationViewSchema = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
})
export type NotificationView = z.infer<typeof notificationViewSchema>

/** The signed-in person's own notices in this team (budget requests and their answers, alerts routed to them). */
export const notificationsRouter = createTRPCRouter({
  list: teamProcedure({ role: 'viewer', scope: null })
    .input(z.object({ limit: z.number().int().min(1).max(200).default(50) }).optional())
    .output(z.object({ items: z.array(notificationViewSchema), unread: z.number() }))
    .query(async ({ ctx, input }) => {
      if (!ctx.team.userId) return { items: [], unread: 0 }
      const [rows, unread] = await Promise.all([
        notifications.listNotifications(ctx.db, ctx.team.id, ctx.team.userId, input?.limit ?? 50),
        notifications.countUnread(ctx.db, ctx.team.id, ctx.team.userId),
      ])
      return {
        items: rows.map((n) => ({
          ...n,
          createdAt: n.createdAt.toISOString(),
          readAt: n.readAt?.toISOString() ?? null,
        })),
        unread,
      }
    }),

  /** Marks notices read: these ids, or all of them. */
  markRead: teamProcedure({ role: 'member', scope: null })
    .input(z.object({ ids: z.array(z.uuid()).max(500).nullable() }))
    .output(z.object({ marked: z.number() }))
    .mutation(async ({ ctx, input }) => ({
      marked: ctx.team.userId
        ? (await notifications.markRead(ctx.db, ctx.team.id, ctx.team.userId, input.ids)).length
        : 0,
    })),
})
