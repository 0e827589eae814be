import { usdToNano } from '../money'

/** What the urgency order needs of a budget: exact money strings, when its period resets, and a stable tiebreak. */
export interface BudgetUrgencyFields {
  id: string
  name: string
  spentUsd: string
  limitUsd: string
  /** ISO time the period resets; null for a budget that never resets. */
  periodEnd: string | null
}

/**
 * The one order budgets are listed in: the most urgent first — the highest share of its limit spent (compared
 * exactly, not through a rounded percentage), then the soonest reset (never-resetting budgets last), then name and
 * id. Nothing in it depends on when a budget was created or last saved, so saving one never moves the others.
 * A budget with a zero limit counts as fully spent once anything is spent, and as 0 % otherwise.
 */
export function compareBudgetUrgency(a: BudgetUrgencyFields, b: BudgetUrgencyFields): number {
  const share = compareShare(a, b)
  if (share !== 0) return share
  const resetA = a.periodEnd === null ? Number.POSITIVE_INFINITY : Date.parse(a.periodEnd)
  const resetB = b.periodEnd === null ? Number.POSITIVE_INFINITY : Date.parse(b.periodEnd)
  if (resetA !== resetB) return resetA < resetB ? -1 : 1
  const byName = a.name.localeCompare(b.name)
  if (byName !== 0) return byName
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/** Sorts a copy of the budgets by `compareBudgetUrgency`. */
export function sortBudgetsByUrgency<T extends BudgetUrgencyFields>(budgets: readonly T[]): T[] {
  return [...budgets].sort(compareBudgetUrgency)
}

/** Descending by spent ÷ limit, compared as spentA × limitB against spentB × limitA so no rounding decides it. */
function compareShare(a: BudgetUrgencyFields, b: BudgetUrgencyFields): number {
  const [sa, la] = shareOf(a)
  const [sb, lb] = shareOf(b)
  const left = sa * lb
  const right = sb * la
  return left === right ? 0 : left > right ? -1 : 1
}

function shareOf(b: BudgetUrgencyFields): [bigint, bigint] {
  const spent = usdToNano(b.spentUsd)
  const limit = usdToNano(b.limitUsd)
  if (limit > 0n) return [spent, limit]
  return [spent > 0n ? 1n : 0n, 1n]
}
