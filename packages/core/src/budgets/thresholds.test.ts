import { describe, expect, it } from 'vitest'
import { usdToNano } from '../money'
import { DEFAULT_ALERT_THRESHOLDS, budgetLevel, thresholdsCrossed } from './thresholds'

const usd = usdToNano

describe('thresholdsCrossed', () => {
  it('returns each threshold crossed upwards, once, ascending', () => {
    expect(thresholdsCrossed(40n, 85n, 100n, [50, 80, 100])).toEqual([50, 80])
    expect(thresholdsCrossed(40n, 85n, 100n)).toEqual([50, 80])
    expect(thresholdsCrossed(usd('79.99'), usd('100'), usd('100'), [100, 80, 50, 80])).toEqual([80, 100])
    expect(DEFAULT_ALERT_THRESHOLDS).toEqual([50, 80, 100])
  })

  it('is exact at the boundary: reaching the mark crosses it, starting on it does not', () => {
    expect(thresholdsCrossed(usd('49.999999999'), usd('50'), usd('100'))).toEqual([50])
    expect(thresholdsCrossed(usd('50'), usd('60'), usd('100'))).toEqual([])
    expect(thresholdsCrossed(usd('0'), usd('49.999999999'), usd('100'))).toEqual([])
    // Half a nano-dollar matters: 50 % of 1n is 0.5n, and 1n reaches it.
    expect(thresholdsCrossed(0n, 1n, 1n, [50, 100, 150])).toEqual([50, 100])
  })

  it('supports thresholds above 100 %', () => {
    expect(thresholdsCrossed(usd('90'), usd('130'), usd('100'), [100, 120, 150])).toEqual([100, 120])
  })

  it('crosses nothing when spend falls or the limit is not positive', () => {
    expect(thresholdsCrossed(90n, 10n, 100n)).toEqual([])
    expect(thresholdsCrossed(10n, 10n, 100n)).toEqual([])
    expect(thresholdsCrossed(0n, 100n, 0n)).toEqual([])
  })

  it('rejects thresholds that are not whole percentages', () => {
    expect(() => thresholdsCrossed(0n, 1n, 1n, [50.5])).toThrow(/whole percentages/)
    expect(() => thresholdsCrossed(0n, 1n, 1n, [0])).toThrow(/whole percentages/)
    expect(() => thresholdsCrossed(0n, 1n, 1n, [1001])).toThrow(/whole percentages/)
  })
})

describe('budgetLevel', () => {
  it.each([
    ['0', 'ok'],
    ['49.999999999', 'ok'],
    ['50', 'info'],
    ['79.999999999', 'info'],
    ['80', 'warning'],
    ['99.999999999', 'warning'],
    ['100', 'critical'],
    ['250', 'critical'],
  ])('$%s of $100 is %s', (spent, level) => {
    expect(budgetLevel(usd(spent), usd('100'))).toBe(level)
  })

  it('a non-positive limit is critical once anything is spent', () => {
    expect(budgetLevel(0n, 0n)).toBe('ok')
    expect(budgetLevel(1n, 0n)).toBe('critical')
  })
})
