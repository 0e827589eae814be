import { describe, expect, it } from 'vitest'
import { AppError } from '../errors'
import {
  budgetPeriodSchema,
  isValidTimeZone,
  periodKey,
  periodWindow,
  previousWindow,
  validateTimeZone,
  type BudgetPeriod,
} from './periods'

const iso = (d: Date | null) => d?.toISOString() ?? null
const hours = (w: { start: Date; end: Date | null }) => (w.end!.getTime() - w.start.getTime()) / 3_600_000

function window(period: BudgetPeriod, at: string, tz: string, weekStartsOn?: number) {
  const w = periodWindow(period, new Date(at), tz, weekStartsOn)
  return { start: iso(w.start), end: iso(w.end), hours: w.end ? hours(w) : null }
}

describe('periodWindow: days across DST', () => {
  it.each([
    // America/New_York springs forward on 2026-03-08 (23 h) and falls back on 2026-11-01 (25 h).
    ['2026-03-08T12:00:00Z', 'America/New_York', '2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z', 23],
    ['2026-11-01T12:00:00Z', 'America/New_York', '2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z', 25],
    ['2026-07-04T03:59:59Z', 'America/New_York', '2026-07-03T04:00:00.000Z', '2026-07-04T04:00:00.000Z', 24], // still the 3rd locally
    // Europe/Berlin springs forward on 2026-03-29 and falls back on 2026-10-25.
    ['2026-03-29T10:00:00Z', 'Europe/Berlin', '2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z', 23],
    ['2026-10-25T10:00:00Z', 'Europe/Berlin', '2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z', 25],
    // Asia/Kolkata is UTC+5:30 all year: 20:00Z is already tomorrow there.
    ['2026-05-10T20:00:00Z', 'Asia/Kolkata', '2026-05-10T18:30:00.000Z', '2026-05-11T18:30:00.000Z', 24],
    // Australia/Lord_Howe shifts by 30 minutes: 24.5 h in April, 23.5 h in October.
    ['2026-04-05T05:00:00Z', 'Australia/Lord_Howe', '2026-04-04T13:00:00.000Z', '2026-04-05T13:30:00.000Z', 24.5],
    ['2026-10-04T05:00:00Z', 'Australia/Lord_Howe', '2026-10-03T13:30:00.000Z', '2026-10-04T13:00:00.000Z', 23.5],
    // America/Santiago skips midnight itself (00:00 → 01:00 on 2026-09-06): the day starts at 01:00.
    ['2026-09-06T12:00:00Z', 'America/Santiago', '2026-09-06T04:00:00.000Z', '2026-09-07T03:00:00.000Z', 23],
    ['2026-01-01T00:00:00Z', 'UTC', '2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z', 24],
  ])('day containing %s in %s is [%s, %s) — %s h', (at, tz, start, end, h) => {
    expect(window('day', at, tz)).toEqual({ start, end, hours: h })
  })

  it('consecutive days tile time with no gap or overlap', () => {
    let at = new Date('2026-03-01T12:00:00Z')
    let previousEnd: string | null = null
    for (let i = 0; i < 400; i++) {
      const w = periodWindow('day', at, 'America/New_York')
      if (previousEnd) expect(iso(w.start)).toBe(previousEnd)
      expect(w.start.getTime()).toBeLessThanOrEqual(at.getTime())
      expect(w.end!.getTime()).toBeGreaterThan(at.getTime())
      previousEnd = iso(w.end)
      at = w.end!
    }
  })
})

