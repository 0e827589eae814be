import { z } from 'zod'
import { AppError } from './errors'

/**
 * Money in Costwise (docs/decisions/001-money.md).
 *
 * - In code a cost is an integer number of **nano-dollars** held in a `bigint` (1 USD = 10^9 nano).
 * - In PostgreSQL it is `numeric(20,9)`: USD with nine decimals, which is exactly the nano value.
 *   {@link nanoToUsd} writes what Postgres reads and {@link usdToNano} reads what Postgres writes
 *   (`"0.000450000"`, `"12.000000000"`), with no float anywhere in between.
 * - Sums are bigint additions (or SQL `numeric` sums), never float additions.
 * - Rounding is half away from zero ("half-up"), the same as Postgres `round(numeric)`, and happens
 *   only where a value cannot be represented: once per priced component, and for display.
 *
 * This file is the only place that converts between money representations. Nothing else parses or
 * formats dollar amounts by hand.
 */
export type Nano = bigint

export const NANO_PER_USD = 1_000_000_000n
/** Nine decimals: the scale of nano-dollars and of the `numeric(20,9)` columns. */
export const USD_SCALE = 9

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/

/**
 * Parses a plain decimal string into an integer scaled by 10^scale, exactly.
 * Accepts an optional leading `-`, digits, and an optional fraction (`"12"`, `"0.5"`, `"-3.25"`).
 * Rejects exponents, spaces, `NaN`, empty strings, and more than `scale` decimals — a value that
 * cannot be represented is an error, never a silent rounding.
 */
export function parseScaledDecimal(value: string, scale: number, what = 'decimal'): bigint {
  if (typeof value !== 'string') {
    throw new AppError('BAD_INPUT', `${what} must be a decimal string like "0.00045", got ${typeof value}.`)
  }
  const match = DECIMAL.exec(value)
  if (!match) {
    throw new AppError(
      'BAD_INPUT',
      `${what} "${value}" is not a decimal number: write digits with an optional "-" and "." (e.g. "12.50" or "0.00045"), no exponent or spaces.`,
    )
  }
  const [, minus, whole = '0', fraction = ''] = match
  if (fraction.length > scale) {
    throw new AppError(
      'BAD_INPUT',
      `${what} "${value}" has ${fraction.length} decimals; at most ${scale} are allowed (nano-dollar precision).`,
    )
  }
  const digits = BigInt(whole + fraction.padEnd(scale, '0'))
  return minus ? -digits : digits
}

/** `"0.00045"` → `450000n`. Exact; accepts Postgres numeric output such as `"12.000000000"`. */
export function usdToNano(usd: string): Nano {
  return parseScaledDecimal(usd, USD_SCALE, 'USD amount')
}

function splitNano(n: Nano): { negative: boolean; whole: bigint; fraction: bigint } {
  const negative = n < 0n
  const abs = negative ? -n : n
  return { negative, whole: abs / NANO_PER_USD, fraction: abs % NANO_PER_USD }
}

/**
 * `450000n` → `"0.00045"`, `12_000_000_000n` → `"12"`, `0n` → `"0"`, `-5n` → `"-0.000000005"`.
 * Exact and shortest (trailing zeros trimmed); valid input for Postgres `numeric`.
 */
export function nanoToUsd(n: Nano): string {
  const { negative, whole, fraction } = splitNano(n)
  const sign = negative ? '-' : ''
  if (fraction === 0n) return `${sign}${whole}`
  const digits = fraction.toString().padStart(USD_SCALE, '0').replace(/0+$/, '')
  return `${sign}${whole}.${digits}`
}

/**
 * Multiplies then divides, rounding the quotient half away from zero: round(a × b / c).
 * The one rounding primitive for money; `c` must not be zero.
 */
export function mulDivRoundHalfUp(a: bigint, b: bigint, c: bigint): bigint {
  if (c === 0n) throw new AppError('INTERNAL', 'mulDivRoundHalfUp: division by zero.')
  const num = a * b
  const negative = num < 0n !== c < 0n && num !== 0n
  const absNum = num < 0n ? -num : num
  const absDen = c < 0n ? -c : c
  let q = absNum / absDen
  if ((absNum % absDen) * 2n >= absDen) q += 1n
  return negative ? -q : q
}

function checkDecimals(decimals: number, max = USD_SCALE): void {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > max) {
    throw new AppError('BAD_INPUT', `decimals must be an integer from 0 to ${max}, got ${decimals}.`)
  }
}

