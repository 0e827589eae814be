import { addDays, dayOffset, weekdayOf } from '../days'
import { estimateToNano, nanoToUsdNumber, type Nano } from '../money'
import { MAD_TO_SIGMA, mad, mean, median, theilSen } from '../stats'

/**
 * Period-end spend forecasts from daily totals in the team's time zone (docs/forecast.md):
 *
 * 1. Weekday pattern: each day's spend ÷ its centred 7-day mean; the median ratio per weekday, normalised to
 *    average 1 (needs two weeks of history; flat before that).
 * 2. Level and trend on the de-seasonalised series: a Theil–Sen line through the last 28 days (robust to
 *    outlier days), read at the last day. When the last week sits off that line by more than 3σ (a step
 *    change), the slope is dropped and the level is the median of the last 7 days.
 * 3. A day's forecast is (level + slope × days ahead) × its weekday factor, never below zero; the rest of
 *    today is the day's forecast times the share of a usual day still to come.
 * 4. The interval (90 %) adds day-to-day noise (robust σ of the residuals), the level's uncertainty and the
 *    slope's, each scaled by the weekday factors, widened by a factor calibrated on the backtest.
 *
 * Recorded spend stays exact (bigint); only the projection of what is still to come is a float estimate,
 * rounded to the nano-dollar once (money.ts `estimateToNano`).
 */

export interface DailyTotal {
  /** Local day, YYYY-MM-DD. */
  day: string
  costNano: Nano
}

export interface ForecastModel {
  /** Weekday factors, index 0 = Monday … 6 = Sunday, averaging 1. */
  weekday: number[]
  /** De-seasonalised level (USD/day) at day `anchor` (days after `firstDay`, may be fractional), and the slope (USD/day per day). */
  level: number
  slope: number
  firstDay: string
  anchor: number
  /** Robust standard deviation of a day's de-seasonalised spend around the line (USD). */
  sigma: number
  levelSe: number
  slopeSe: number
  /** Days of history the model saw, and whether a step change was detected in the last week. */
  historyDays: number
  stepChange: boolean
}

const Z90 = 1.645
/**
 * Days are not independent (a busy week stays busy) and the level and slope are estimated, so the textbook
 * standard deviation is too narrow: on the synthetic backtest (bench/forecast.bench.ts) it held the actual
 * total only ~75 % of the time. Scaling it by this factor brings flat, trend and weekly series to ~90 %.
 */
const CALIBRATION = 1.75
const SEASON_MIN_DAYS = 14
const TREND_DAYS = 28
const LEVEL_DAYS = 7

/** Consecutive days from the first to the last given, missing days as zero spend, in USD (for the model). */
export function denseSeries(history: readonly DailyTotal[]): { firstDay: string; values: number[] } | null {
  if (history.length === 0) return null
  const sorted = [...history].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0))
  const firstDay = sorted[0]!.day
  const n = dayOffset(firstDay, sorted[sorted.length - 1]!.day) + 1
  const values = new Array<number>(n).fill(0)
  for (const p of sorted) values[dayOffset(firstDay, p.day)]! += nanoToUsdNumber(p.costNano)
  return { firstDay, values }
}

function weekdayFactors(values: readonly number[], firstDay: string): number[] {
  const flat = [1, 1, 1, 1, 1, 1, 1]
  if (values.length < SEASON_MIN_DAYS) return flat
  const firstWeekday = weekdayOf(firstDay) - 1
  const ratios: number[][] = [[], [], [], [], [], [], []]
  for (let i = 3; i + 3 < values.length; i++) {
    const window = mean(values.slice(i - 3, i + 4))
    if (window > 0) ratios[(firstWeekday + i) % 7]!.push(values[i]! / window)
  }
  const raw = ratios.map((r) => (r.length >= 2 ? median(r) : 1))
  const avg = mean(raw)
  if (!(avg > 0)) return flat
  return raw.map((f) => Math.min(10, Math.max(0.05, f / avg)))
}

