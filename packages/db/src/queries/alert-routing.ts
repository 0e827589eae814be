import { sql } from 'kysely'
import type { Db } from '../client'
import type { AlertChannelKind } from '../schema'

type Executor = Db

// ---- channels ----------------------------------------------------------------------------------

export interface ChannelRow {
  id: string
  teamId: string
  kind: AlertChannelKind
  name: string
  url: string
  secret: string
  active: boolean
  createdAt: Date
}

const channelColumns = [
  'id',
  'team_id as teamId',
  'kind',
  'name',
  'url',
  'secret',
  'active',
  'created_at as createdAt',
] as const

export async function listChannels(db: Executor, teamId: string): Promise<ChannelRow[]> {
  return db
    .selectFrom('alert_channels')
    .select(channelColumns)
    .where('team_id', '=', teamId)
    .orderBy('created_at')
    .execute()
}

export async function findChannel(db: Executor, teamId: string, id: string): Promise<ChannelRow | undefined> {
  return db
    .selectFrom('alert_channels')
    .select(channelColumns)
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .executeTakeFirst()
}

export async function insertChannel(
  db: Executor,
  input: {
    teamId: string
    kind: AlertChannelKind
    name: string
    url: string
    secret: string
    createdBy: string | null
  },
): Promise<ChannelRow> {
  return db
    .insertInto('alert_channels')
    .values({
      team_id: input.teamId,
      kind: input.kind,
      name: input.name,
      url: input.url,
      secret: input.secret,
      created_by: input.createdBy,
    })
    .returning(channelColumns)
    .executeTakeFirstOrThrow()
}

export async function updateChannel(
  db: Executor,
  teamId: string,
  id: string,
  input: { name: string; url: string; active: boolean; secret?: string },
): Promise<ChannelRow | undefined> {
  return db
    .updateTable('alert_channels')
    .set({ name: input.name, url: input.url, active: input.active, ...(input.secret ? { secret: input.secret } : {}) })
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .returning(channelColumns)
    .executeTakeFirst()
}

export async function deleteChannel(db: Executor, teamId: string, id: string): Promise<ChannelRow | undefined> {
  return db
    .deleteFrom('alert_channels')
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .returning(channelColumns)
    .executeTakeFirst()
}

// ---- routes ------------------------------------------------------------------------------------

export interface RouteRow {
  id: string
  budgetId: string | null
  notifyOwners: boolean
  notifyAdmins: boolean
  notifyMember: boolean
  addresses: string[]
  viaEmail: boolean
  viaInApp: boolean
  channelIds: string[]
}

export async function listRoutes(db: Executor, teamId: string): Promise<RouteRow[]> {
  const rows = await db
    .selectFrom('alert_routes as r')
    .select([
      'r.id',
      'r.budget_id as budgetId',
      'r.notify_owners as notifyOwners',
      'r.notify_admins as notifyAdmins',
      'r.notify_member as notifyMember',
      'r.addresses',
      'r.via_email as viaEmail',
      'r.via_in_app as viaInApp',
      sql<
        string[]
      >`coalesce((select array_agg(c.channel_id::text order by c.channel_id) from alert_route_channels c where c.route_id = r.id), '{}')`.as(
        'channelIds',
      ),
    ])
    .where('r.team_id', '=', teamId)
    .orderBy('r.budget_id', (ob) => ob.nullsFirst())
    .execute()
  return rows
}

/** The budget's own route, else the team's default (alerts without a budget — spend anomalies — take the default). */
export async function routeFor(db: Executor, teamId: string, budgetId: string | null): Promise<RouteRow | undefined> {
  const routes = (await listRoutes(db, teamId)).filter((r) => r.budgetId === budgetId || r.budgetId === null)
  return (
    (budgetId === null ? undefined : routes.find((r) => r.budgetId === budgetId)) ??
    routes.find((r) => r.budgetId === null)
  )
}

/** What a route says, without its identity: the values `saveRoute` writes. */
export type RouteValues = Omit<RouteRow, 'id' | 'budgetId'>

/** Creates or replaces the route of a budget (or the team default, `budgetId` null). Returns the route it replaced. */
export async function saveRoute(
  db: Executor,
  teamId: string,
  budgetId: string | null,
  values: RouteValues,
): Promise<{ before: RouteRow | undefined; id: string }> {
  const before = (await listRoutes(db, teamId)).find((r) => r.budgetId === budgetId)
  const row = await db
    .insertInto('alert_routes')
    .values({
      team_id: teamId,
      budget_id: budgetId,
      notify_owners: values.notifyOwners,
      notify_admins: values.notifyAdmins,
      notify_member: values.notifyMember,
      addresses: values.addresses,
      via_email: values.viaEmail,
      via_in_app: values.viaInApp,
    })
    .onConflict((oc) =>
      oc.columns(['team_id', 'budget_id']).doUpdateSet({
        notify_owners: values.notifyOwners,
        notify_admins: values.notifyAdmins,
        notify_member: values.notifyMember,
        addresses: values.addresses,
        via_email: values.viaEmail,
        via_in_app: values.viaInApp,
        updated_at: new Date(),
      }),
    )
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.deleteFrom('alert_route_channels').where('route_id', '=', row.id).execute()
  if (values.channelIds.length) {
    await db
      .insertInto('alert_route_channels')
      .values(values.channelIds.map((channelId) => ({ team_id: teamId, route_id: row.id, channel_id: channelId })))
      .execute()
  }
  return { before, id: row.id }
}