/** Rounds to `decimals` places (half away from zero) and prints exactly that many: `nanoToUsdFixed(1_234_565_000_000n, 2)` → `"1234.57"`. */
export function nanoToUsdFixed(n: Nano, decimals: number): string {
  checkDecimals(decimals)
  const unit = 10n ** BigInt(USD_SCALE - decimals)
  const rounded = mulDivRoundHalfUp(n, 1n, unit)
  const negative = rounded < 0n
  const abs = negative ? -rounded : rounded
  const scale = 10n ** BigInt(decimals)
  const whole = abs / scale
  const sign = negative ? '-' : ''
  if (decimals === 0) return `${sign}${whole}`
  return `${sign}${whole}.${(abs % scale).toString().padStart(decimals, '0')}`
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

export interface FormatUsdOptions {
  /** Most decimals shown for amounts under a dollar (default 9, a nano-dollar). 2 or fewer rounds them to cents. */
  maxDecimals?: number
}

/** Significant digits an amount under a dollar keeps, so a small cost is never rounded to a misleading cent. */
export const USD_SIGNIFICANT_DIGITS = 3

/**
 * Money for people, the one display rule everywhere (pages, emails, PDF): from a dollar up, cents with thousands
 * separators (`"$1,234.56"`); under a dollar, {@link USD_SIGNIFICANT_DIGITS} significant digits, at least two
 * decimals, trailing zeros trimmed — `"$0.0154"` (never `"$0.02"`), `"$0.05"`, `"$0.50"`, `"$0.000355"`.
 * Rounding is half away from zero. A non-zero amount that would round to zero within `maxDecimals` shows as
 * `"<$0.0001"` so it never reads as free. Machine formats (CSV, JSON) carry the exact decimal ({@link nanoToUsd}).
 */
export function formatUsd(n: Nano, options: FormatUsdOptions = {}): string {
  const maxDecimals = options.maxDecimals ?? USD_SCALE
  checkDecimals(maxDecimals)
  const negative = n < 0n
  const abs = negative ? -n : n
  const sign = negative ? '-' : ''
  if (abs === 0n) return '$0.00'
  const wholeDigits = abs.toString().length // digits of the nano amount
  const decimals =
    abs >= NANO_PER_USD || maxDecimals <= 2
      ? 2
      : Math.min(Math.max(USD_SCALE - wholeDigits + USD_SIGNIFICANT_DIGITS, 2), maxDecimals)
  const fixed = nanoToUsdFixed(abs, decimals)
  if (/^0\.0+$/.test(fixed) && maxDecimals > 2) {
    const smallest = `0.${'0'.repeat(maxDecimals - 1)}1`
    return negative ? `>-$${smallest}` : `<$${smallest}`
  }
  const [whole = '0', fraction = ''] = fixed.split('.')
  const trimmed = fraction.replace(/0+$/, '').padEnd(2, '0')
  return `${sign}$${groupThousands(whole)}.${trimmed}`
}

/** Exact sum of nano amounts. */
export function sumNano(values: Iterable<Nano>): Nano {
  let total = 0n
  for (const v of values) total += v
  return total
}

export function minNano(a: Nano, b: Nano): Nano {
  return a < b ? a : b
}

export function maxNano(a: Nano, b: Nano): Nano {
  return a > b ? a : b
}

/**
 * `part` as a percentage of `whole`, rounded to two decimals, for display only (a number, never
 * used in further money arithmetic). `percentOf(80n, 100n)` → `80`. A zero `whole` gives 0.
 */
export function percentOf(part: Nano, whole: Nano): number {
  if (whole === 0n) return 0
  return Number(mulDivRoundHalfUp(part, 10_000n, whole)) / 100
}

/** How much cheaper `cost` is than `baseline`, in percent (negative when it is dearer). `savingsPercent(6n, 100n)` → `94`. */
export function savingsPercent(cost: Nano, baseline: Nano): number {
  return percentOf(baseline - cost, baseline)
}

/**
 * A number from a foreign file (LiteLLM's per-token prices such as `2.5e-06`) as a plain decimal string scaled
 * by 10^shift (`shift = 6`: per token → per 1M tokens, `"2.5"`), exactly: the number's shortest decimal form is
 * shifted by moving the point, never by float multiplication. Null when it is not a finite non-negative number.
 */
export function shiftedDecimal(value: unknown, shift: number): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return null
  const [mantissa = '0', exponentText] = String(value).toLowerCase().split('e')
  const exponent = Number(exponentText ?? 0) + shift
  const [whole = '0', fraction = ''] = mantissa.split('.')
  let digits = whole + fraction
  let point = whole.length + exponent
  if (point <= 0) {
    digits = '0'.repeat(1 - point) + digits
    point = 1
  }
  if (point > digits.length) digits = digits.padEnd(point, '0')
  const intPart = digits.slice(0, point).replace(/^0+(?=\d)/, '')
  const fracPart = digits.slice(point).replace(/0+$/, '')
  return fracPart ? `${intPart}.${fracPart}` : intPart
}

