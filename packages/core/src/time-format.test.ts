import { describe, expect, it } from 'vitest'
import { formatDateTime, formatDateTimeWithZone, formatTimeZone, isHourCycle } from './time-format'

const berlin24 = { timeZone: 'Europe/Berlin', hourCycle: 'h23' } as const
const utc12 = { timeZone: 'UTC', hourCycle: 'h12' } as const

describe('formatDateTime', () => {
  it('shows midnight as 00, never 24, in the 24-hour cycle', () => {
    expect(formatDateTime('2026-12-01T23:15:21Z', berlin24, 'datetime-seconds')).toBe('Dec 2, 2026, 00:15:21')
    expect(formatDateTime('2026-12-01T23:15:21Z', berlin24, 'time')).toBe('00:15')
    expect(formatDateTime('2026-12-02T00:22:00Z', berlin24, 'time')).toBe('01:22')
  })

  it('uses the 12-hour cycle with AM/PM when asked', () => {
    expect(formatDateTime('2026-12-02T00:15:00Z', utc12)).toBe('Dec 2, 2026, 12:15 AM')
    expect(formatDateTime('2026-12-02T14:05:00Z', utc12)).toBe('Dec 2, 2026, 2:05 PM')
  })

  it('puts the time in the team zone, across a DST change', () => {
    const ny = { timeZone: 'America/New_York', hourCycle: 'h23' } as const
    expect(formatDateTime('2026-03-08T06:59:00Z', ny, 'time')).toBe('01:59')
    expect(formatDateTime('2026-03-08T07:00:00Z', ny, 'time')).toBe('03:00')
    expect(formatDateTime('2026-03-08T07:00:00Z', ny, 'date')).toBe('Mar 8, 2026')
  })

  it('names the zone with its offset at that moment', () => {
    expect(formatTimeZone('UTC')).toBe('UTC')
    expect(formatTimeZone('Europe/Berlin', '2026-01-15T12:00:00Z')).toBe('Europe/Berlin (GMT+1)')
    expect(formatTimeZone('Europe/Berlin', '2026-07-15T12:00:00Z')).toBe('Europe/Berlin (GMT+2)')
    expect(formatDateTimeWithZone('2026-01-15T12:00:00Z', berlin24)).toBe('Jan 15, 2026, 13:00 Europe/Berlin (GMT+1)')
  })

  it('rejects an unknown zone naming the field, and knows the cycles', () => {
    expect(() => formatDateTime(0, { timeZone: 'Mars/Olympus', hourCycle: 'h23' })).toThrow(
      /Unknown time zone "Mars\/Olympus"/,
    )
    expect(isHourCycle('h23')).toBe(true)
    expect(isHourCycle('h24')).toBe(false)
  })
})
