import { addDays, weekdayOf } from '../days'
import { estimateToNano } from '../money'
import { createRng, normal } from '../random'
import type { DailyTotal } from './forecast'

export const SERIES_KINDS = ['flat', 'trend', 'weekly', 'step'] as const
export type SeriesKind = (typeof SERIES_KINDS)[number]

export interface SyntheticOptions {
  days?: number
  seed?: number
  /** Typical spend per day, USD. */
  base?: number
  firstDay?: string
  /** Log-normal day-to-day noise (σ of the log). */
  noise?: number
}

/**
 * Daily spend series with a known shape, for the forecast backtest and tests: `flat`; `trend` (linear growth
 * from half to one and a half times the base over the series); `weekly` (weekends at 35 %); `step` (spend
 * jumps to 1.8× at 60 % of the series). Multiplicative log-normal noise; the same seed gives the same series.
 */
export function syntheticSeries(kind: SeriesKind, options: SyntheticOptions = {}): DailyTotal[] {
  const days = options.days ?? 150
  const base = options.base ?? 100
  const firstDay = options.firstDay ?? '2026-01-05'
  const sigma = options.noise ?? 0.12
  const rng = createRng(options.seed ?? 1)
  const stepAt = Math.floor(days * 0.6)
  return Array.from({ length: days }, (_, t) => {
    const day = addDays(firstDay, t)
    const shape =
      kind === 'trend'
        ? 0.5 + t / days
        : kind === 'weekly'
          ? weekdayOf(day) >= 6
            ? 0.35
            : 1
          : kind === 'step'
            ? t < stepAt
              ? 1
              : 1.8
            : 1
    const noise = Math.exp(sigma * normal(rng) - (sigma * sigma) / 2)
    return { day, costNano: estimateToNano(base * shape * noise) }
  })
}