describe('periodWindow: weeks, months, total', () => {
  it('weeks start on Monday by default, or any ISO weekday (0 = Sunday too)', () => {
    // 2026-03-08 is a Sunday, and the DST change makes that week 167 h long.
    expect(window('week', '2026-03-08T12:00:00Z', 'America/New_York')).toEqual({
      start: '2026-03-02T05:00:00.000Z',
      end: '2026-03-09T04:00:00.000Z',
      hours: 167,
    })
    const sunday = window('week', '2026-03-08T12:00:00Z', 'America/New_York', 7)
    expect(sunday).toEqual({ start: '2026-03-08T05:00:00.000Z', end: '2026-03-15T04:00:00.000Z', hours: 167 })
    expect(window('week', '2026-03-08T12:00:00Z', 'America/New_York', 0)).toEqual(sunday)
    expect(window('week', '2026-03-12T12:00:00Z', 'UTC', 4).start).toBe('2026-03-12T00:00:00.000Z') // a Thursday start
  })

  it('months run from the 1st to the 1st, across DST and year ends', () => {
    expect(window('month', '2026-03-08T12:00:00Z', 'America/New_York')).toEqual({
      start: '2026-03-01T05:00:00.000Z',
      end: '2026-04-01T04:00:00.000Z',
      hours: 743,
    })
    expect(window('month', '2026-12-31T23:30:00Z', 'Europe/Berlin')).toEqual({
      start: '2026-12-31T23:00:00.000Z', // already January 2027 in Berlin
      end: '2027-01-31T23:00:00.000Z',
      hours: 744,
    })
    expect(window('month', '2028-02-10T00:00:00Z', 'UTC').hours).toBe(29 * 24)
  })

  it('total starts at the epoch and never ends', () => {
    expect(periodWindow('total', new Date(), 'Asia/Tokyo')).toEqual({ start: new Date(0), end: null })
  })
})

describe('previousWindow and periodKey', () => {
  it('gives the window before', () => {
    const prev = previousWindow('day', new Date('2026-03-09T12:00:00Z'), 'America/New_York')!
    expect([iso(prev.start), iso(prev.end)]).toEqual(['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z'])
    const lastMonth = previousWindow('month', new Date('2026-01-08T12:00:00Z'), 'Europe/Berlin')!
    expect([iso(lastMonth.start), iso(lastMonth.end)]).toEqual(['2025-11-30T23:00:00.000Z', '2025-12-31T23:00:00.000Z'])
    const lastWeek = previousWindow('week', new Date('2026-03-08T12:00:00Z'), 'UTC', 7)!
    expect(iso(lastWeek.start)).toBe('2026-03-01T00:00:00.000Z')
    expect(previousWindow('total', new Date(), 'UTC')).toBeNull()
  })

  it('labels a window by its local start date', () => {
    expect(periodKey('day', new Date('2026-05-10T20:00:00Z'), 'Asia/Kolkata')).toBe('2026-05-11')
    expect(periodKey('month', new Date('2026-03-08T12:00:00Z'), 'America/New_York')).toBe('2026-03-01')
    expect(periodKey('week', new Date('2026-03-08T12:00:00Z'), 'America/New_York')).toBe('2026-03-02')
    expect(periodKey('total', new Date(), 'UTC')).toBe('total')
  })
})

describe('validation', () => {
  it('accepts IANA zones and rejects anything else, naming the field', () => {
    expect(validateTimeZone('Europe/Berlin')).toBe('Europe/Berlin')
    expect(isValidTimeZone('UTC')).toBe(true)
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false)
    for (const bad of ['Mars/Olympus_Mons', '', 'GMT+25']) {
      try {
        periodWindow('day', new Date(), bad)
        throw new Error('expected BAD_INPUT')
      } catch (error) {
        expect(error).toBeInstanceOf(AppError)
        expect((error as AppError).code).toBe('BAD_INPUT')
        expect((error as AppError).field).toBe('timeZone')
        expect((error as AppError).message).toMatch(/IANA time zone/)
      }
    }
    expect(() => validateTimeZone(undefined as unknown as string)).toThrow(AppError)
  })

  it('rejects bad dates, week starts and periods', () => {
    expect(() => periodWindow('day', new Date('x'), 'UTC')).toThrow(/valid Date/)
    expect(() => periodWindow('week', new Date(), 'UTC', 8)).toThrow(/weekStartsOn/)
    expect(() => periodWindow('week', new Date(), 'UTC', 1.5)).toThrow(/weekStartsOn/)
    expect(() => periodWindow('year' as BudgetPeriod, new Date(), 'UTC')).toThrow(/Unknown budget period/)
    expect(budgetPeriodSchema.options).toEqual(['day', 'week', 'month', 'total'])
  })
})
