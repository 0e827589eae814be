import { describe, expect, it } from 'vitest'
import { emptyUsageView, toUsageView } from './usage.server'

describe('toUsageView', () => {
  it('formats the exact total and keeps per-day values for the chart', () => {
    const view = toUsageView({
      timeZone: 'America/New_York',
      days: [
        { date: '2025-03-01', costUsd: '1234.005', inputTokens: 1000, outputTokens: 200, runs: 3 },
        { date: '2025-03-02', costUsd: '0.000450000', inputTokens: 10, outputTokens: 5, runs: 1 },
      ],
      totals: { costUsd: '1234.00545', inputTokens: 1010, outputTokens: 205, runs: 4 },
    })
    expect(view.totals).toEqual({ cost: '$1,234.01', inputTokens: 1010, outputTokens: 205, runs: 4 })
    expect(view.chart).toEqual([
      { label: 'Mar 1', Cost: 1234.005 },
      { label: 'Mar 2', Cost: 0.00045 },
    ])
    expect(view).toMatchObject({ from: '2025-03-01', to: '2025-03-02', timeZone: 'America/New_York', isEmpty: false })
  })

  it('is empty when nothing ran in the period', () => {
    const view = toUsageView({
      timeZone: 'UTC',
      days: [{ date: '2025-03-01', costUsd: '0', inputTokens: 0, outputTokens: 0, runs: 0 }],
      totals: { costUsd: '0', inputTokens: 0, outputTokens: 0, runs: 0 },
    })
    expect(view.isEmpty).toBe(true)
    expect(view.totals.cost).toBe('$0.00')
    expect(emptyUsageView().isEmpty).toBe(true)
  })
})
