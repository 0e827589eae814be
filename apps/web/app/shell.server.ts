import { formatUsd, usdToNano } from '@costwise/core'
import type { Caller } from './auth.server'
import type { HeaderStatusData } from './components/header-status'

/**
 * The header's figures: the active budget nearest its limit (highest share used) and the unread alert
 * count. A member without access to either sees no gauge and no count rather than an error.
 */
export async function loadHeaderStatus(caller: Caller, hasTeam: boolean): Promise<HeaderStatusData> {
  if (!hasTeam) return { budget: null, unreadAlerts: 0 }
  const [list, unread] = await Promise.all([
    caller.budgets.list().catch(() => ({ budgets: [] })),
    caller.alerts.unreadCount().catch(() => ({ count: 0 })),
  ])
  const top = list.budgets.filter((b) => b.active).sort((a, b) => b.percentUsed - a.percentUsed)[0]
  return {
    budget: top
      ? {
          name: top.name,
          percentUsed: top.percentUsed,
          level: top.level,
          summary: `${formatUsd(usdToNano(top.spentUsd))} of ${formatUsd(usdToNano(top.limitUsd))} this ${top.period === 'total' ? 'budget' : top.period}`,
        }
      : null,
    unreadAlerts: unread.count,
  }
}
