import { describe, expect, it } from 'vitest'
import { usdToNano } from '../money'
import { roundUpToTwoFigures, suggestBudgetLimit } from './suggest'

const usd = usdToNano

describe('budget suggestions', () => {
  it('rounds up to two significant figures', () => {
    expect(roundUpToTwoFigures(usd('123.4'))).toBe(usd('130'))
    expect(roundUpToTwoFigures(usd('120'))).toBe(usd('120'))
    expect(roundUpToTwoFigures(usd('0.01234'))).toBe(usd('0.013'))
    expect(roundUpToTwoFigures(0n)).toBe(0n)
    expect(roundUpToTwoFigures(7n)).toBe(7n)
  })

  it('takes the p95 of past periods plus 20 % headroom, and says so', () => {
    const past = ['80', '95', '90', '120', '100', '85'].map(usd)
    const s = suggestBudgetLimit({ period: 'month', pastTotals: past })!
    expect(s.basis).toBe('history')
    expect(s.baseNano).toBe(usd('120'))
    expect(s.limitNano).toBe(usd('150')) // 144, rounded up to two figures
    expect(s.explanation).toBe(
      'In 95% of the last 6 months spend stayed at or under $120.00; with 20% headroom, rounded up, that is $150.00 a month.',
    )
  })

  it('looks back a bounded number of periods', () => {
    const past = [usd('1000'), ...Array.from({ length: 28 }, () => usd('10'))]
    expect(suggestBudgetLimit({ period: 'day', pastTotals: past })!.baseNano).toBe(usd('10'))
  })

  it('falls back on the forecast with little history, and gives nothing without either', () => {
    const s = suggestBudgetLimit({ period: 'week', pastTotals: [0n, usd('5')], projectedNano: usd('42') })!
    expect(s.basis).toBe('forecast')
    expect(s.limitNano).toBe(usd('51'))
    expect(s.explanation).toMatch(/forecast/)
    expect(suggestBudgetLimit({ period: 'week', pastTotals: [] })).toBeNull()
    expect(suggestBudgetLimit({ period: 'total', pastTotals: [usd('5'), usd('5'), usd('5')] })).toBeNull()
  })
})
