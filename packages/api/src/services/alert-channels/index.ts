import { randomUUID } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { isIP } from 'node:net'
import { AppError, budgetScopeSchema, formatUsd, usdToNano } from '@costwise/core'
import { alertRouting, audit, budgets, jobs, type Db } from '@costwise/db'
import { z } from 'zod'
import { auditBy } from '../../audit'
import { newSecret } from '../../auth/secrets'
import type { TeamScope } from '../../trpc'
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook } from './signature'
import { checkChannelUrl, guardedLookup, isPrivateAddress, type WebhookNetworkPolicy } from './ssrf'

export {
  signWebhook,
  verifyWebhookSignature,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  DELIVERY_HEADER,
  EVENT_HEADER,
} from './signature'
export { isPrivateAddress, checkChannelUrl, type WebhookNetworkPolicy } from './ssrf'

// ---- routes ------------------------------------------------------------------------------------

/** Who hears about a budget's alerts when neither the budget nor the team has a route: owners and admins, by email and in the app. */
export const DEFAULT_ROUTE: alertRouting.RouteValues = {
  notifyOwners: true,
  notifyAdmins: true,
  notifyMember: false,
  addresses: [],
  viaEmail: true,
  viaInApp: true,
  channelIds: [],
}

export const routeInputSchema = z
  .object({
    /** Null or absent: the team's default route. */
    budgetId: z.uuid('budgetId must be a UUID').nullish(),
    /** For a budget: drop its own route and use the team default again. */
    inherit: z.boolean().default(false),
    notifyOwners: z.boolean().default(true),
    notifyAdmins: z.boolean().default(true),
    notifyMember: z.boolean().default(false),
    addresses: z
      .array(z.string().trim().toLowerCase().email('each address must be an email address'))
      .max(50, 'at most 50 addresses')
      .default([]),
    viaEmail: z.boolean().default(true),
    viaInApp: z.boolean().default(true),
    channelIds: z.array(z.uuid('each channel id must be a UUID')).max(20).default([]),
  })
  .refine(
    (r) => r.inherit || r.notifyOwners || r.notifyAdmins || r.notifyMember || r.addresses.length || r.channelIds.length,
    {
      message: 'choose someone to tell: owners, admins, the member concerned, an address or a channel',
      path: ['notifyOwners'],
    },
  )
  .refine((r) => !r.inherit || r.budgetId, {
    message: 'only a budget’s route can fall back to the team default',
    path: ['inherit'],
  })

export async function routingOverview(db: Db, team: TeamScope): Promise<RoutingOverview> {
  const [routes, channels, budgetList] = await Promise.all([
    alertRouting.listRoutes(db, team.id),
    alertRouting.listChannels(db, team.id),
    budgets.listBudgets(db, team.id),
  ])
  const teamDefault = routes.find((r) => r.budgetId === null)
  return {
    teamDefault: teamDefault ? routeView(teamDefault) : { ...DEFAULT_ROUTE, builtIn: true },
    budgets: budgetList.map((b) => {
      const own = routes.find((r) => r.budgetId === b.id)
      return { budgetId: b.id, name: b.name, scope: b.scope, route: own ? routeView(own) : null }
    }),
    channels: channels.map(channelView),
  }
}

function routeView(r: alertRouting.RouteRow) {
  const { id: _id, budgetId: _budgetId, ...values } = r
  return { ...values, builtIn: false }
}

