import { z } from 'zod'
import { DateTime } from 'luxon'
import { periodKey, validateTimeZone } from './budgets/periods'
import { AppError } from './errors'

/**
 * Local calendar days and day ranges: the ONE place that says what "today", "last 7 days" or "this month" means,
 * for the dashboard, the reports, the API and the worker alike. A day is written YYYY-MM-DD and means the local
 * day in the team's time zone; a range [from, to] includes both days. Calendar arithmetic on days needs no zone;
 * turning instants into days and days into instants does, and is done here and in `budgets/periods` only.
 */

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/
const DAY_MS = 86_400_000

/** The longest range analytics, exports and reports accept. */
export const MAX_RANGE_DAYS = 366
/** A range with no `from` covers this many days ending with `to` (or today). */
export const DEFAULT_RANGE_DAYS = 30

export interface DayRange {
  from: string
  to: string
}

function looseUtc(day: string): number {
  const [y, m, d] = day.split('-').map(Number)
  return Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1)
}

/** Midnight UTC of a day; refuses what is not a real calendar day (400 naming `day`). */
function toUtc(day: string): number {
  if (!isIsoDay(day))
    throw new AppError('BAD_INPUT', `"${day}" is not a calendar day written YYYY-MM-DD.`, { field: 'day' })
  return looseUtc(day)
}

function fromUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

/** Whether a string is a real calendar day written YYYY-MM-DD. */
export function isIsoDay(value: string | null | undefined): value is string {
  if (!value || !ISO_DAY.test(value)) return false
  return fromUtc(looseUtc(value)) === value
}

/** `addDays("2025-03-01", -1)` → `"2025-02-28"`. */
export function addDays(day: string, days: number): string {
  return fromUtc(toUtc(day) + days * DAY_MS)
}

/** Days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(to) - toUtc(from)) / DAY_MS) + 1
}

/** The local day an instant falls on in a time zone (today, by default). */
export function localDayOf(timeZone: string, at: Date = new Date()): string {
  return periodKey('day', at, timeZone)
}

/** The instant a local day starts in a time zone (DST-safe: a day may be 23 or 25 hours long). */
export function dayStart(day: string, timeZone: string): Date {
  return DateTime.fromISO(day, { zone: validateTimeZone(timeZone) })
    .startOf('day')
    .toJSDate()
}

/** The instants [start of `from`, start of the day after `to`) of a range in a time zone. */
export function rangeInstants(range: DayRange, timeZone: string): { start: Date; end: Date } {
  return { start: dayStart(range.from, timeZone), end: dayStart(addDays(range.to, 1), timeZone) }
}

/** The range of the same length just before `range` (what a change is measured against). */
export function previousRange(range: DayRange): DayRange {
  const days = daysBetween(range.from, range.to)
  return { from: addDays(range.from, -days), to: addDays(range.from, -1) }
}

/** Named ranges, the same everywhere (dashboard, reports, CLI, API). */
export const rangePresetSchema = z.enum([
  'today',
  'yesterday',
  'last-7-days',
  'last-30-days',
  'last-90-days',
  'this-month',
  'last-month',
])
export type RangePreset = z.infer<typeof rangePresetSchema>

export const RANGE_PRESET_LABELS: Record<RangePreset, string> = {
  today: 'Today',
  yesterday: 'Yesterday',
  'last-7-days': 'Last 7 days',
  'last-30-days': 'Last 30 days',
  'last-90-days': 'Last 90 days',
  'this-month': 'This month',
  'last-month': 'Last month',
}

/**
 * The days a preset covers, counted from `today` (the team's local day). "Last N days" is the N days ending
 * today, today included — so a report and the dashboard show the same figures for the same preset.
 */
export function presetRange(preset: RangePreset, today: string): DayRange {
  const lastDays = (n: number) => ({ from: addDays(today, -(n - 1)), to: today })
  switch (preset) {
    case 'today':
      return { from: today, to: today }
    case 'yesterday':
      return { from: addDays(today, -1), to: addDays(today, -1) }
    case 'last-7-days':
      return lastDays(7)
    case 'last-30-days':
      return lastDays(30)
    case 'last-90-days':
      return lastDays(90)
    case 'this-month':
      return { from: `${today.slice(0, 8)}01`, to: today }
    case 'last-month': {
      const lastOfPrevious = addDays(`${today.slice(0, 8)}01`, -1)
      return { from: `${lastOfPrevious.slice(0, 8)}01`, to: lastOfPrevious }
    }
  }
}

/** Why a range is not acceptable, or null: both days real, `from` not after `to`, at most MAX_RANGE_DAYS. */
export function rangeProblem(range: DayRange): { field: 'from' | 'to'; message: string } | null {
  if (!isIsoDay(range.from)) return { field: 'from', message: 'must be a date written YYYY-MM-DD' }
  if (!isIsoDay(range.to)) return { field: 'to', message: 'must be a date written YYYY-MM-DD' }
  if (range.from > range.to) return { field: 'from', message: 'must not be after "to"' }
  const days = daysBetween(range.from, range.to)
  if (days > MAX_RANGE_DAYS)
    return { field: 'from', message: `a range covers at most ${MAX_RANGE_DAYS} days (this one covers ${days})` }
  return null
}

/**
 * A range from optional days: `to` defaults to today, `from` to DEFAULT_RANGE_DAYS days ending with `to`.
 * Throws BAD_INPUT naming the field when the range is not acceptable.
 */
export function resolveDayRange(input: { from?: string; to?: string }, today: string): DayRange & { days: number } {
  const to = input.to ?? today
  const from = input.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1))
  const problem = rangeProblem({ from, to })
  if (problem) throw new AppError('BAD_INPUT', `${problem.field}: ${problem.message}`, { field: problem.field })
  return { from, to, days: daysBetween(from, to) }
}

/** A local day in a schema (YYYY-MM-DD, a real date). */
export const isoDaySchema = z.iso.date('must be a date written YYYY-MM-DD')

/** For a zod object with optional `from`/`to` days: refuses `from` after `to`, on the `from` field. */
export function refineFromBeforeTo(
  value: { from?: string | undefined; to?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  if (value.from && value.to && value.from > value.to) {
    ctx.addIssue({ code: 'custom', message: 'must not be after "to"', path: ['from'] })
  }
}

/** Whole days from `a` to `b` (positive when `b` is later; `daysBetween` counts both ends instead). */
export function dayOffset(a: string, b: string): number {
  return Math.round((toUtc(b) - toUtc(a)) / DAY_MS)
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function weekdayOf(day: string): number {
  return ((new Date(toUtc(day)).getUTCDay() + 6) % 7) + 1
}

/** The first day of the month after the day's month. */
export function nextMonthStart(day: string): string {
  const d = new Date(toUtc(day))
  return fromUtc(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1))
}
