import { DEFAULT_ROUTE, queueAlertDeliveries } from '@costwise/api'
import { escapeHtml, formatUsd, usdToNano } from '@costwise/core'
import { alertRouting, alerts, email, members, notifications, type Db } from '@costwise/db'
import { z } from 'zod'
import type { Mailer } from '../mail'

export const payloadSchema = z.object({ alertId: z.uuid() })

/**
 * Tells the people and channels the alert's route names about an alert (a budget threshold crossed, a budget forecast to run out, a spend anomaly): the budget's own
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
        title: alert.kind === 'budget_threshold' ? `Budget “${alert.budgetName}” reached ${alert.threshold}%` : subject,
        body:
          alert.kind === 'budget_threshold'
            ? `${formatUsd(usdToNano(alert.spentUsd))} of ${formatUsd(usdToNano(alert.limitUsd))} spent (${alert.mode} ${alert.period} budget).`
            : text.split('\n')[0]!,
        link: '/dashboard/alerts',
      })),
    )
  }
  const channelIds = new Set(route.channelIds)
  const channels = channelIds.size ? (await alertRouting.listChannels(db, alert.teamId)).filter((c) => channelIds.has(c.id)) : []
  await queueAlertDeliveries(db, { ...alert, headline: subject }, channels, appUrl)
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
> & {
  /** Budget threshold alerts (the default), a forecast that a budget runs out, or a spend spike. */
  kind?: 'budget_threshold' | 'budget_forecast' | 'spend_anomaly'
  details?: Record<string, unknown>
}

/**
 * The email for each kind of alert: a budget threshold, a forecast that a budget will run out, a spend spike.
 * Names (budget, team, prompt, key) are the users' own text, escaped in the HTML part.
 */
export function alertEmail(alert: AlertForEmail, appUrl: string): { subject: string; text: string; html: string } {
  const base = appUrl.replace(/\/+$/, '')
  const d = alert.details ?? {}
  const str = (v: unknown) => (typeof v === 'string' ? v : '')
  const money = (v: unknown) => (typeof v === 'string' ? formatUsd(usdToNano(v)) : '—')
  if (alert.kind === 'budget_forecast') {
    const link = `${base}/dashboard/budget-settings`
    const name = alert.budgetName ?? str(d.budgetName)
    return {
      subject: `[Costwise] ${alert.teamName}: budget "${name}" will run out on ${str(d.exhaustsOn)} at this rate`,
      text: [
        `At the current rate the ${alert.period ?? str(d.period)} budget "${name}" of team ${alert.teamName} reaches its limit on ${str(d.exhaustsOn)}, before its period ends.`,
        '',
        `Spent so far: ${money(d.spentUsd)} of ${money(alert.limitUsd)}. Projected by the end of the period: ${money(d.projectedCostUsd)} (likely between ${money(d.lowUsd)} and ${money(d.highUsd)}).`,
        '',
        `See the budget: ${link}`,
      ].join('\n'),
      html: `<p>At the current rate the budget <strong>${escapeHtml(name)}</strong> of team ${escapeHtml(alert.teamName)} reaches its limit on <strong>${escapeHtml(str(d.exhaustsOn))}</strong>, before its period ends.</p><p>Spent so far: ${money(d.spentUsd)} of ${money(alert.limitUsd)}. Projected: <strong>${money(d.projectedCostUsd)}</strong> (likely ${money(d.lowUsd)}–${money(d.highUsd)}).</p><p><a href="${escapeHtml(link)}">See the budget</a></p>`,
    }
  }
  if (alert.kind === 'spend_anomaly') {
    const link = `${base}${str(d.link).startsWith('/dashboard/') ? str(d.link) : '/dashboard/alerts'}`
    return {
      subject: `[Costwise] ${alert.teamName}: unusual spend — ${str(d.title)}`,
      text: [`${str(d.title)}.`, '', `Usually it stays under ${money(d.thresholdUsd)}. See what drove it: ${link}`].join('\n'),
      html: `<p>${escapeHtml(str(d.title))}.</p><p>Usually it stays under ${money(d.thresholdUsd)}.</p><p><a href="${escapeHtml(link)}">See what drove it</a></p>`,
    }
  }
  const spent = formatUsd(usdToNano(alert.spentUsd))
  const limit = formatUsd(usdToNano(alert.limitUsd))
  const link = `${base}/dashboard/alerts`
  const name = alert.budgetName ?? ''
  const subject = `[Costwise] ${alert.teamName}: budget "${name}" reached ${alert.threshold}%`
  const text = [
    `The ${alert.period} budget "${name}" of team ${alert.teamName} has reached ${alert.threshold}% of its limit.`,
    '',
    `Spent: ${spent} of ${limit} (${alert.mode} limit${alert.mode === 'hard' ? ': calls that would exceed it are blocked' : ''}).`,
    '',
    `See the alert: ${link}`,
  ].join('\n')
  const html = `<p>The ${alert.period} budget <strong>${escapeHtml(name)}</strong> of team ${escapeHtml(alert.teamName)} has reached <strong>${alert.threshold}%</strong> of its limit.</p><p>Spent: <strong>${spent}</strong> of ${limit} (${alert.mode} limit).</p><p><a href="${escapeHtml(link)}">See the alert</a></p>`
  return { subject, text, html }
}