export async function saveRoute(db: Db, team: TeamScope, raw: z.input<typeof routeInputSchema>) {
  const input = routeInputSchema.parse(raw)
  const budgetId = input.budgetId ?? null
  await db.transaction().execute(async (trx) => {
    if (budgetId && !(await budgets.findBudget(trx, team.id, budgetId))) {
      throw new AppError('BAD_INPUT', 'budgetId: no budget with this id in your team.', { field: 'budgetId' })
    }
    if (input.inherit && budgetId) {
      const before = await alertRouting.deleteRoute(trx, team.id, budgetId)
      if (before) {
        await audit.record(trx, {
          ...auditBy(team),
          action: 'alert_route.updated',
          target: { type: 'budget', id: budgetId },
          before: routeView(before),
          after: { inherit: true },
        })
      }
      return
    }
    const channels = new Set((await alertRouting.listChannels(trx, team.id)).map((c) => c.id))
    input.channelIds.forEach((id, i) => {
      if (!channels.has(id))
        throw new AppError('BAD_INPUT', `channelIds.${i}: no channel with this id in your team.`, {
          field: `channelIds.${i}`,
        })
    })
    const values: alertRouting.RouteValues = {
      notifyOwners: input.notifyOwners,
      notifyAdmins: input.notifyAdmins,
      notifyMember: input.notifyMember,
      addresses: [...new Set(input.addresses)],
      viaEmail: input.viaEmail,
      viaInApp: input.viaInApp,
      channelIds: [...new Set(input.channelIds)],
    }
    const { before } = await alertRouting.saveRoute(trx, team.id, budgetId, values)
    await audit.record(trx, {
      ...auditBy(team),
      action: 'alert_route.updated',
      target: budgetId ? { type: 'budget', id: budgetId } : { type: 'team', id: team.id },
      before: before ? routeView(before) : null,
      after: values,
    })
  })
}

// ---- channels ----------------------------------------------------------------------------------

export const channelInputSchema = z.object({
  id: z.uuid().optional(),
  kind: z.enum(['webhook', 'slack']).default('webhook'),
  name: z.string().trim().min(1, 'give the channel a name').max(200),
  url: z.string().trim().min(1, 'give the address to post to').max(2000),
  active: z.boolean().default(true),
  /** Make a new signing secret (the old one stops working). */
  rotateSecret: z.boolean().default(false),
})

const routeViewSchema = z.object({
  /** True for the built-in default (nothing saved yet). */
  builtIn: z.boolean(),
  notifyOwners: z.boolean(),
  notifyAdmins: z.boolean(),
  notifyMember: z.boolean(),
  addresses: z.array(z.string()),
  viaEmail: z.boolean(),
  viaInApp: z.boolean(),
  channelIds: z.array(z.string()),
})

const channelKindSchema = z.enum(['webhook', 'slack'])

/** A channel as shown: the signing secret only as its first characters. */
export const channelViewSchema = z.object({
  id: z.string(),
  kind: channelKindSchema,
  name: z.string(),
  url: z.string(),
  active: z.boolean(),
  secretHint: z.string(),
  createdAt: z.string(),
})

export const routingOverviewSchema = z.object({
  teamDefault: routeViewSchema,
  /** Each budget's own route, or null: the team default applies. */
  budgets: z.array(
    z.object({ budgetId: z.string(), name: z.string(), scope: budgetScopeSchema, route: routeViewSchema.nullable() }),
  ),
  channels: z.array(channelViewSchema),
})
export type RoutingOverview = z.infer<typeof routingOverviewSchema>

/** The saved channel, and its signing secret when it is new (creation or rotation) — shown this once. */
export const savedChannelSchema = z.object({ channel: channelViewSchema, secret: z.string().nullable() })

export const testChannelOutputSchema = z.object({ deliveryId: z.string() })

export const deliveryViewSchema = z.object({
  id: z.string(),
  channelId: z.string(),
  channelName: z.string(),
  kind: channelKindSchema,
  event: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number(),
  lastStatusCode: z.number().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
})
export type DeliveryView = z.infer<typeof deliveryViewSchema>

function channelView(c: alertRouting.ChannelRow): z.infer<typeof channelViewSchema> {
  return {
    id: c.id,
    kind: c.kind,
    name: c.name,
    url: c.url,
    active: c.active,
    secretHint: `${c.secret.slice(0, 6)}…`,
    createdAt: c.createdAt.toISOString(),
  }
}

const channelAudit = (c: alertRouting.ChannelRow) => ({ kind: c.kind, name: c.name, url: c.url, active: c.active })

