import { describe, expect, it } from 'vitest'
import { addDays, dayOffset, nextMonthStart, weekdayOf } from './days'
import { createRng, normal } from './random'

describe('calendar days', () => {
  it('adds days across months, years and leap days', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01')
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29')
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31')
    expect(dayOffset('2026-03-01', '2026-03-31')).toBe(30)
    expect(dayOffset('2026-03-31', '2026-03-01')).toBe(-30)
    expect(weekdayOf('2026-11-23')).toBe(1)
    expect(weekdayOf('2026-11-29')).toBe(7)
    expect(nextMonthStart('2026-12-17')).toBe('2027-01-01')
  })

  it('refuses what is not a day', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(/not a calendar day/)
    expect(() => weekdayOf('yesterday')).toThrow(/not a calendar day/)
  })
})

describe('seeded randomness', () => {
  it('repeats for a seed and spreads like a standard normal', () => {
    const a = createRng(7)
    const b = createRng(7)
    expect([a(), a(), a()]).toEqual([b(), b(), b()])
    const rng = createRng(1)
    const draws = Array.from({ length: 20_000 }, () => normal(rng))
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length
    const variance = draws.reduce((s, x) => s + (x - mean) ** 2, 0) / draws.length
    expect(Math.abs(mean)).toBeLessThan(0.03)
    expect(Math.abs(variance - 1)).toBeLessThan(0.05)
  })
})
