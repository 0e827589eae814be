import { AppError } from './errors'

/**
 * Times for people, the one display rule everywhere (pages, emails, PDF): in the team's time zone, with the zone
 * named, in the team's 12- or 24-hour preference. 24-hour uses the `h23` cycle — midnight is "00:15", never the
 * "24:15" that `hour12: false` gives in `en-US`. Machine formats (CSV, JSON, the API) carry ISO 8601 in UTC.
 * Fixed locale (`en-US`) so the server and the browser render the same text.
 */
export const HOUR_CYCLES = ['h12', 'h23'] as const
export type HourCycle = (typeof HOUR_CYCLES)[number]
export const DEFAULT_HOUR_CYCLE: HourCycle = 'h12'

export interface TimeDisplay {
  timeZone: string
  hourCycle: HourCycle
}

export function isHourCycle(value: unknown): value is HourCycle {
  return typeof value === 'string' && (HOUR_CYCLES as readonly string[]).includes(value)
}

export type TimeStyle = 'datetime' | 'datetime-seconds' | 'time' | 'time-seconds' | 'date'

// Formatters are costly to build (~90 µs) and few (zones in use × cycles × styles): built once each.
const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(display: TimeDisplay, style: TimeStyle): Intl.DateTimeFormat {
  const key = `${display.timeZone}|${display.hourCycle}|${style}`
  let f = formatters.get(key)
  if (!f) {
    const withDate = style === 'datetime' || style === 'datetime-seconds' || style === 'date'
    const withTime = style !== 'date'
    const seconds = style === 'datetime-seconds' || style === 'time-seconds'
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: display.timeZone,
        ...(withDate ? { year: 'numeric', month: 'short', day: 'numeric' } : {}),
        ...(withTime
          ? {
              hour: display.hourCycle === 'h23' ? '2-digit' : 'numeric',
              minute: '2-digit',
              hourCycle: display.hourCycle,
            }
          : {}),
        ...(seconds ? { second: '2-digit' } : {}),
      })
    } catch {
      throw new AppError(
        'BAD_INPUT',
        `Unknown time zone "${display.timeZone}": use an IANA name such as "Europe/Berlin".`,
        { field: 'timeZone' },
      )
    }
    formatters.set(key, f)
  }
  return f
}

function toDate(at: Date | string | number): Date {
  return at instanceof Date ? at : new Date(at)
}

/** `"Dec 2, 2026, 14:05"` (h23) or `"Dec 2, 2026, 2:05 PM"` (h12), in the display's zone; the zone is not named. */
export function formatDateTime(
  at: Date | string | number,
  display: TimeDisplay,
  style: TimeStyle = 'datetime',
): string {
  return formatter(display, style).format(toDate(at))
}

/** The zone as people read it: `"UTC"`, `"Europe/Berlin (GMT+1)"` (the offset at `at`). */
export function formatTimeZone(timeZone: string, at: Date | string | number = new Date()): string {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 'UTC'
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'shortOffset' }).formatToParts(toDate(at))
  const offset = parts.find((p) => p.type === 'timeZoneName')?.value
  return offset ? `${timeZone} (${offset})` : timeZone
}

/** A time with its zone named, for a sentence or an email: `"Dec 2, 2026, 2:05 PM Europe/Berlin (GMT+1)"`. */
export function formatDateTimeWithZone(
  at: Date | string | number,
  display: TimeDisplay,
  style: TimeStyle = 'datetime',
): string {
  return `${formatDateTime(at, display, style)} ${formatTimeZone(display.timeZone, at)}`
}