/** Creates or changes a channel; the signing secret is returned when it is new (creation or rotation), and only then. */
/** `policy`: which URLs this process may save (`ctx.config.webhooks`; the worker passes its own to {@link deliverWebhook}). */
export async function saveChannel(
  db: Db,
  team: TeamScope,
  raw: z.input<typeof channelInputSchema>,
  policy: WebhookNetworkPolicy,
) {
  const input = channelInputSchema.parse(raw)
  const url = checkChannelUrl(input.url, input.kind, policy).toString()
  return db.transaction().execute(async (trx) => {
    if (!input.id) {
      const secret = `whsec_${newSecret(24)}`
      const created = await alertRouting.insertChannel(trx, {
        teamId: team.id,
        kind: input.kind,
        name: input.name,
        url,
        secret,
        createdBy: team.userId,
      })
      await audit.record(trx, {
        ...auditBy(team),
        action: 'alert_channel.created',
        target: { type: 'alert_channel', id: created.id },
        after: channelAudit(created),
      })
      return { channel: channelView(created), secret }
    }
    const before = await alertRouting.findChannel(trx, team.id, input.id)
    if (!before) throw new AppError('NOT_FOUND', 'No channel with this id in your team.', { field: 'id' })
    if (before.kind !== input.kind)
      throw new AppError('BAD_INPUT', 'kind: a channel keeps its kind; add a new channel instead.', { field: 'kind' })
    const secret = input.rotateSecret ? `whsec_${newSecret(24)}` : undefined
    const updated = await alertRouting.updateChannel(trx, team.id, input.id, {
      name: input.name,
      url,
      active: input.active,
      secret,
    })
    if (!updated) throw new AppError('NOT_FOUND', 'No channel with this id in your team.', { field: 'id' })
    await audit.record(trx, {
      ...auditBy(team),
      action: 'alert_channel.updated',
      target: { type: 'alert_channel', id: updated.id },
      before: channelAudit(before),
      after: { ...channelAudit(updated), secretRotated: Boolean(secret) },
    })
    return { channel: channelView(updated), secret: secret ?? null }
  })
}

export async function deleteChannel(db: Db, team: TeamScope, id: string) {
  await db.transaction().execute(async (trx) => {
    const deleted = await alertRouting.deleteChannel(trx, team.id, id)
    if (!deleted) throw new AppError('NOT_FOUND', 'No channel with this id in your team.', { field: 'id' })
    await audit.record(trx, {
      ...auditBy(team),
      action: 'alert_channel.deleted',
      target: { type: 'alert_channel', id },
      before: channelAudit(deleted),
    })
  })
}

/** "Send test": a test event through the same delivery path (job, signature, retries, log) as real alerts. */
export async function testChannel(db: Db, team: TeamScope, id: string, now = new Date()) {
  return db.transaction().execute(async (trx) => {
    const channel = await alertRouting.findChannel(trx, team.id, id)
    if (!channel) throw new AppError('NOT_FOUND', 'No channel with this id in your team.', { field: 'id' })
    const deliveryId = randomUUID()
    const data = {
      team: { slug: team.slug, name: team.name },
      message: 'A test from Costwise: this channel receives budget alerts.',
    }
    await alertRouting.queueDeliveries(trx, [
      {
        id: deliveryId,
        teamId: team.id,
        channelId: channel.id,
        dedupeKey: `test:${deliveryId}`,
        event: 'test',
        payload: bodyFor(
          channel.kind,
          deliveryId,
          'test',
          data,
          `:white_check_mark: Costwise test message for team ${team.name}: this channel receives budget alerts.`,
          now,
        ),
      },
    ])
    await jobs.enqueueJob(
      trx,
      'webhook__deliver',
      { deliveryId },
      { jobKey: `webhook__deliver:${deliveryId}`, maxAttempts: WEBHOOK_MAX_ATTEMPTS },
    )
    await audit.record(trx, {
      ...auditBy(team),
      action: 'alert_channel.tested',
      target: { type: 'alert_channel', id },
      after: { deliveryId },
    })
    return { deliveryId }
  })
}

