import { DEFAULT_HOUR_CYCLE, type HourCycle, type TimeDisplay } from '@costwise/core'

// Display formatting shared by server and browser. Fixed locale so server and client render the same text.
// Money and times follow core's one rule (`formatUsd` in money.ts, `formatDateTime` in time-format.ts); this module
// adds what only screens need (counts, chart axes) and how a page gets its team's time display.
export { formatDateTime, formatDateTimeWithZone, formatTimeZone, formatUsd, type TimeDisplay } from '@costwise/core'

/** How a team reads times: its zone and 12/24-hour clock (12-hour when the team has not chosen). */
export function teamDisplay(team: { timeZone: string; hourCycle?: HourCycle | null } | null | undefined): TimeDisplay {
  return { timeZone: team?.timeZone ?? 'UTC', hourCycle: team?.hourCycle ?? DEFAULT_HOUR_CYCLE }
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 })
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** 1234567 → "1,234,567". */
export function formatCount(n: number): string {
  return integer.format(n)
}

/** 1234567 → "1.2M"; small numbers stay exact. */
export function formatCompact(n: number): string {
  return Math.abs(n) < 10_000 ? integer.format(n) : compact.format(n)
}

/** "2025-03-04" → "Mar 4" (a calendar day, so no time zone is involved). */
export function formatDay(isoDate: string): string {
  const [, month, day] = isoDate.split('-').map(Number)
  if (!month || !day) return isoDate
  return `${MONTHS[month - 1]} ${day}`
}

/**
 * A chart axis or tooltip value in dollars: cents from a dollar up, and up to four decimals below, so
 * small daily costs don't all read "$0.00". Charts plot numbers, so this formats a display value only;
 * totals and money arithmetic use the exact decimal strings.
 */
export function formatChartUsd(value: number): string {
  if (value === 0 || Math.abs(value) >= 1)
    return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`
  // Under a dollar, three significant digits and at least two decimals, like core's formatUsd.
  const text = value.toLocaleString('en-US', { maximumSignificantDigits: 3 })
  const [whole, fraction = ''] = text.split('.')
  return `$${whole}.${fraction.padEnd(2, '0')}`
}
