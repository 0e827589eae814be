import { DEFAULT_ROUTE, queueAlertDeliveries } from '@costwise/api'
import { escapeHtml, formatUsd, usdToNano } from '@costwise/core'
import { alertRouting, alerts, email, jobs, members, notifications, type Db } from '@costwise/db'
import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { Mailer } from '../mail'

const itemSchema = z.object({ alertId: z.uuid() })
/** A list of alerts (the batch job keyed per team, see `jobs.enqueueAlertNotify`), or one alert. */
export const payloadSchema = z.union([z.array(itemSchema).min(1).max(1000), itemSchema.transform((item) => [item])])

type NotifiedAlert = NonNullable<Awaited<ReturnType<typeof alerts.findAlertForNotification>>>

export interface AlertNotifyOptions {
  /**
   * How long emails wait for more alerts of the same team (ms; 0: none): every alert that fires within this window
   * of the first one not yet mailed goes into one email per recipient. In-app notices and channels never wait.
   */
  digestWindowMs?: number
  now?: Date
}

/**
 * Tells the people and channels each alert's route names about it (a budget threshold crossed, a budget forecast to
 * run out, a spend anomaly): the budget's own route, else the team's default, else owners and admins by email and in
 * the app. Alerts arrive in batches (every alert fired before the job ran — e.g. the thresholds one call crossed).
 * In-app notices and channel deliveries go at once. Emails wait until the team's digest window — which opens at the
 * first alert not yet mailed — has passed (the job defers itself to then), and each recipient gets ONE email for all
 * of them: the alert's own email, or a digest listing every alert when there are several. Every step is idempotent —
 * a notice and a delivery are keyed by alert, an email's dedupe key names its alerts and recipient — so a retry, or
 * the sweep after a worker died mid-job, completes what is missing and repeats nothing.
 */
export async function alertNotify(
  db: Db,
  mailer: Mailer,
  rawPayload: unknown,
  appUrl: string,
  { digestWindowMs = 0, now = new Date() }: AlertNotifyOptions = {},
) {
  const ids = [...new Set(payloadSchema.parse(rawPayload).map((i) => i.alertId))]
  // Alerts whose budget (and its alerts) was deleted since are gone: nothing to say about them.
  const found = (await Promise.all(ids.map((id) => alerts.findAlertForNotification(db, id)))).filter(
    (a): a is NotifiedAlert => !!a,
  )
  found.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.threshold ?? 0) - (b.threshold ?? 0))
  const recipientsOf = new Map<string, string[]>()
  for (const alert of found) recipientsOf.set(alert.id, await notifyInAppAndChannels(db, alert, appUrl))

  // An alert already notified had its emails sent: a re-run (retry, sweep) doesn't put it in a new digest. A team
  // whose window is still open gets its job back, due when the window closes (found is oldest first).
  const unsent = found.filter((a) => !a.notifiedAt)
  const deferred: { teamId: string; alerts: number; until: Date }[] = []
  for (const teamId of new Set(unsent.map((a) => a.teamId))) {
    const team = unsent.filter((a) => a.teamId === teamId)
    const until = new Date(team[0]!.createdAt.getTime() + digestWindowMs)
    if (until <= now) continue
    await jobs.enqueueAlertBatch(
      db,
      teamId,
      team.map((a) => a.id),
      until,
    )
    deferred.push({ teamId, alerts: team.length, until })
  }
  const due = unsent.filter((a) => !deferred.some((d) => d.teamId === a.teamId))

  const byRecipient = new Map<string, { teamId: string; to: string; alerts: NotifiedAlert[] }>()
  for (const alert of due) {
    for (const to of recipientsOf.get(alert.id)!) {
      const key = `${alert.teamId}\n${to}`
      const entry = byRecipient.get(key) ?? { teamId: alert.teamId, to, alerts: [] }
      entry.alerts.push(alert)
      byRecipient.set(key, entry)
    }
  }
  const messages = [...byRecipient.values()].map(({ teamId, to, alerts: list }) => {
    const mail = list.length === 1 ? alertEmail(list[0]!, appUrl) : alertDigestEmail(list, appUrl)
    const prefix = list.length === 1 ? `alert:${list[0]!.id}:` : `alert-digest:${digestId(list)}:`
    return { prefix, email: { teamId, kind: 'alert' as const, dedupeKey: `${prefix}${to}`, to, ...mail } }
  })
  await email.queueEmails(
    db,
    messages.map((m) => m.email),
  )
  const result = { alerts: found.length, emails: messages.length, delivered: 0, failed: 0, deferred }
  for (const prefix of new Set(messages.map((m) => m.prefix))) {
    const sent = await mailer.deliverPending(db, prefix)
    result.delivered += sent.delivered
    result.failed += sent.failed
  }
  for (const alert of due) await alerts.markAlertNotified(db, alert.id)
  return result
}

