import { escapeHtml, formatUsd, usdToNano } from '@costwise/core'
import { budgetRequests, email, members, users, type Db } from '@costwise/db'
import { z } from 'zod'
import type { Mailer } from '../mail'

export const payloadSchema = z.object({
  requestId: z.uuid(),
  event: z.enum(['created', 'approved', 'denied', 'expired']),
})

/**
 * Emails about a budget request: a new one to the team's owners and admins; a decision (or expiry) to whoever
 * asked. One message per (request, event, recipient), queued idempotently and then delivered; the in-app notices
 * were written with the request or decision itself.
 */
export async function budgetRequestNotify(db: Db, mailer: Mailer, rawPayload: unknown, appUrl: string) {
  const { requestId, event } = payloadSchema.parse(rawPayload)
  const request = await budgetRequests.findRequestById(db, requestId)
  if (!request) return { delivered: 0, failed: 0 } // its budget was deleted since
  const link = `${appUrl.replace(/\/+$/, '')}/dashboard/budget-requests#request-${request.id}`
  const asked = formatUsd(usdToNano(request.amountUsd))
  const span = request.duration === 'period' ? 'for the current period' : 'for good'
  let recipients: string[]
  let subject: string
  let lines: string[]
  if (event === 'created') {
    const requester = request.requesterLabel ?? 'Someone'
    recipients = (await members.emailsByRole(db, request.teamId, ['owner', 'admin']))
      .filter((a) => a.userId !== request.requestedByUserId)
      .map((a) => a.email)
    subject = `[Costwise] ${requester} asks for ${asked} more on “${request.budgetName}”`
    lines = [
      `${requester} asks for ${asked} more on the budget “${request.budgetName}”, ${span}.`,
      '',
      `Reason: ${request.reason}`,
      '',
      `Approve or deny it: ${link}`,
    ]
  } else {
    const user = request.requestedByUserId ? await users.findUserById(db, request.requestedByUserId) : undefined
    recipients = user ? [user.email] : []
    const approved = request.approvedAmountUsd ? formatUsd(usdToNano(request.approvedAmountUsd)) : asked
    subject =
      event === 'approved'
        ? `[Costwise] Approved: ${approved} more on “${request.budgetName}”`
        : event === 'denied'
          ? `[Costwise] Denied: your request on “${request.budgetName}”`
          : `[Costwise] Expired: your request on “${request.budgetName}”`
    lines = [
      event === 'approved'
        ? `Your request on “${request.budgetName}” was approved: ${approved} more, ${span}.`
        : event === 'denied'
          ? `Your request for ${asked} more on “${request.budgetName}” was denied.`
          : `Your request for ${asked} more on “${request.budgetName}” expired: the budget’s period ended before anyone answered.`,
      ...(request.comment ? ['', `Comment: ${request.comment}`] : []),
      '',
      `See your requests: ${link}`,
    ]
  }
  const text = lines.join('\n')
  const html = lines.map((l) => (l ? `<p>${escapeHtml(l)}</p>` : '')).join('')
  const prefix = `request:${request.id}:${event}:`
  await email.queueEmails(
    db,
    recipients.map((to) => ({
      teamId: request.teamId,
      kind: 'request' as const,
      dedupeKey: `${prefix}${to}`,
      to,
      subject,
      text,
      html,
    })),
  )
  return mailer.deliverPending(db, prefix)
}
