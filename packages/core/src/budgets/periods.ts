import { DateTime, IANAZone } from 'luxon'
import { z } from 'zod'
import { AppError } from '../errors'

/**
 * The ONE place that turns a budget period and an IANA time zone into a [start, end) window.
 * Nothing else computes day/week/month boundaries by hand (STYLE.md, convention 11).
 *
 * Boundaries are local midnights in the team's zone, converted to instants. Calendar arithmetic is
 * done on the local calendar, so a day across a DST change is 23 or 25 hours long, and a zone with a
 * 30-minute DST shift (Australia/Lord_Howe) or a non-whole-hour offset (Asia/Kolkata) just works.
 */
export const budgetPeriodSchema = z.enum(['day', 'week', 'month', 'total'])
export type BudgetPeriod = z.infer<typeof budgetPeriodSchema>

export interface PeriodWindow {
  /** Inclusive start. */
  start: Date
  /** Exclusive end; null for `total` (open-ended). */
  end: Date | null
}

/** 1 = Monday … 7 = Sunday (ISO); 0 is also accepted for Sunday. */
export type WeekStart = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7

/** Returns the zone if it is a valid IANA time zone name; throws BAD_INPUT (field `timeZone`) if not. */
// Checking a zone builds an Intl.DateTimeFormat (~90 µs); the set of zones in use is tiny, so remember them.
const knownZones = new Set<string>()

function zoneIsValid(timeZone: unknown): timeZone is string {
  if (typeof timeZone !== 'string') return false
  if (knownZones.has(timeZone)) return true
  if (!IANAZone.isValidZone(timeZone)) return false
  if (knownZones.size < 1000) knownZones.add(timeZone)
  return true
}

export function validateTimeZone(timeZone: string): string {
  if (!zoneIsValid(timeZone)) {
    throw new AppError(
      'BAD_INPUT',
      `"${String(timeZone)}" is not an IANA time zone: use a name like "Europe/Berlin", "America/New_York" or "UTC".`,
      { field: 'timeZone' },
    )
  }
  return timeZone
}

export function isValidTimeZone(timeZone: string): boolean {
  return zoneIsValid(timeZone)
}

function localAt(at: Date, timeZone: string): DateTime {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
    throw new AppError('BAD_INPUT', 'at must be a valid Date.', { field: 'at' })
  }
  return DateTime.fromJSDate(at, { zone: validateTimeZone(timeZone) })
}

function checkWeekStart(weekStartsOn: number): number {
  if (!Number.isInteger(weekStartsOn) || weekStartsOn < 0 || weekStartsOn > 7) {
    throw new AppError('BAD_INPUT', `weekStartsOn must be 1 (Monday) to 7 (Sunday), got ${weekStartsOn}.`, {
      field: 'weekStartsOn',
    })
  }
  return weekStartsOn === 0 ? 7 : weekStartsOn
}

/**
 * The budget window of `period` containing `at`, in `timeZone`:
 * `day` — local midnight to the next; `week` — from the local midnight starting `weekStartsOn`
 * (default Monday); `month` — from the 1st; `total` — from the epoch, open-ended.
 */
export function periodWindow(period: BudgetPeriod, at: Date, timeZone: string, weekStartsOn: number = 1): PeriodWindow {
  const local = localAt(at, timeZone)
  const weekStart = checkWeekStart(weekStartsOn)
  switch (period) {
    case 'day': {
      const start = local.startOf('day')
      return { start: start.toJSDate(), end: start.plus({ days: 1 }).startOf('day').toJSDate() }
    }
    case 'week': {
      const today = local.startOf('day')
      const start = today.minus({ days: (today.weekday - weekStart + 7) % 7 }).startOf('day')
      return { start: start.toJSDate(), end: start.plus({ days: 7 }).startOf('day').toJSDate() }
    }
    case 'month': {
      const start = local.startOf('month')
      return { start: start.toJSDate(), end: start.plus({ months: 1 }).startOf('month').toJSDate() }
    }
    case 'total':
      return { start: new Date(0), end: null }
    default:
      throw new AppError('BAD_INPUT', `Unknown budget period "${String(period)}": use day, week, month or total.`, {
        field: 'period',
      })
  }
}

/** The window just before the one containing `at` (yesterday, last week, last month); null for `total`. */
export function previousWindow(
  period: BudgetPeriod,
  at: Date,
  timeZone: string,
  weekStartsOn: number = 1,
): PeriodWindow | null {
  if (period === 'total') return null
  const current = periodWindow(period, at, timeZone, weekStartsOn)
  return periodWindow(period, new Date(current.start.getTime() - 1), timeZone, weekStartsOn)
}

/**
 * A stable label for the window containing `at`: its local start date (`2026-03-08`), or `total`.
 * Use it in job keys and alert de-duplication ("80 % of the March budget" fires once).
 */
export function periodKey(period: BudgetPeriod, at: Date, timeZone: string, weekStartsOn: number = 1): string {
  if (period === 'total') return 'total'
  const { start } = periodWindow(period, at, timeZone, weekStartsOn)
  return DateTime.fromJSDate(start, { zone: timeZone }).toISODate()!
}
