import { formatUsd, usdToNano } from '@costwise/core'
import { TRPCError } from '@trpc/server'
import type { Viewer } from './auth.server'
import { formatDateTime, teamDisplay } from './lib/format'

export type AlertStatusFilter = 'active' | 'unread' | 'all'

interface AlertItem {
  id: string
  budgetId: string
  budgetName: string
  scope: string
  period: string
  periodStart: string
  threshold: number
  level: 'info' | 'warning' | 'critical'
  spentUsd: string
  limitUsd: string
  createdAt: string
  readAt: string | null
  acknowledgedAt: string | null
  dismissedAt: string | null
}

export interface AlertView {
  id: string
  budgetName: string
  level: AlertItem['level']
  threshold: number
  spent: string
  limit: string
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
  const page = (await caller.alerts.list({ status, limit: 50, cursor })) as { items: AlertItem[]; nextCursor: string | null }
  const alerts: AlertView[] = page.items.map((a) => ({
    id: a.id,
    budgetName: `${a.budgetName} (${PERIOD[a.period] ?? a.period})`,
    level: a.level,
    threshold: a.threshold,
    spent: formatUsd(usdToNano(a.spentUsd)),
    limit: formatUsd(usdToNano(a.limitUsd)),
    createdAt: a.createdAt,
    when: when.format(new Date(a.createdAt)),
    state: a.dismissedAt ? 'dismissed' : a.acknowledgedAt ? 'acknowledged' : a.readAt ? 'read' : 'unread',
  }))
  return { status, cursor, timeZone, alerts, nextCursor: page.nextCursor }
}

/** Acknowledge or dismiss: `intent` is "acknowledge" / "dismiss" (the checked `ids`) or "<intent>:<id>" for one row. */
export async function alertsAction({ caller }: Viewer, form: FormData) {
  const raw = String(form.get('intent') ?? '')
  const [intent, single] = raw.split(':') as [string, string | undefined]
  const ids = single ? [single] : form.getAll('ids').map(String).filter(Boolean)
  if (intent !== 'acknowledge' && intent !== 'dismiss') return { ok: false as const, error: 'Choose acknowledge or dismiss.' }
  if (ids.length === 0) return { ok: false as const, error: 'Select at least one alert first.' }
  try {
    const result = intent === 'acknowledge' ? await caller.alerts.acknowledge({ ids }) : await caller.alerts.dismiss({ ids })
    const n = result.ids.length
    const verb = intent === 'acknowledge' ? 'acknowledged' : 'dismissed'
    return { ok: true as const, message: n === 0 ? `Nothing to change; already ${verb}.` : `${n} alert${n === 1 ? '' : 's'} ${verb}.` }
  } catch (error) {
    if (error instanceof TRPCError && (error.code === 'FORBIDDEN' || error.code === 'BAD_REQUEST')) {
      return { ok: false as const, error: error.code === 'FORBIDDEN' ? 'Viewers cannot change alerts; ask an admin.' : error.message }
    }
    throw error
  }
}
