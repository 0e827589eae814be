import { sql } from 'kysely'
import type { Db } from '../client'
import type { EmailAttachmentJson, EmailKind } from '../schema'

type Executor = Db

export interface NewEmail {
  teamId: string | null
  kind: EmailKind
  /** Makes the message once-only: a second insert with the same key is ignored. */
  dedupeKey: string
  to: string
  subject: string
  text: string
  html?: string | null
  attachments?: EmailAttachmentJson[]
}

/** Queues messages; those whose dedupe key exists already are left as they are. */
export async function queueEmails(db: Executor, emails: NewEmail[]): Promise<void> {
  if (emails.length === 0) return
  await db
    .insertInto('email_messages')
    .values(
      emails.map((e) => ({
        team_id: e.teamId,
        kind: e.kind,
        dedupe_key: e.dedupeKey,
        to_address: e.to,
        subject: e.subject,
        text_body: e.text,
        html_body: e.html ?? null,
        attachments: JSON.stringify(e.attachments ?? []),
      })),
    )
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute()
}

/** Messages still waiting to go out, among those with these dedupe keys (or that prefix). */
export async function pendingEmails(db: Executor, dedupePrefix: string) {
  return db
    .selectFrom('email_messages')
    .selectAll()
    .where('dedupe_key', 'like', `${dedupePrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
    .where('status', 'in', ['queued', 'failed'])
    .orderBy('created_at')
    .execute()
}

export async function recordDelivery(
  db: Executor,
  input: { messageId: string; ok: boolean; transport: 'smtp' | 'outbox'; error?: string | null },
): Promise<void> {
  await db
    .insertInto('email_delivery_attempts')
    .values({ message_id: input.messageId, ok: input.ok, transport: input.transport, error: input.error ?? null })
    .execute()
  await db
    .updateTable('email_messages')
    .set((eb) => ({
      status: input.ok ? (input.transport === 'smtp' ? 'sent' : 'outbox') : 'failed',
      attempts: eb('attempts', '+', 1),
      last_error: input.ok ? null : (input.error ?? 'unknown error'),
      // Only a message an SMTP server accepted was sent; one filed in the outbox (no SMTP configured) was not.
      sent_at: input.ok && input.transport === 'smtp' ? new Date() : null,
    }))
    .where('id', '=', input.messageId)
    .execute()
}

/** The outbox and delivery log of a team, newest first. */
export async function listEmails(db: Executor, teamId: string, limit = 50) {
  return db
    .selectFrom('email_messages')
    .select([
      'id',
      'kind',
      'to_address',
      'subject',
      'text_body',
      'html_body',
      'status',
      'attempts',
      'last_error',
      'created_at',
      'sent_at',
      'attachments',
    ])
    .where('team_id', '=', teamId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute()
}

/**
 * Delivery over the last `days`: attempts and successes count only hand-overs to an SMTP server, so messages kept
 * in the outbox because no SMTP server is configured never read as "sent, 100 %"; `notSent` counts those.
 */
export async function deliveryStats(db: Executor, teamId: string, days = 30) {
  const row = await db
    .selectFrom('email_delivery_attempts as a')
    .innerJoin('email_messages as m', 'm.id', 'a.message_id')
    .select([
      sql<string>`count(*) filter (where a.transport = 'smtp')`.as('attempts'),
      sql<string>`count(*) filter (where a.transport = 'smtp' and a.ok)`.as('succeeded'),
      sql<string>`count(distinct m.id) filter (where m.status = 'sent')`.as('delivered'),
      sql<string>`count(distinct m.id) filter (where m.status = 'outbox')`.as('notSent'),
      sql<string>`count(distinct m.id)`.as('messages'),
    ])
    .where('m.team_id', '=', teamId)
    .where('a.attempted_at', '>=', sql<Date>`now() - make_interval(days => ${days})`)
    .executeTakeFirstOrThrow()
  return row
}