export async function listDeliveries(
  db: Db,
  team: TeamScope,
  input: { channelId?: string; limit?: number },
): Promise<DeliveryView[]> {
  const rows = await alertRouting.listDeliveries(db, team.id, { channelId: input.channelId, limit: input.limit ?? 50 })
  return rows.map((d) => ({
    ...d,
    createdAt: d.createdAt.toISOString(),
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
  }))
}

// ---- deliveries ----------------------------------------------------------------------------------

/** Attempts per delivery; graphile-worker retries a failed job with exponential backoff (e^attempt seconds). */
export const WEBHOOK_MAX_ATTEMPTS = 8

/** The JSON a channel is sent: a signed envelope for webhooks, a message for Slack's incoming webhooks. */
export function bodyFor(
  kind: 'webhook' | 'slack',
  id: string,
  type: string,
  data: Record<string, unknown>,
  text: string,
  now: Date,
): Record<string, unknown> {
  if (kind === 'slack') return { text }
  return { id, type, createdAt: now.toISOString(), data }
}

export interface AlertForChannels {
  id: string
  teamName: string
  teamSlug: string
  /** Null for alerts that concern no budget (a spend anomaly). */
  budgetId: string | null
  budgetName: string | null
  period: string | null
  mode: string | null
  /** Null unless the alert is a budget threshold crossed. */
  threshold: number | null
  level: string
  kind?: 'budget_threshold' | 'budget_forecast' | 'spend_anomaly'
  /** One line saying what happened, for alerts other than a threshold crossed (the email's subject). */
  headline?: string
  spentUsd: string
  limitUsd: string
  periodStart: Date
  createdAt: Date
}

/** One delivery per channel of an alert's route (once per alert and channel), each sent by its own job. */
export async function queueAlertDeliveries(
  db: Db,
  alert: AlertForChannels & { teamId: string },
  channels: alertRouting.ChannelRow[],
  appUrl: string,
  now = new Date(),
) {
  const spent = formatUsd(usdToNano(alert.spentUsd))
  const limit = formatUsd(usdToNano(alert.limitUsd))
  const link = `${appUrl.replace(/\/+$/, '')}/dashboard/alerts`
  const data = {
    alertId: alert.id,
    team: { slug: alert.teamSlug, name: alert.teamName },
    kind: alert.kind ?? 'budget_threshold',
    budget:
      alert.budgetId === null
        ? null
        : { id: alert.budgetId, name: alert.budgetName, period: alert.period, mode: alert.mode },
    threshold: alert.threshold,
    level: alert.level,
    spentUsd: alert.spentUsd,
    limitUsd: alert.limitUsd,
    periodStart: alert.periodStart.toISOString(),
    url: link,
  }
  const icon =
    alert.level === 'critical' ? ':rotating_light:' : alert.level === 'warning' ? ':warning:' : ':information_source:'
  const text =
    (alert.kind ?? 'budget_threshold') === 'budget_threshold'
      ? `${icon} Costwise: budget “${alert.budgetName}” of team ${alert.teamName} reached ${alert.threshold}% (${spent} of ${limit}, ${alert.mode} ${alert.period} budget). ${link}`
      : `${icon} Costwise: ${alert.headline ?? 'a new alert'} (team ${alert.teamName}). ${link}`
  const queued = await alertRouting.queueDeliveries(
    db,
    channels
      .filter((c) => c.active)
      .map((c) => {
        const id = randomUUID()
        return {
          id,
          teamId: alert.teamId,
          channelId: c.id,
          dedupeKey: `alert:${alert.id}:channel:${c.id}`,
          event: 'alert.threshold_crossed',
          payload: bodyFor(c.kind, id, 'alert.threshold_crossed', data, text, now),
        }
      }),
  )
  for (const d of queued.filter((q) => q.status !== 'delivered')) {
    await jobs.enqueueJob(
      db,
      'webhook__deliver',
      { deliveryId: d.id },
      { jobKey: `webhook__deliver:${d.id}`, maxAttempts: WEBHOOK_MAX_ATTEMPTS },
    )
  }
  return queued.length
}