/** Fits the model to complete days of history (oldest first; gaps count as zero). */
export function fitForecast(history: readonly DailyTotal[]): ForecastModel | null {
  const dense = denseSeries(history)
  if (!dense) return null
  const { firstDay, values } = dense
  const n = values.length
  const weekday = weekdayFactors(values, firstDay)
  const firstWeekday = weekdayOf(firstDay) - 1
  const z = values.map((v, i) => v / weekday[(firstWeekday + i) % 7]!)

  const from = Math.max(0, n - TREND_DAYS)
  const xs = Array.from({ length: n - from }, (_, k) => from + k)
  const ys = z.slice(from)
  const last = z.slice(Math.max(0, n - LEVEL_DAYS))
  const line = theilSen(xs, ys)
  let anchor = n - 1
  let level = line.intercept + line.slope * anchor
  let slope = line.slope
  let sigma = MAD_TO_SIGMA * mad(ys.map((y, k) => y - (level + slope * (xs[k]! - anchor))))

  // A step change: the last week sits well off the line through the whole window.
  const lineResidual = (y: number, x: number) => y - (line.intercept + line.slope * x)
  const lineSigma = MAD_TO_SIGMA * mad(ys.map((y, k) => lineResidual(y, xs[k]!)))
  const offLine = median(last.map((y, k) => lineResidual(y, Math.max(0, n - LEVEL_DAYS) + k)))
  const stepChange = xs.length >= 14 && Math.abs(offLine) > 3 * Math.max(lineSigma, Math.abs(level) * 0.02, 1e-12)
  if (stepChange) {
    // Only the days since the change describe the new level: their median, placed at their middle, no slope.
    anchor = Math.max(0, n - LEVEL_DAYS) + (last.length - 1) / 2
    level = median(last)
    slope = 0
    sigma = MAD_TO_SIGMA * mad(last.map((y) => y - level))
  }
  sigma = Math.max(sigma, Math.abs(level) * 0.01)
  if (!Number.isFinite(level)) level = 0
  const xMean = mean(xs)
  const spread = xs.reduce((s, x) => s + (x - xMean) ** 2, 0)
  return {
    weekday,
    level,
    slope,
    firstDay,
    anchor,
    sigma,
    levelSe: (1.25 * sigma) / Math.sqrt(Math.max(1, stepChange ? last.length : xs.length)),
    slopeSe: stepChange || spread === 0 ? 0 : sigma / Math.sqrt(spread),
    historyDays: n,
    stepChange,
  }
}

/** Expected spend (USD) on a day, and the parts the interval needs. */
export function forecastDay(model: ForecastModel, day: string): { expected: number; factor: number; ahead: number } {
  const factor = model.weekday[weekdayOf(day) - 1]!
  const ahead = dayOffset(model.firstDay, day) - model.anchor
  return { expected: Math.max(0, (model.level + model.slope * ahead) * factor), factor, ahead }
}

export interface PeriodForecastInput {
  /** Complete local days before today, oldest first. */
  history: readonly DailyTotal[]
  /** Today, in the same zone. */
  today: string
  /** Share of a usual day's spend already behind us at this time of day (0–1). */
  todayElapsed: number
  /** First local day after the period (exclusive); null for an open-ended budget (see `horizonDays`). */
  periodEnd: string | null
  /** How far to look for an open-ended budget. Default 90 days. */
  horizonDays?: number
  /** Recorded spend in the period so far, today included. */
  spentNano: Nano
  /** When set, the day the cumulative spend is expected to reach it. */
  limitNano?: Nano | null
}

export interface PeriodForecast {
  /** The recorded spend the projection starts from (as given). */
  spentNano: Nano
  projectedNano: Nano
  lowNano: Nano
  highNano: Nano
  /** The local day the expected spend reaches the limit (today when it already has); null when not in the period. */
  exhaustsOn: string | null
  /** The last day the projection covers (inclusive). */
  lastDay: string
  model: ForecastModel | null
}

/** Projects a period's total: what is spent, plus the rest of today, plus each day left, with a 90 % interval. */
export function forecastPeriod(input: PeriodForecastInput): PeriodForecast {
  const lastDay = input.periodEnd ? addDays(input.periodEnd, -1) : addDays(input.today, (input.horizonDays ?? 90) - 1)
  const model = fitForecast(input.history)
  const limit = input.limitNano ?? null
  if (!model || dayOffset(input.today, lastDay) < 0) {
    const exhausted = limit !== null && input.spentNano >= limit ? input.today : null
    return {
      spentNano: input.spentNano,
      projectedNano: input.spentNano,
      lowNano: input.spentNano,
      highNano: input.spentNano,
      exhaustsOn: exhausted,
      lastDay,
      model,
    }
  }
  const rest = Math.min(1, Math.max(0, 1 - input.todayElapsed))
  let expected = 0
  let noise = 0
  let levelPart = 0
  let slopePart = 0
  let exhaustsOn: string | null = limit !== null && input.spentNano >= limit ? input.today : null
  const spent = nanoToUsdNumber(input.spentNano)
  const limitUsd = limit === null ? null : nanoToUsdNumber(limit)
  const days = dayOffset(input.today, lastDay) + 1
  for (let k = 0; k < days; k++) {
    const day = addDays(input.today, k)
    const share = k === 0 ? rest : 1
    const f = forecastDay(model, day)
    expected += f.expected * share
    noise += (f.factor * model.sigma) ** 2 * share
    levelPart += f.factor * share
    slopePart += f.factor * share * f.ahead
    if (exhaustsOn === null && limitUsd !== null && spent + expected >= limitUsd) exhaustsOn = day
  }
  const sd = CALIBRATION * Math.sqrt(noise + (levelPart * model.levelSe) ** 2 + (slopePart * model.slopeSe) ** 2)
  const projectedNano = input.spentNano + estimateToNano(expected)
  const lowNano = input.spentNano + estimateToNano(Math.max(0, expected - Z90 * sd))
  const highNano = input.spentNano + estimateToNano(expected + Z90 * sd)
  return { spentNano: input.spentNano, projectedNano, lowNano, highNano, exhaustsOn, lastDay, model }
}