/**
 * A decimal amount from a provider's export, in units of 10^-`scale` USD (`scale` 0 for dollars, 2 for cents), as
 * nano-dollars rounded half-up once when it has more digits than a nano-dollar holds (a float such as
 * `0.30000000000000004` in a JSON export).
 */
export function decimalToNanoRounded(value: string, scale = 0): Nano {
  const match = DECIMAL.exec(value.trim())
  if (!match) throw new AppError('BAD_INPUT', `"${value}" is not a decimal amount.`)
  const [, minus, whole = '0', fraction = ''] = match
  const digits = BigInt(whole + fraction)
  const nano = mulDivRoundHalfUp(digits, 10n ** BigInt(USD_SCALE), 10n ** BigInt(fraction.length + scale))
  return minus ? -nano : nano
}

/**
 * For statistical models only (forecasts): an amount as a float number of dollars. Never add the result
 * to money or store it; turn a model's estimate back with {@link estimateToNano}.
 */
export function nanoToUsdNumber(n: Nano): number {
  return Number(n) / 1e9
}

/**
 * A statistical estimate in dollars (a forecast, an interval bound) rounded to the nano-dollar, so it can
 * be shown and compared like any amount. Not finite → 0; estimates are not costs and are never summed
 * with recorded spend except as an explicit projection.
 */
export function estimateToNano(usd: number): Nano {
  if (!Number.isFinite(usd)) return 0n
  return BigInt(Math.round(usd * 1e9))
}

/**
 * Splits `amount` (≥ 0) into parts proportional to `weights` (non-negative, not all zero), exactly: each part is
 * the floor of its share, and what is left over goes one unit at a time to the parts with the largest remainders
 * (ties: the earlier part). The parts always sum to `amount` — a cost split by percentages loses or invents no
 * nano-dollar. Works for any integer measure (nano-dollars, tokens, runs).
 */
export function splitProportionally(amount: bigint, weights: readonly bigint[]): bigint[] {
  if (amount < 0n) throw new AppError('INTERNAL', 'splitProportionally: amount must not be negative.')
  if (weights.some((w) => w < 0n)) throw new AppError('INTERNAL', 'splitProportionally: weights must not be negative.')
  const total = weights.reduce((s, w) => s + w, 0n)
  if (total === 0n) throw new AppError('INTERNAL', 'splitProportionally: the weights sum to zero.')
  const parts = weights.map((w) => (amount * w) / total)
  let left = amount - parts.reduce((s, p) => s + p, 0n)
  if (left > 0n) {
    const order = weights
      .map((w, i) => ({ i, remainder: (amount * w) % total }))
      .sort((a, b) => (a.remainder === b.remainder ? a.i - b.i : a.remainder > b.remainder ? -1 : 1))
    for (const { i } of order) {
      if (left === 0n) break
      parts[i]! += 1n
      left -= 1n
    }
  }
  return parts
}

/**
 * An amount of USD as people and APIs write it: a non-negative decimal string with at most 11 whole digits and
 * 9 decimals (it fits `numeric(20,9)`). The one pattern for budgets, fees, and prices per 1M tokens.
 */
export const USD_DECIMAL = /^\d{1,11}(\.\d{1,9})?$/

const USD_FORMAT = 'must be a decimal string of USD with at most 9 decimals, e.g. "250" or "0.01"'
export const usdAmountSchema = z
  .string({ error: USD_FORMAT })
  .trim()
  .regex(USD_DECIMAL, { error: USD_FORMAT, abort: true })

/** A USD amount more than zero (a budget's limit). */
export const positiveUsdSchema = usdAmountSchema.refine((v) => usdToNano(v) > 0n, 'must be more than $0')

/** A positive USD amount as people type it in a form: "$1,250.50" is read as "1250.50". */
export const typedPositiveUsdSchema = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim().replace(/^\$/, '').replace(/,/g, '') : v),
  positiveUsdSchema,
)
