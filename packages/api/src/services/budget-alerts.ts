import { alertLevelFor, thresholdsCrossed, usdToNano } from '@costwise/core'
import { alerts, jobs, type Db } from '@costwise/db'

export interface BudgetSpendChange {
  teamId: string
  budgetId: string
  periodStart: Date
  thresholds: readonly number[]
  limitUsd: string
  /** What was spent before this change (0 for a budget just created or whose limit just changed). */
  spentBeforeUsd: string
  spentUsd: string
}

/**
 * Alerts for the thresholds a budget's spend has crossed: one per (budget, period, threshold) — a threshold
 * already alerted is not alerted again — each notified by a job enqueued in the caller's transaction. The one
 * path for a charge that crosses a threshold and for a budget created or lowered below what is already spent.
 */
export async function raiseCrossedAlerts(trx: Db, change: BudgetSpendChange): Promise<string[]> {
  const limit = usdToNano(change.limitUsd)
  const raised: string[] = []
  for (const threshold of thresholdsCrossed(
    usdToNano(change.spentBeforeUsd),
    usdToNano(change.spentUsd),
    limit,
    change.thresholds,
  )) {
    const alertId = await alerts.insertAlertOnce(trx, {
      teamId: change.teamId,
      budgetId: change.budgetId,
      periodStart: change.periodStart,
      threshold,
      level: alertLevelFor(threshold),
      spentUsd: change.spentUsd,
      limitUsd: change.limitUsd,
    })
    if (alertId) {
      await jobs.enqueueAlertNotify(trx, { teamId: change.teamId, alertId })
      raised.push(alertId)
    }
  }
  return raised
}
