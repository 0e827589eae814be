import { describe, expect, it } from 'vitest'
import { addDays, nextMonthStart } from '../days'
import { nanoToUsdNumber, usdToNano } from '../money'
import { backtestMonthEnd } from './backtest'
import { fitForecast, forecastPeriod, type DailyTotal } from './forecast'
import { syntheticSeries } from './synthetic'

const usd = usdToNano
const flat = (days: number, perDay: string, firstDay = '2026-01-05'): DailyTotal[] =>
  Array.from({ length: days }, (_, i) => ({ day: addDays(firstDay, i), costNano: usd(perDay) }))

/** The month's actual total and a forecast of it made at the start of `origin` from everything before it. */
function monthForecastAt(series: DailyTotal[], origin: string) {
  const month = `${origin.slice(0, 7)}-01`
  const end = nextMonthStart(origin)
  const inMonth = series.filter((p) => p.day >= month && p.day < end)
  const actual = inMonth.reduce((s, p) => s + p.costNano, 0n)
  const spent = inMonth.filter((p) => p.day < origin).reduce((s, p) => s + p.costNano, 0n)
  const f = forecastPeriod({
    history: series.filter((p) => p.day < origin),
    today: origin,
    todayElapsed: 0,
    periodEnd: end,
    spentNano: spent,
  })
  return { actual, f, ape: Math.abs(nanoToUsdNumber(f.projectedNano - actual)) / nanoToUsdNumber(actual) }
}

describe('forecasts', () => {
  it('projects a steady series exactly: spend so far plus the same each remaining day', () => {
    const f = forecastPeriod({
      history: flat(40, '10'),
      today: '2026-02-14',
      todayElapsed: 0,
      periodEnd: '2026-03-01',
      spentNano: usd('130'),
    })
    expect(f.projectedNano).toBe(usd('280')) // 130 + 15 days × 10
    expect(f.lowNano).toBeLessThanOrEqual(f.projectedNano)
    expect(f.highNano).toBeGreaterThanOrEqual(f.projectedNano)
    expect(f.lastDay).toBe('2026-02-28')
  })

  it('counts only the rest of today', () => {
    const f = forecastPeriod({
      history: flat(40, '10'),
      today: '2026-02-28',
      todayElapsed: 0.75,
      periodEnd: '2026-03-01',
      spentNano: usd('0'),
    })
    expect(f.projectedNano).toBe(usd('2.5'))
  })

  it('says when a limit runs out: the first day the expected spend reaches it', () => {
    const base = { history: flat(40, '10'), today: '2026-02-14', todayElapsed: 0, periodEnd: '2026-03-01' }
    expect(forecastPeriod({ ...base, spentNano: usd('130'), limitNano: usd('200') }).exhaustsOn).toBe('2026-02-20') // 130 + 7 × 10
    expect(forecastPeriod({ ...base, spentNano: usd('130'), limitNano: usd('1000') }).exhaustsOn).toBeNull()
    expect(forecastPeriod({ ...base, spentNano: usd('250'), limitNano: usd('200') }).exhaustsOn).toBe('2026-02-14')
  })

  it('without history projects what is spent; open-ended budgets look 90 days ahead', () => {
    const none = forecastPeriod({
      history: [],
      today: '2026-02-14',
      todayElapsed: 0,
      periodEnd: '2026-03-01',
      spentNano: usd('3'),
      limitNano: usd('2'),
    })
    expect(none).toMatchObject({
      projectedNano: usd('3'),
      lowNano: usd('3'),
      highNano: usd('3'),
      exhaustsOn: '2026-02-14',
      model: null,
    })
    const open = forecastPeriod({
      history: flat(40, '1'),
      today: '2026-02-14',
      todayElapsed: 0,
      periodEnd: null,
      spentNano: usd('100'),
    })
    expect(open.lastDay).toBe(addDays('2026-02-14', 89))
    expect(open.projectedNano).toBe(usd('190'))
  })

  it('learns the weekday pattern', () => {
    const model = fitForecast(syntheticSeries('weekly', { days: 84, noise: 0.02 }))!
    const weekend = (model.weekday[5]! + model.weekday[6]!) / 2
    const weekday = model.weekday.slice(0, 5).reduce((s, x) => s + x, 0) / 5
    expect(weekend / weekday).toBeGreaterThan(0.3)
    expect(weekend / weekday).toBeLessThan(0.4)
  })

  it('follows a trend and notices a step change', () => {
    const trend = fitForecast(syntheticSeries('trend', { days: 120, noise: 0.02, base: 100 }))!
    expect(trend.slope).toBeGreaterThan(0.7) // 100 / 120 days per day
    expect(trend.slope).toBeLessThan(0.95)
    const step = fitForecast(syntheticSeries('step', { days: 130, noise: 0.03 }).slice(0, 85))! // the step came 7 days ago
    expect(step.stepChange).toBe(true)
    expect(step.level).toBeGreaterThan(170)
  })

  it('lands within the error its backtest states, for a trend it has not seen', () => {
    const stated = Math.max(
      ...[1, 2, 3].map((seed) => backtestMonthEnd(syntheticSeries('trend', { seed, days: 150 })).p90Ape),
    )
    const unseen = syntheticSeries('trend', { seed: 99, days: 150 })
    for (const origin of ['2026-04-08', '2026-04-15', '2026-04-22', '2026-05-10']) {
      const { ape, actual, f } = monthForecastAt(unseen, origin)
      expect(ape).toBeLessThanOrEqual(stated)
      expect(f.lowNano <= actual && actual <= f.highNano).toBe(true)
    }
  })

  it('backtests report error and interval coverage per series type', () => {
    const result = backtestMonthEnd(syntheticSeries('flat', { days: 120 }))
    expect(result.months).toBeGreaterThanOrEqual(2)
    expect(result.origins).toBeGreaterThan(50)
    expect(result.mape).toBeGreaterThan(0)
    expect(result.mape).toBeLessThan(0.1)
    expect(result.coverage).toBeGreaterThan(0.7)
    expect(Number.isNaN(backtestMonthEnd([]).mape)).toBe(true)
  })
})