export async function deleteRoute(db: Executor, teamId: string, budgetId: string): Promise<RouteRow | undefined> {
  const before = (await listRoutes(db, teamId)).find((r) => r.budgetId === budgetId)
  if (before) await db.deleteFrom('alert_routes').where('id', '=', before.id).execute()
  return before
}

// ---- webhook deliveries --------------------------------------------------------------------------

export interface NewDelivery {
  /** Chosen by the caller, so the body sent can carry it (it is the `X-Costwise-Delivery` header too). */
  id: string
  teamId: string
  channelId: string
  /** Once-only per (event, channel): e.g. `alert:<alertId>:<channelId>`. */
  dedupeKey: string
  event: string
  payload: Record<string, unknown>
}

/** Adds deliveries (those whose key exists are left alone) and returns the ids of every one asked for, new or not. */
export async function queueDeliveries(
  db: Executor,
  items: NewDelivery[],
): Promise<{ id: string; dedupeKey: string; status: string }[]> {
  if (items.length === 0) return []
  await db
    .insertInto('webhook_deliveries')
    .values(
      items.map((d) => ({
        id: d.id,
        team_id: d.teamId,
        channel_id: d.channelId,
        dedupe_key: d.dedupeKey,
        event: d.event,
        payload: JSON.stringify(d.payload),
      })),
    )
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute()
  return db
    .selectFrom('webhook_deliveries')
    .select(['id', 'dedupe_key as dedupeKey', 'status'])
    .where(
      'dedupe_key',
      'in',
      items.map((d) => d.dedupeKey),
    )
    .execute()
}

/**
 * A delivery with its channel, locked for sending (the worker holds it while the request is in flight); undefined
 * when there is none or another worker is sending it right now.
 */
export async function lockDelivery(db: Executor, id: string) {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('alert_channels as c', 'c.id', 'd.channel_id')
    .select([
      'd.id',
      'd.team_id as teamId',
      'd.event',
      'd.payload',
      'd.status',
      'd.attempts',
      'd.created_at as createdAt',
      'c.id as channelId',
      'c.kind',
      'c.url',
      'c.secret',
      'c.active',
    ])
    .where('d.id', '=', id)
    .forUpdate('d')
    .skipLocked()
    .executeTakeFirst()
}

export async function recordAttempt(
  db: Executor,
  input: { deliveryId: string; ok: boolean; statusCode: number | null; error: string | null; durationMs: number },
  now = new Date(),
): Promise<void> {
  await db
    .insertInto('webhook_delivery_attempts')
    .values({
      delivery_id: input.deliveryId,
      ok: input.ok,
      status_code: input.statusCode,
      error: input.error,
      duration_ms: input.durationMs,
    })
    .execute()
  await db
    .updateTable('webhook_deliveries')
    .set((eb) => ({
      status: input.ok ? 'delivered' : 'failed',
      attempts: eb('attempts', '+', 1),
      last_status_code: input.statusCode,
      last_error: input.ok ? null : input.error,
      delivered_at: input.ok ? now : null,
    }))
    .where('id', '=', input.deliveryId)
    .execute()
}

/** The delivery log of a team (optionally one channel), newest first. */
export async function listDeliveries(db: Executor, teamId: string, options: { channelId?: string; limit: number }) {
  let query = db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('alert_channels as c', 'c.id', 'd.channel_id')
    .select([
      'd.id',
      'd.channel_id as channelId',
      'c.name as channelName',
      'c.kind',
      'd.event',
      'd.status',
      'd.attempts',
      'd.last_status_code as lastStatusCode',
      'd.last_error as lastError',
      'd.created_at as createdAt',
      'd.delivered_at as deliveredAt',
    ])
    .where('d.team_id', '=', teamId)
  if (options.channelId) query = query.where('d.channel_id', '=', options.channelId)
  return query.orderBy('d.created_at', 'desc').orderBy('d.id', 'desc').limit(options.limit).execute()
}

export async function listAttempts(db: Executor, deliveryId: string) {
  return db
    .selectFrom('webhook_delivery_attempts')
    .select(['attempted_at as attemptedAt', 'ok', 'status_code as statusCode', 'error', 'duration_ms as durationMs'])
    .where('delivery_id', '=', deliveryId)
    .orderBy('id')
    .execute()
}
