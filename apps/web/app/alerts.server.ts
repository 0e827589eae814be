import { formatUsd, usdToNano } from '@costwise/core'
import { formError } from './lib/errors.server'
import type { Viewer } from './auth.server'
import type { RouterOutputs } from './lib/api-types'
import { formatDateTime, teamDisplay } from './lib/format'

export type AlertStatusFilter = 'active' | 'unread' | 'all'

type AlertItem = RouterOutputs['alerts']['list']['items'][number]

export interface AlertView {
  id: string
  kind: AlertItem['kind']
  /** What happened, in one line: "Team monthly (monthly) passed 80%". */
  title: string
  /** The figures behind it. */
  detail: string
  /** Where to look next, for forecast and anomaly alerts. */
  link: { to: string; label: string } | null
  level: AlertItem['level']
  createdAt: string
  when: string
  state: 'unread' | 'read' | 'acknowledged' | 'dismissed'
}

const PERIOD = { day: 'daily', week: 'weekly', month: 'monthly', total: 'total' } as Record<string, string>

export async function loadAlertsPage({ me, caller }: Viewer, url: URL) {
  const param = url.searchParams.get('status')
  const status: AlertStatusFilter = param === 'unread' || param === 'all' ? param : 'active'
  const cursor = url.searchParams.get('cursor')
  const timeZone = me.activeTeam?.timeZone ?? 'UTC'
  const display = teamDisplay(me.activeTeam)
  const when = { format: (at: Date) => formatDateTime(at, display) }
  const page = await caller.alerts.list({ status, limit: 50, cursor })
  const alerts: AlertView[] = page.items.map((a) => ({
    id: a.id,
    kind: a.kind,
    ...describeAlert(a),
    level: a.level,
    createdAt: a.createdAt,
    when: when.format(new Date(a.createdAt)),
    state: a.dismissedAt ? 'dismissed' : a.acknowledgedAt ? 'acknowledged' : a.readAt ? 'read' : 'unread',
  }))
  return { status, cursor, timeZone, alerts, nextCursor: page.nextCursor }
}

const money = (usd: unknown) => (typeof usd === 'string' ? formatUsd(usdToNano(usd)) : '—')
const text = (v: unknown) => (typeof v === 'string' ? v : '')

/** The words for each kind of alert: a budget threshold, a forecast that a budget runs out, a spend spike. */
function describeAlert(a: AlertItem): Pick<AlertView, 'title' | 'detail' | 'link'> {
  const d = a.details
  const budget = `${a.budgetName ?? text(d.budgetName)} (${PERIOD[a.period ?? ''] ?? a.period ?? text(d.period)})`
  if (a.kind === 'budget_forecast') {
    return {
      title: `${budget} will run out on ${text(d.exhaustsOn)} at this rate`,
      detail: `${money(d.spentUsd)} spent of ${money(a.limitUsd)}; projected ${money(d.projectedCostUsd)} by period end (likely ${money(d.lowUsd)}–${money(d.highUsd)})`,
      link: { to: '/dashboard/budget-settings', label: 'See the budget' },
    }
  }
  if (a.kind === 'spend_anomaly') {
    return {
      title: text(d.title),
      detail: `${money(a.spentUsd)} against a usual line of ${money(a.limitUsd)}`,
      link: text(d.link).startsWith('/dashboard/usage') ? { to: text(d.link), label: 'See what drove it' } : null,
    }
  }
  return {
    title: `${budget} passed ${a.threshold}%`,
    detail: `${money(a.spentUsd)} of ${money(a.limitUsd)}`,
    link: null,
  }
}

/** Acknowledge or dismiss: `intent` is "acknowledge" / "dismiss" (the checked `ids`) or "<intent>:<id>" for one row. */
export async function alertsAction({ caller }: Viewer, form: FormData) {
  const raw = String(form.get('intent') ?? '')
  const [intent, single] = raw.split(':') as [string, string | undefined]
  const ids = single ? [single] : form.getAll('ids').map(String).filter(Boolean)
  if (intent !== 'acknowledge' && intent !== 'dismiss')
    return { ok: false as const, error: 'Choose acknowledge or dismiss.' }
  if (ids.length === 0) return { ok: false as const, error: 'Select at least one alert first.' }
  try {
    const result =
      intent === 'acknowledge' ? await caller.alerts.acknowledge({ ids }) : await caller.alerts.dismiss({ ids })
    const n = result.ids.length
    const verb = intent === 'acknowledge' ? 'acknowledged' : 'dismissed'
    return {
      ok: true as const,
      message: n === 0 ? `Nothing to change; already ${verb}.` : `${n} alert${n === 1 ? '' : 's'} ${verb}.`,
    }
  } catch (error) {
    return {
      ok: false as const,
      error: formError(error, { FORBIDDEN: 'Viewers cannot change alerts; ask an admin.' }).message,
    }
  }
}
