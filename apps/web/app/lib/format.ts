// Display formatting shared by server and browser. Fixed locale so server and client render the same text.

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
  const maximumFractionDigits = Math.abs(value) >= 1 ? 2 : 4
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits })}`
}
