import { z } from 'zod'
import {
  channelInputSchema,
  deleteChannel,
  deliveryViewSchema,
  listDeliveries,
  routeInputSchema,
  routingOverview,
  routingOverviewSchema,
  savedChannelSchema,
  saveChannel,
  saveRoute,
  testChannel,
  testChannelOutputSchema,
} from '../services/alert-channels'
import { createTRPCRouter, teamProcedure } from '../trpc'

// Where alerts go is an owner/admin setting: a key could otherwise point the team's alerts at itself.
const admin = () => teamProcedure({ role: 'admin', scope: null })
const done = z.object({ ok: z.literal(true) })

export const alertRoutingRouter = createTRPCRouter({
  /** The team default route, each budget's own route (or null: the default applies), and the channels. */
  overview: admin()
    .input(z.object({}).optional())
    .output(routingOverviewSchema)
    .query(({ ctx }) => routingOverview(ctx.db, ctx.team)),

  saveRoute: admin()
    .input(routeInputSchema)
    .output(done)
    .mutation(async ({ ctx, input }) => {
      await saveRoute(ctx.db, ctx.team, input)
      return { ok: true as const }
    }),

  /** Creates or changes a webhook or Slack channel; a new signing secret is shown once. */
  saveChannel: admin()
    .input(channelInputSchema)
    .output(savedChannelSchema)
    .mutation(({ ctx, input }) => saveChannel(ctx.db, ctx.team, input, ctx.config.webhooks)),

  deleteChannel: admin()
    .input(z.object({ id: z.uuid() }))
    .output(done)
    .mutation(async ({ ctx, input }) => {
      await deleteChannel(ctx.db, ctx.team, input.id)
      return { ok: true as const }
    }),

  /** Sends a test event through the real delivery path (job, signature, retries, log). */
  testChannel: admin()
    .input(z.object({ id: z.uuid() }))
    .output(testChannelOutputSchema)
    .mutation(({ ctx, input }) => testChannel(ctx.db, ctx.team, input.id)),

  /** The delivery log, newest first. */
  deliveries: admin()
    .input(z.object({ channelId: z.uuid().optional(), limit: z.number().int().min(1).max(200).default(50) }))
    .output(z.array(deliveryViewSchema))
    .query(({ ctx, input }) => listDeliveries(ctx.db, ctx.team, input)),
})
