import { describe, expect, it } from 'vitest'
import {
  addDays,
  dayStart,
  daysBetween,
  isIsoDay,
  localDayOf,
  presetRange,
  previousRange,
  rangeInstants,
  rangePresetSchema,
  resolveDayRange,
} from './days'

describe('local days', () => {
  it('does calendar arithmetic on days', () => {
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28')
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29')
    expect(daysBetween('2025-01-01', '2025-01-31')).toBe(31)
    expect(isIsoDay('2025-02-29')).toBe(false)
    expect(isIsoDay('2024-02-29')).toBe(true)
  })

  it('finds the local day of an instant, and the instant a day starts', () => {
    const at = new Date('2026-03-08T03:30:00Z')
    expect(localDayOf('UTC', at)).toBe('2026-03-08')
    expect(localDayOf('America/Los_Angeles', at)).toBe('2026-03-07')
    expect(localDayOf('Pacific/Kiritimati', at)).toBe('2026-03-08')
    expect(dayStart('2026-03-08', 'America/Los_Angeles').toISOString()).toBe('2026-03-08T08:00:00.000Z')
    // The DST day is 23 hours long.
    const { start, end } = rangeInstants({ from: '2026-03-08', to: '2026-03-08' }, 'America/Los_Angeles')
    expect((end.getTime() - start.getTime()) / 3_600_000).toBe(23)
  })
})

describe('presets: "last N days" is the N days ending today, everywhere', () => {
  const today = '2025-03-15'
  it.each([
    ['today', '2025-03-15', '2025-03-15'],
    ['yesterday', '2025-03-14', '2025-03-14'],
    ['last-7-days', '2025-03-09', '2025-03-15'],
    ['last-30-days', '2025-02-14', '2025-03-15'],
    ['last-90-days', '2024-12-16', '2025-03-15'],
    ['this-month', '2025-03-01', '2025-03-15'],
    ['last-month', '2025-02-01', '2025-02-28'],
  ] as const)('%s', (preset, from, to) => {
    expect(presetRange(preset, today)).toEqual({ from, to })
  })

  it('covers N days for every "last N days" preset', () => {
    for (const preset of rangePresetSchema.options) {
      const match = /^last-(\d+)-days$/.exec(preset)
      if (match) {
        const { from, to } = presetRange(preset, today)
        expect(daysBetween(from, to)).toBe(Number(match[1]))
      }
    }
  })

  it('knows month lengths and leap years', () => {
    expect(presetRange('last-month', '2024-03-31')).toEqual({ from: '2024-02-01', to: '2024-02-29' })
    expect(presetRange('last-month', '2025-01-10')).toEqual({ from: '2024-12-01', to: '2024-12-31' })
  })

  it('compares with the range of the same length just before', () => {
    expect(previousRange({ from: '2025-03-09', to: '2025-03-15' })).toEqual({ from: '2025-03-02', to: '2025-03-08' })
  })
})

describe('resolveDayRange', () => {
  it('defaults to the last 30 days ending today', () => {
    expect(resolveDayRange({}, '2025-03-15')).toEqual({ from: '2025-02-14', to: '2025-03-15', days: 30 })
  })

  it('names the field at fault', () => {
    expect(() => resolveDayRange({ from: '2025-03-16', to: '2025-03-15' }, '2025-03-15')).toThrow(
      /^from: must not be after/,
    )
    expect(() => resolveDayRange({ from: '2023-01-01', to: '2025-01-01' }, '2025-03-15')).toThrow(/at most 366 days/)
  })
})
