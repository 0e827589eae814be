import { AppError } from './errors'

/**
 * Calendar-day arithmetic on `YYYY-MM-DD` strings (a local day in whatever zone the caller means). No time
 * zones here: turning instants into local days and periods into windows stays in budgets/periods.ts. Plain
 * UTC date maths, because the forecast and anomaly scans call these many thousands of times.
 */
const DAY_MS = 86_400_000
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/

function toMs(day: string): number {
  const m = ISO_DAY.exec(day)
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day) {
    throw new AppError('BAD_INPUT', `"${day}" is not a calendar day written YYYY-MM-DD.`, { field: 'day' })
  }
  return ms
}

const fromMs = (ms: number) => new Date(ms).toISOString().slice(0, 10)

export function addDays(day: string, days: number): string {
  return fromMs(toMs(day) + days * DAY_MS)
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return Math.round((toMs(b) - toMs(a)) / DAY_MS)
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function weekdayOf(day: string): number {
  return ((new Date(toMs(day)).getUTCDay() + 6) % 7) + 1
}

/** The first day of the month after the day's month. */
export function nextMonthStart(day: string): string {
  const d = new Date(toMs(day))
  return fromMs(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1))
}
