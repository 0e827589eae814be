import { describe, expect, it } from 'vitest'
import { changeBetween, describeChange } from './change'

describe('changeBetween', () => {
  it('gives the signed percentage with one decimal, rounded half away from zero', () => {
    expect(changeBetween(1234_560_000_000n, 1000_000_000_000n)).toEqual({
      direction: 'up',
      percent: 23.5,
      label: '+23.5%',
    })
    expect(changeBetween(50, 100)).toEqual({ direction: 'down', percent: -50, label: '−50%' })
    expect(changeBetween(2, 3)).toEqual({ direction: 'down', percent: -33.3, label: '−33.3%' })
    // 1/1600 = 0.0625% → rounds to 0.1%
    expect(changeBetween(1601, 1600).label).toBe('+0.1%')
    expect(changeBetween(300, 1)).toMatchObject({ direction: 'up', label: '+29,900%' })
  })

  it('is exact on money: no float error on nano-dollar bigints', () => {
    // 0.3 vs 0.1 + 0.2 in floats would not be 0%
    expect(changeBetween(300_000_000n, 100_000_000n + 200_000_000n)).toEqual({
      direction: 'flat',
      percent: 0,
      label: '0%',
    })
    expect(changeBetween(10n ** 20n + 1n, 10n ** 20n).direction).toBe('flat')
  })

  it('handles an empty previous period', () => {
    expect(changeBetween(0, 0)).toEqual({ direction: 'flat', percent: 0, label: '0%' })
    expect(changeBetween(5, 0)).toEqual({ direction: 'new', percent: null, label: 'new' })
    expect(changeBetween(0, 5)).toEqual({ direction: 'down', percent: -100, label: '−100%' })
  })

  it('describes the change for screen readers', () => {
    expect(describeChange(changeBetween(110, 100), 'the previous 30 days')).toBe('up 10% on the previous 30 days')
    expect(describeChange(changeBetween(90, 100), 'last month')).toBe('down 10% on last month')
    expect(describeChange(changeBetween(1, 0), 'last month')).toBe('nothing in last month to compare with')
  })
})

describe('one rule for the dashboard and the reports', () => {
  it('rounds half away from zero where truncation would differ (+7.55% → +7.6%, −7.55% → −7.6%)', () => {
    expect(changeBetween(10_755n, 10_000n).label).toBe('+7.6%')
    expect(changeBetween(9_245n, 10_000n).label).toBe('−7.6%')
    expect(changeBetween(10_749n, 10_000n).label).toBe('+7.5%')
  })
})