interface PostResult {
  statusCode: number | null
  error: string | null
}

function post(
  url: URL,
  body: string,
  headers: Record<string, string>,
  policy: WebhookNetworkPolicy,
  timeoutMs: number,
): Promise<PostResult> {
  const host = url.hostname.replace(/^\[|\]$/g, '')
  // A literal address never goes through DNS, so it is checked here; names are checked by the guarded lookup.
  if (!policy.allowPrivateNetworks && (host === 'localhost' || (isIP(host) && isPrivateAddress(host)))) {
    return Promise.resolve({
      statusCode: null,
      error: `refused: ${host} is a private address; webhooks go to public addresses only`,
    })
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise((resolve) => {
    const req = send(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Costwise-Webhooks/1',
          'content-length': Buffer.byteLength(body).toString(),
          ...headers,
        },
        lookup: guardedLookup(policy),
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (c: Buffer) => {
          if (size < 1024) chunks.push(c)
          size += c.length
        })
        res.on('end', () => {
          const status = res.statusCode ?? 0
          const ok = status >= 200 && status < 300
          const snippet = Buffer.concat(chunks).toString('utf8').slice(0, 300)
          resolve({ statusCode: status, error: ok ? null : `HTTP ${status}${snippet ? `: ${snippet}` : ''}` })
        })
        res.on('error', (e) => resolve({ statusCode: res.statusCode ?? null, error: e.message }))
      },
    )
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)))
    req.on('error', (e) => resolve({ statusCode: null, error: e.message }))
    req.end(body)
  })
}

/**
 * Sends one delivery (the worker's `webhook__deliver`): signs the body, posts it, and logs the attempt. A failure
 * is returned (the task throws so graphile-worker retries with backoff); a delivered or in-flight delivery is left
 * alone. At least once: a crash after the receiver answered but before the log is written sends it again, with
 * the same `X-Costwise-Delivery` id, so receivers can drop the duplicate.
 */
export async function deliverWebhook(
  db: Db,
  deliveryId: string,
  options: { policy: WebhookNetworkPolicy; timeoutMs?: number; now?: () => Date },
) {
  const now = options.now ?? (() => new Date())
  return db.transaction().execute(async (trx) => {
    const d = await alertRouting.lockDelivery(trx, deliveryId)
    if (!d) return { status: 'skipped' as const, reason: 'missing or in flight' }
    if (d.status === 'delivered') return { status: 'delivered' as const, statusCode: null, attempts: d.attempts }
    if (!d.active) {
      await alertRouting.recordAttempt(trx, {
        deliveryId,
        ok: false,
        statusCode: null,
        error: 'channel is paused',
        durationMs: 0,
      })
      return { status: 'skipped' as const, reason: 'channel is paused' }
    }
    const body = JSON.stringify(d.payload)
    const timestamp = Math.floor(now().getTime() / 1000)
    const started = performance.now()
    const result = await post(
      new URL(d.url),
      body,
      {
        [SIGNATURE_HEADER]: signWebhook(d.secret, timestamp, body),
        [TIMESTAMP_HEADER]: String(timestamp),
        [DELIVERY_HEADER]: d.id,
        [EVENT_HEADER]: d.event,
      },
      options.policy,
      options.timeoutMs ?? 10_000,
    )
    const ok = result.error === null
    await alertRouting.recordAttempt(
      trx,
      {
        deliveryId,
        ok,
        statusCode: result.statusCode,
        error: result.error,
        durationMs: Math.round(performance.now() - started),
      },
      now(),
    )
    return ok
      ? { status: 'delivered' as const, statusCode: result.statusCode, attempts: d.attempts + 1 }
      : { status: 'failed' as const, statusCode: result.statusCode, error: result.error!, attempts: d.attempts + 1 }
  })
}
