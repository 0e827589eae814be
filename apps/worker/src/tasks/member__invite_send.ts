import { escapeHtml } from '@costwise/core'
import { email, members, type Db } from '@costwise/db'
import { z } from 'zod'
import type { Mailer } from '../mail'

export const payloadSchema = z.object({ inviteId: z.uuid(), token: z.string().min(20).max(200) })

/**
 * Mails an invitation link (once per invitation: the message's dedupe key), through SMTP or into the outbox.
 * The token travels only in the job's payload and the message; the database keeps its hash.
 */
export async function memberInviteSend(db: Db, mailer: Mailer, rawPayload: unknown, appUrl: string) {
  const { inviteId, token } = payloadSchema.parse(rawPayload)
  const invite = await members.findInviteForEmail(db, inviteId)
  if (!invite || invite.revokedAt || invite.acceptedAt) return { delivered: 0, failed: 0 } // withdrawn or used since
  const link = `${appUrl.replace(/\/+$/, '')}/invite/${token}`
  const who = invite.inviterName || invite.inviterEmail || 'A team admin'
  const expires = invite.expiresAt.toISOString().slice(0, 16).replace('T', ' ')
  const subject = `[Costwise] ${who} invited you to ${invite.teamName}`
  const text = [
    `${who} invited you to join the team ${invite.teamName} on Costwise as ${invite.role === 'admin' ? 'an admin' : `a ${invite.role}`}.`,
    '',
    `Accept the invitation: ${link}`,
    '',
    `The link works once and expires on ${expires} UTC. If you did not expect it, ignore this message.`,
  ].join('\n')
  const html = `<p>${escapeHtml(who)} invited you to join the team <strong>${escapeHtml(invite.teamName)}</strong> on Costwise as ${escapeHtml(invite.role)}.</p><p><a href="${escapeHtml(link)}">Accept the invitation</a></p><p>The link works once and expires on ${escapeHtml(expires)} UTC.</p>`
  const prefix = `invite:${invite.id}:`
  await email.queueEmails(db, [
    {
      teamId: invite.teamId,
      kind: 'invite',
      dedupeKey: `${prefix}${invite.email}`,
      to: invite.email,
      subject,
      text,
      html,
    },
  ])
  return mailer.deliverPending(db, prefix)
}
