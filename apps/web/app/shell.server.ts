import { formatUsd, usdToNano } from '@costwise/core'
import type { Caller } from './auth.server'
import type { HeaderStatusData } from './components/header-status'
import { formatDay } from './lib/format'

/**
 * The header's figures: the active budget nearest its limit (highest share used), the day it runs out when its
 * forecast says so, and the unread alert count. A member without access to either sees no gauge and no count rather than an error.
 */
export async function loadHeaderStatus(caller: Caller, hasTeam: boolean): Promise<HeaderStatusData> {
  if (!hasTeam) return { budget: null, unreadAlerts: 0 }
  const [list, unread, forecast] = await Promise.all([
    caller.budgets.list().catch(() => ({ budgets: [] })),
    caller.alerts.unreadCount().catch(() => ({ count: 0 })),
    caller.forecast.get().catch(() => null),
  ])
  // The list comes most urgent first (core's compareBudgetUrgency); the header shows the first active one.
  const top = list.budgets.find((b) => b.active)
  const runsOut = top ? forecast?.budgets.find((f) => f.budgetId === top.id)?.exhaustsOn : null
  return {
    budget: top
      ? {
          name: top.name,
          percentUsed: top.percentUsed,
          level: top.level,
          summary: `${formatUsd(usdToNano(top.spentUsd))} of ${formatUsd(usdToNano(top.limitUsd))} this ${top.period === 'total' ? 'budget' : top.period}`,
          runsOutOn: runsOut ? formatDay(runsOut) : null,
        }
      : null,
    unreadAlerts: unread.count,
  }
}
