import { budgetLevel, nanoToUsd, percentOf, usdToNano } from '@costwise/core'
import type { budgets } from '@costwise/db'
import type { BudgetStatus } from './tracking.types'

/**
 * A budget's state as the API shows it: exact strings for money, the percentage spent, and a level that
 * counts what is reserved for calls in flight too (so a warning shows before the spend lands).
 */
export function toBudgetStatus(b: budgets.BudgetState): BudgetStatus {
  const spent = usdToNano(b.spentUsd)
  const reserved = usdToNano(b.reservedUsd)
  const limit = usdToNano(b.limitUsd)
  return {
    id: b.id,
    name: b.name,
    scope: b.scope,
    period: b.period,
    mode: b.mode,
    limitUsd: nanoToUsd(limit),
    spentUsd: nanoToUsd(spent),
    reservedUsd: nanoToUsd(reserved),
    percentUsed: percentOf(spent, limit),
    level: budgetLevel(spent + reserved, limit),
  }
}
