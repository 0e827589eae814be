import { DEFAULT_ROUTE, queueAlertDeliveries } from '@costwise/api'
import { escapeHtml, formatUsd, usdToNano } from '@costwise/core'
import { alertRouting, alerts, email, members, notifications, type Db } from '@costwise/db'
import { z } from 'zod'
import type { Mailer } from '../mail'

export const payloadSchema = z.object({ alertId: z.uuid() })

/**
 * Tells the people and channels the alert's route names that a budget crossed a threshold: the budget's own
 * route, else the team's default, else owners and admins by email and in the app. Each recipient gets one email
 * (dedupe key per alert and address), one in-app notice (per alert and person) and each channel one delivery
 * (per alert and channel, sent by its own retrying job). Every step is idempotent, so a retry — or the sweep
 * after a worker died mid-job — completes what is missing and repeats nothing.
 */
export async function alertNotify(db: Db, mailer: Mailer, rawPayload: unknown, appUrl: string) {
  const { alertId } = payloadSchema.parse(rawPayload)
  const alert = await alerts.findAlertForNotification(db, alertId)
  if (!alert) return { delivered: 0 } // the budget (and its alerts) was deleted since
  const route = (await alertRouting.routeFor(db, alert.teamId, alert.budgetId)) ?? DEFAULT_ROUTE
  const roles = [...(route.notifyOwners ? (['owner'] as const) : []), ...(route.notifyAdmins ? (['admin'] as const) : [])]
  const people = new Map((await members.emailsByRole(db, alert.teamId, [...roles])).map((p) => [p.userId, p.email]))
  if (route.notifyMember && alert.scope === 'user' && alert.scopeUserId) {
    const member = await members.findMember(db, alert.teamId, alert.scopeUserId)
    if (member) people.set(member.userId, member.email)
  }
  // Listed addresses that belong to members get the in-app notice too.
  for (const m of await members.membersByEmail(db, alert.teamId, route.addresses)) people.set(m.userId, m.email)

  const { subject, text, html } = alertEmail(alert, appUrl)
  if (route.viaInApp) {
    await notifications.insertNotifications(
      db,
      [...people.keys()].map((userId) => ({
        teamId: alert.teamId,
        userId,
        kind: 'alert',
        dedupeKey: `alert:${alert.id}:${userId}`,
        title: `Budget “${alert.budgetName}” reached ${alert.threshold}%`,
        body: `${formatUsd(usdToNano(alert.spentUsd))} of ${formatUsd(usdToNano(alert.limitUsd))} spent (${alert.mode} ${alert.period} budget).`,
        link: '/dashboard/alerts',
      })),
    )
  }
  const channelIds = new Set(route.channelIds)
  const channels = channelIds.size ? (await alertRouting.listChannels(db, alert.teamId)).filter((c) => channelIds.has(c.id)) : []
  await queueAlertDeliveries(db, alert, channels, appUrl)
  let result = { delivered: 0, failed: 0 }
  if (route.viaEmail) {
    const recipients = [...new Set([...people.values(), ...route.addresses].map((e) => e.toLowerCase()))].sort()
    await email.queueEmails(
      db,
      recipients.map((to) => ({ teamId: alert.teamId, kind: 'alert' as const, dedupeKey: `alert:${alert.id}:${to}`, to, subject, text, html })),
    )
    result = await mailer.deliverPending(db, `alert:${alert.id}:`)
  }
  if (!alert.notifiedAt) await alerts.markAlertNotified(db, alert.id)
  return result
}

type AlertForEmail = Pick<
  NonNullable<Awaited<ReturnType<typeof alerts.findAlertForNotification>>>,
  'spentUsd' | 'limitUsd' | 'teamName' | 'budgetName' | 'threshold' | 'period' | 'mode'
>

/** The alert email: names (budget, team) are the users' own text, escaped in the HTML part. */
export function alertEmail(alert: AlertForEmail, appUrl: string): { subject: string; text: string; html: string } {
  const spent = formatUsd(usdToNano(alert.spentUsd))
  const limit = formatUsd(usdToNano(alert.limitUsd))
  const link = `${appUrl.replace(/\/+$/, '')}/dashboard/alerts`
  const subject = `[Costwise] ${alert.teamName}: budget "${alert.budgetName}" reached ${alert.threshold}%`
  const text = [
    `The ${alert.period} budget "${alert.budgetName}" of team ${alert.teamName} has reached ${alert.threshold}% of its limit.`,
    '',
    `Spent: ${spent} of ${limit} (${alert.mode} limit${alert.mode === 'hard' ? ': calls that would exceed it are blocked' : ''}).`,
    '',
    `See the alert: ${link}`,
  ].join('\n')
  const html = `<p>The ${alert.period} budget <strong>${escapeHtml(alert.budgetName)}</strong> of team ${escapeHtml(alert.teamName)} has reached <strong>${alert.threshold}%</strong> of its limit.</p><p>Spent: <strong>${spent}</strong> of ${limit} (${alert.mode} limit).</p><p><a href="${escapeHtml(link)}">See the alert</a></p>`
  return { subject, text, html }
}
