import { formatUsd, type Nano } from '../money'
import { quantileNano } from '../stats'
import type { BudgetPeriod } from './periods'

/** How many past periods a suggestion looks at, per period, and the headroom it adds (docs/forecast.md). */
export const SUGGESTION_LOOKBACK: Readonly<Record<Exclude<BudgetPeriod, 'total'>, number>> = {
  day: 28,
  week: 12,
  month: 6,
}
export const SUGGESTION_HEADROOM_PCT = 20
/** Fewest complete past periods with spend before history alone is trusted. */
export const SUGGESTION_MIN_PERIODS = 3

export interface BudgetSuggestion {
  limitNano: Nano
  basis: 'history' | 'forecast'
  /** The figure the headroom was added to: the p95 of past periods, or this period's projection. */
  baseNano: Nano
  periodsUsed: number
  headroomPct: number
  /** One sentence, for people: how the number was reached. */
  explanation: string
}

/** Rounds up to two significant figures: 123.4 → 130, 0.01234 → 0.013 (a limit people can read). */
export function roundUpToTwoFigures(n: Nano): Nano {
  if (n <= 0n) return 0n
  const digits = n.toString().length
  if (digits <= 2) return n
  const unit = 10n ** BigInt(digits - 2)
  return ((n + unit - 1n) / unit) * unit
}

const NOUN: Readonly<Record<Exclude<BudgetPeriod, 'total'>, string>> = { day: 'day', week: 'week', month: 'month' }

/**
 * A limit from recent usage: the 95th percentile of the last complete periods' spend plus 20 % headroom,
 * rounded up to two significant figures — a budget that normal periods stay under and a runaway one hits.
 * With fewer than three periods that had spend, it falls back on this period's forecast (plus headroom).
 * Null when there is nothing to go on, or for a `total` budget (it has no periods to learn from).
 */
export function suggestBudgetLimit(input: {
  period: BudgetPeriod
  /** Spend of each complete past period, most recent last (zero periods included). */
  pastTotals: readonly Nano[]
  /** This period's projected total, when known. */
  projectedNano?: Nano | null
}): BudgetSuggestion | null {
  if (input.period === 'total') return null
  const noun = NOUN[input.period]
  const recent = input.pastTotals.slice(-SUGGESTION_LOOKBACK[input.period])
  const withSpend = recent.filter((t) => t > 0n)
  const suggest = (
    basis: BudgetSuggestion['basis'],
    base: Nano,
    explain: (limit: string) => string,
  ): BudgetSuggestion => {
    const limitNano = roundUpToTwoFigures(base + (base * BigInt(SUGGESTION_HEADROOM_PCT)) / 100n)
    return {
      limitNano,
      basis,
      baseNano: base,
      periodsUsed: basis === 'history' ? recent.length : withSpend.length,
      headroomPct: SUGGESTION_HEADROOM_PCT,
      explanation: explain(formatUsd(limitNano)),
    }
  }
  if (withSpend.length >= SUGGESTION_MIN_PERIODS) {
    const p95 = quantileNano(recent, 0.95)!
    return suggest(
      'history',
      p95,
      (limit) =>
        `In 95% of the last ${recent.length} ${noun}s spend stayed at or under ${formatUsd(p95)}; with ${SUGGESTION_HEADROOM_PCT}% headroom, rounded up, that is ${limit} a ${noun}.`,
    )
  }
  const projected = input.projectedNano ?? null
  if (projected !== null && projected > 0n) {
    return suggest(
      'forecast',
      projected,
      (limit) =>
        `Not enough past ${noun}s yet, so this is this ${noun}'s forecast (${formatUsd(projected)}) with ${SUGGESTION_HEADROOM_PCT}% headroom, rounded up: ${limit}.`,
    )
  }
  return null
}