/** The in-app notices and channel deliveries of one alert; returns the addresses its route emails (lower-cased). */
async function notifyInAppAndChannels(db: Db, alert: NotifiedAlert, appUrl: string): Promise<string[]> {
  const route = (await alertRouting.routeFor(db, alert.teamId, alert.budgetId)) ?? DEFAULT_ROUTE
  const roles = [
    ...(route.notifyOwners ? (['owner'] as const) : []),
    ...(route.notifyAdmins ? (['admin'] as const) : []),
  ]
  const people = new Map((await members.emailsByRole(db, alert.teamId, [...roles])).map((p) => [p.userId, p.email]))
  if (route.notifyMember && alert.scope === 'user' && alert.scopeUserId) {
    const member = await members.findMember(db, alert.teamId, alert.scopeUserId)
    if (member) people.set(member.userId, member.email)
  }
  // Listed addresses that belong to members get the in-app notice too.
  for (const m of await members.membersByEmail(db, alert.teamId, route.addresses)) people.set(m.userId, m.email)

  const { subject, text } = alertEmail(alert, appUrl)
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
  const channels = channelIds.size
    ? (await alertRouting.listChannels(db, alert.teamId)).filter((c) => channelIds.has(c.id))
    : []
  await queueAlertDeliveries(db, { ...alert, headline: subject }, channels, appUrl)
  if (!route.viaEmail) return []
  return [...new Set([...people.values(), ...route.addresses].map((e) => e.toLowerCase()))].sort()
}

/** Names a digest by its alerts, so rebuilding the same digest (a retry) finds the same outbox row. */
function digestId(list: readonly { id: string }[]): string {
  return createHash('sha256')
    .update(
      list
        .map((a) => a.id)
        .sort()
        .join(','),
    )
    .digest('hex')
    .slice(0, 32)
}

/** One email for several alerts that fired together: a line per alert, then each alert's own text. */
export function alertDigestEmail(
  list: readonly AlertForEmail[],
  appUrl: string,
): { subject: string; text: string; html: string } {
  const teamName = list[0]!.teamName
  const parts = list.map((a) => alertEmail(a, appUrl))
  const prefix = `[Costwise] ${teamName}: `
  const headlines = parts.map((p) => (p.subject.startsWith(prefix) ? p.subject.slice(prefix.length) : p.subject))
  const link = `${appUrl.replace(/\/+$/, '')}/dashboard/alerts`
  const subject = `${prefix}${list.length} alerts — ${headlines[0]}${list.length > 1 ? ' and more' : ''}`
  const text = [
    `${list.length} alerts fired for team ${teamName}:`,
    ...headlines.map((h) => `- ${h}`),
    '',
    ...parts.flatMap((p) => ['----', p.text, '']),
    `See all alerts: ${link}`,
  ].join('\n')
  const html = `<p>${list.length} alerts fired for team ${escapeHtml(teamName)}:</p><ul>${headlines.map((h) => `<li>${escapeHtml(h)}</li>`).join('')}</ul>${parts.map((p) => `<hr>${p.html}`).join('')}<p><a href="${escapeHtml(link)}">See all alerts</a></p>`
  return { subject, text, html }
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
      text: [
        `${str(d.title)}.`,
        '',
        `Usually it stays under ${money(d.thresholdUsd)}. See what drove it: ${link}`,
      ].join('\n'),
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
