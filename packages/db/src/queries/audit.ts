import type { AuditAction, AuditActorKind } from '@costwise/core'
import type { Transaction } from 'kysely'
import type { Db } from '../client'
import type { Database } from '../schema'

/** Who made a change, and from where. */
export interface AuditActor {
  kind: AuditActorKind
  userId?: string | null
  apiKeyId?: string | null
  ip?: string | null
}

export interface AuditEntry {
  teamId: string
  actor: AuditActor
  action: AuditAction
  target: { type: string; id?: string | null }
  /** The state before the change (null for a creation) and after it (null for a removal), as JSON. */
  before?: unknown
  after?: unknown
}

export interface AuditRow {
  id: string
  teamId: string
  occurredAt: Date
  actorKind: AuditActorKind
  actorUserId: string | null
  actorApiKeyId: string | null
  /** The user's email or the key's name, when they still exist. */
  actorLabel: string | null
  action: AuditAction
  targetType: string
  targetId: string | null
  before: unknown
  after: unknown
  ip: string | null
}

const json = (value: unknown): string | null => (value === undefined || value === null ? null : JSON.stringify(value))

/**
 * Appends one audit row. Takes a transaction, not a database: the row is written with the change it
 * describes, or not at all. The table is append-only (the database refuses UPDATE, DELETE and TRUNCATE).
 */
export async function record(trx: Transaction<Database>, entry: AuditEntry): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      team_id: entry.teamId,
      actor_kind: entry.actor.kind,
      actor_user_id: entry.actor.userId ?? null,
      actor_api_key_id: entry.actor.apiKeyId ?? null,
      action: entry.action,
      target_type: entry.target.type,
      target_id: entry.target.id ?? null,
      before: json(entry.before),
      after: json(entry.after),
      ip: entry.actor.ip ?? null,
    })
    .execute()
}

export interface AuditCursor {
  occurredAt: Date
  id: string
}

export interface AuditFilters {
  actions?: AuditAction[]
  actorKind?: AuditActorKind
  actorUserId?: string
  from?: Date
  to?: Date
}

/** A team's audit rows, newest first, a keyset page at a time. */
export async function list(
  db: Db,
  teamId: string,
  options: { filters?: AuditFilters; limit: number; cursor?: AuditCursor | null },
): Promise<{ rows: AuditRow[]; next: AuditCursor | null }> {
  const f = options.filters ?? {}
  let query = db
    .selectFrom('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.actor_user_id')
    .leftJoin('api_keys as k', (join) =>
      join.onRef('k.id', '=', 'a.actor_api_key_id').onRef('k.team_id', '=', 'a.team_id'),
    )
    .select([
      'a.id',
      'a.team_id',
      'a.occurred_at',
      'a.actor_kind',
      'a.actor_user_id',
      'a.actor_api_key_id',
      'a.action',
      'a.target_type',
      'a.target_id',
      'a.before',
      'a.after',
      'a.ip',
      'u.email as user_email',
      'k.name as key_name',
    ])
    .where('a.team_id', '=', teamId)
  if (f.actions?.length) query = query.where('a.action', 'in', f.actions)
  if (f.actorKind) query = query.where('a.actor_kind', '=', f.actorKind)
  if (f.actorUserId) query = query.where('a.actor_user_id', '=', f.actorUserId)
  if (f.from) query = query.where('a.occurred_at', '>=', f.from)
  if (f.to) query = query.where('a.occurred_at', '<', f.to)
  const cursor = options.cursor
  if (cursor) {
    query = query.where((eb) =>
      eb.or([
        eb('a.occurred_at', '<', cursor.occurredAt),
        eb.and([eb('a.occurred_at', '=', cursor.occurredAt), eb('a.id', '<', cursor.id)]),
      ]),
    )
  }
  const rows = await query
    .orderBy('a.occurred_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(options.limit + 1)
    .execute()
  const page = rows.slice(0, options.limit)
  const last = page[page.length - 1]
  return {
    rows: page.map((r) => ({
      id: r.id,
      teamId: r.team_id,
      occurredAt: r.occurred_at,
      actorKind: r.actor_kind,
      actorUserId: r.actor_user_id,
      actorApiKeyId: r.actor_api_key_id,
      actorLabel: r.user_email ?? r.key_name ?? null,
      action: r.action as AuditAction,
      targetType: r.target_type,
      targetId: r.target_id,
      before: r.before,
      after: r.after,
      ip: r.ip,
    })),
    next: rows.length > options.limit && last ? { occurredAt: last.occurred_at, id: last.id } : null,
  }
}
