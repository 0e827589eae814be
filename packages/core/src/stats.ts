/**
 * Small robust statistics shared by recommendations (p99 of output tokens), anomalies (median and MAD of
 * spend), forecasts (Theil–Sen trend) and budget suggestions (p95 of past periods). Pure functions.
 *
 * Money stays exact here too: the bigint variants (`medianNano`, `madNano`, `quantileNano`) never turn
 * amounts into floats; the number variants are for token counts and for the forecast model.
 */

/** The scale that turns a MAD into a standard deviation for normally distributed data (1 / Φ⁻¹(3/4)). */
export const MAD_TO_SIGMA = 1.4826

function sortedNumbers(values: readonly number[]): number[] {
  return [...values].filter((v) => Number.isFinite(v)).sort((a, b) => a - b)
}

/** Median of finite numbers; NaN for none. */
export function median(values: readonly number[]): number {
  const s = sortedNumbers(values)
  if (s.length === 0) return Number.NaN
  const mid = s.length >> 1
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/** Median absolute deviation from the median (unscaled); NaN for none. */
export function mad(values: readonly number[]): number {
  const m = median(values)
  if (Number.isNaN(m)) return Number.NaN
  return median(values.filter((v) => Number.isFinite(v)).map((v) => Math.abs(v - m)))
}

/**
 * Nearest-rank quantile: the smallest value with at least `q` of the values at or below it (q in [0, 1]).
 * `quantile([1..100], 0.99)` → 99. It is always one of the values, so a p99 of token counts is a real count.
 */
export function quantile(values: readonly number[], q: number): number {
  const s = sortedNumbers(values)
  if (s.length === 0) return Number.NaN
  const rank = Math.min(s.length, Math.max(1, Math.ceil(q * s.length)))
  return s[rank - 1]!
}

/** Nearest-rank quantile of values that repeat: `[value, count]` pairs (how usage slices carry token counts). */
export function weightedQuantile(pairs: readonly (readonly [number, number])[], q: number): number {
  const s = pairs.filter(([v, w]) => Number.isFinite(v) && w > 0).sort((a, b) => a[0] - b[0])
  const total = s.reduce((sum, [, w]) => sum + w, 0)
  if (total === 0) return Number.NaN
  const rank = Math.min(total, Math.max(1, Math.ceil(q * total)))
  let seen = 0
  for (const [v, w] of s) {
    seen += w
    if (seen >= rank) return v
  }
  return s[s.length - 1]![0]
}

function sortedNano(values: readonly bigint[]): bigint[] {
  return [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

/** Median of nano-dollar amounts, exactly; an even count averages the middle two, rounding half up. */
export function medianNano(values: readonly bigint[]): bigint | null {
  const s = sortedNano(values)
  if (s.length === 0) return null
  const mid = s.length >> 1
  if (s.length % 2 === 1) return s[mid]!
  const sum = s[mid - 1]! + s[mid]!
  return sum >= 0n ? (sum + 1n) / 2n : -((-sum + 1n) / 2n)
}

/** Median absolute deviation of nano-dollar amounts, exactly (unscaled). */
export function madNano(values: readonly bigint[]): bigint | null {
  const m = medianNano(values)
  if (m === null) return null
  return medianNano(values.map((v) => (v > m ? v - m : m - v)))
}

/** Nearest-rank quantile of nano-dollar amounts (always one of them). */
export function quantileNano(values: readonly bigint[], q: number): bigint | null {
  const s = sortedNano(values)
  if (s.length === 0) return null
  const rank = Math.min(s.length, Math.max(1, Math.ceil(q * s.length)))
  return s[rank - 1]!
}

/**
 * Theil–Sen line through (x, y): the slope is the median of the slopes of all pairs, the intercept the
 * median of y − slope·x. Robust to up to ~29 % outliers, unlike least squares. O(n²) pairs; callers pass
 * at most a few dozen points.
 */
export function theilSen(xs: readonly number[], ys: readonly number[]): { slope: number; intercept: number } {
  const n = Math.min(xs.length, ys.length)
  if (n === 0) return { slope: 0, intercept: 0 }
  if (n === 1) return { slope: 0, intercept: ys[0]! }
  const slopes: number[] = []
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = xs[j]! - xs[i]!
      if (dx !== 0) slopes.push((ys[j]! - ys[i]!) / dx)
    }
  }
  const slope = slopes.length ? median(slopes) : 0
  const intercept = median(ys.slice(0, n).map((y, i) => y - slope * xs[i]!))
  return { slope, intercept }
}

/** Arithmetic mean of numbers (NaN for none). */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  let sum = 0
  for (const v of values) sum += v
  return sum / values.length
}
