import { addDays, dayOffset, nextMonthStart } from '../days'
import { nanoToUsdNumber } from '../money'
import { quantile, mean } from '../stats'
import { forecastPeriod, type DailyTotal } from './forecast'

export interface BacktestResult {
  /** Forecasts made (one per day of each month tested). */
  origins: number
  months: number
  /** Mean absolute percentage error of the projected month total. */
  mape: number
  /** 90th percentile of the absolute percentage error: the error the forecast stays within 9 times in 10. */
  p90Ape: number
  /** The same, for forecasts made on the 15th. */
  midMonthMape: number
  /** Share of forecasts whose 90 % interval held the actual total. */
  coverage: number
}

/**
 * Replays month-end forecasts over a series: for every whole calendar month with at least `warmupDays` of
 * history before it, and every day of that month, forecast the month's total from what was known at the start
 * of that day, and compare it with what the month actually cost.
 */
export function backtestMonthEnd(series: readonly DailyTotal[], options: { warmupDays?: number } = {}): BacktestResult {
  const warmup = options.warmupDays ?? 28
  const sorted = [...series].sort((a, b) => (a.day < b.day ? -1 : 1))
  const byDay = new Map(sorted.map((p) => [p.day, p.costNano]))
  const first = sorted[0]?.day
  const last = sorted[sorted.length - 1]?.day
  const errors: number[] = []
  const mid: number[] = []
  let covered = 0
  let months = 0
  if (!first || !last)
    return {
      origins: 0,
      months: 0,
      mape: Number.NaN,
      p90Ape: Number.NaN,
      midMonthMape: Number.NaN,
      coverage: Number.NaN,
    }
  for (
    let month = nextMonthStart(addDays(first, warmup - 1));
    dayOffset(nextMonthStart(month), addDays(last, 1)) >= 0;
    month = nextMonthStart(month)
  ) {
    const end = nextMonthStart(month)
    let actual = 0n
    for (let d = month; d < end; d = addDays(d, 1)) actual += byDay.get(d) ?? 0n
    if (actual === 0n) continue
    months++
    let spent = 0n
    for (let d = month; d < end; d = addDays(d, 1)) {
      const history = sorted.filter((p) => p.day < d)
      const f = forecastPeriod({ history, today: d, todayElapsed: 0, periodEnd: end, spentNano: spent })
      const ape = Math.abs(nanoToUsdNumber(f.projectedNano - actual)) / nanoToUsdNumber(actual)
      errors.push(ape)
      if (d.endsWith('-15')) mid.push(ape)
      if (f.lowNano <= actual && actual <= f.highNano) covered++
      spent += byDay.get(d) ?? 0n
    }
  }
  return {
    origins: errors.length,
    months,
    mape: mean(errors),
    p90Ape: quantile(errors, 0.9),
    midMonthMape: mean(mid),
    coverage: errors.length ? covered / errors.length : Number.NaN,
  }
}
