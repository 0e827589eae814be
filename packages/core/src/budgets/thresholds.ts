import { z } from 'zod'
import { AppError } from '../errors'
import type { Nano } from '../money'

/** Alert thresholds in percent of the limit, unless a budget sets its own. */
export const DEFAULT_ALERT_THRESHOLDS: readonly number[] = [50, 80, 100]

export const budgetLevelSchema = z.enum(['ok', 'info', 'warning', 'critical'])
export type BudgetLevel = z.infer<typeof budgetLevelSchema>

/**
 * Alert thresholds are whole percentages of the limit from 1 to 1000 (a soft budget may warn past its limit, e.g.
 * at 150 %). The one rule: the API, the web form and the alert evaluation all check it here.
 */
export const MAX_ALERT_THRESHOLD = 1000

export const alertThresholdsSchema = z
  .array(
    z
      .number({ error: 'must be whole percentages' })
      .int('must be whole percentages')
      .min(1, 'must be at least 1')
      .max(MAX_ALERT_THRESHOLD, `must be at most ${MAX_ALERT_THRESHOLD}`),
  )
  .min(1, 'give at least one threshold, e.g. 50, 80, 100')
  .max(10, 'use at most 10 thresholds')
  .refine(
    (t) => t.every((v, i) => i === 0 || v > t[i - 1]!),
    'must be in ascending order without repeats, e.g. 50, 80, 100',
  )

function checkThresholds(thresholds: readonly number[]): number[] {
  for (const t of thresholds) {
    if (!Number.isInteger(t) || t <= 0 || t > MAX_ALERT_THRESHOLD) {
      throw new AppError(
        'BAD_INPUT',
        `Alert thresholds are whole percentages from 1 to ${MAX_ALERT_THRESHOLD}, got ${t}.`,
        {
          field: 'thresholds',
        },
      )
    }
  }
  return [...new Set(thresholds)].sort((a, b) => a - b)
}

/**
 * The thresholds (whole percentages of `limit`) that a spend change from `before` to `after`
 * crossed upwards: `before < t% of limit ≤ after`. Exact (bigint; no float percentages), ascending,
 * each once. A decrease crosses nothing; a non-positive limit has no thresholds.
 *
 * `thresholdsCrossed(40n, 85n, 100n, [50, 80, 100])` → `[50, 80]`.
 */
export function thresholdsCrossed(
  before: Nano,
  after: Nano,
  limit: Nano,
  thresholds: readonly number[] = DEFAULT_ALERT_THRESHOLDS,
): number[] {
  const sorted = checkThresholds(thresholds)
  if (limit <= 0n || after <= before) return []
  return sorted.filter((t) => {
    const mark = BigInt(t) * limit // t% of limit, scaled by 100
    return before * 100n < mark && mark <= after * 100n
  })
}

/**
 * How worried to be: `ok` below 50 %, `info` from 50 %, `warning` from 80 %, `critical` from 100 %
 * of the limit. A non-positive limit is `critical` as soon as anything is spent.
 */
export function budgetLevel(spent: Nano, limit: Nano): BudgetLevel {
  if (limit <= 0n) return spent > 0n ? 'critical' : 'ok'
  const scaled = spent * 100n
  if (scaled >= 100n * limit) return 'critical'
  if (scaled >= 80n * limit) return 'warning'
  if (scaled >= 50n * limit) return 'info'
  return 'ok'
}

/** An alert's level: an alert is only raised at a threshold, so it is never `ok`. */
export const alertLevelSchema = budgetLevelSchema.exclude(['ok'])
export type AlertLevel = z.infer<typeof alertLevelSchema>

/** An alert's level from its threshold: 100 % and above critical, 80 % warning, below that info. */
export function alertLevelFor(threshold: number): AlertLevel {
  const level = budgetLevel(BigInt(threshold), 100n)
  return level === 'ok' ? 'info' : level
}
