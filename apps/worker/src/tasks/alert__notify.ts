import { escapeHtml, formatUsd, usdToNano } from '@costwise/core'
import { alerts, email, teams, type Db } from '@costwise/db'
import { z } from 'zod'
import type { Mailer } from '../mail'

export const payloadSchema = z.object({ alertId: z.uuid() })

/**
 * Tells a team's owners and admins that a budget crossed a threshold: one message per (alert, recipient),
 * queued idempotently and then delivered; the alert itself is already in the app. Safe to retry.
 */
export async function alertNotify(db: Db, mailer: Mailer, rawPayload: unknown, appUrl: string) {
  const { alertId } = payloadSchema.parse(rawPayload)
  const alert = await alerts.findAlertForNotification(db, alertId)
  if (!alert) return { delivered: 0 } // the budget (and its alerts) was deleted since
  const { subject, text, html } = alertEmail(alert, appUrl)
  const recipients = await teams.adminEmails(db, alert.teamId)
  await email.queueEmails(
    db,
    recipients.map((to) => ({ teamId: alert.teamId, kind: 'alert' as const, dedupeKey: `alert:${alert.id}:${to}`, to, subject, text, html })),
  )
  const result = await mailer.deliverPending(db, `alert:${alert.id}:`)
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
