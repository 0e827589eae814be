import { describe, expect, it } from 'vitest'
import { sharePercent, summaryCards, trendPoints } from './summary'

const totals = (costUsd: string, runs: number, avg = '0') => ({
  costUsd,
  runs,
  errors: 0,
  inputTokens: runs * 10,
  outputTokens: runs,
  cachedInputTokens: 0,
  reasoningTokens: 0,
  avgCostPerRunUsd: avg,
  avgLatencyMs: null,
  unpricedRuns: 0,
})

describe('usage summary', () => {
  it('builds the four cards with exact money and the change vs the previous period', () => {
    const cards = summaryCards({
      totals: totals('0.3', 3, '0.1'),
      previous: { ...totals('0.15', 0), from: '2025-02-01', to: '2025-02-28' },
    })
    expect(cards.map((c) => [c.id, c.value, c.change.label])).toEqual([
      ['cost', '$0.30', '+100%'],
      ['tokens', '33', 'new'],
      ['runs', '3', 'new'],
      ['avg-cost', '$0.10', 'new'],
    ])
  })

  it('computes shares from exact decimals', () => {
    expect(sharePercent('1', '3')).toBe('33.3%')
    expect(sharePercent('2', '3')).toBe('66.7%')
    expect(sharePercent('1', '0')).toBe('0%')
  })

  it('fills every day (or Monday-started week) of the range for the trend', () => {
    const groups = [{ key: '2025-03-02', ...totals('1.5', 2) }]
    const days = trendPoints(groups, { from: '2025-03-01', to: '2025-03-03', trend: 'day' })
    expect(days).toEqual([
      { label: 'Mar 1', Cost: 0, Runs: 0 },
      { label: 'Mar 2', Cost: 1.5, Runs: 2 },
      { label: 'Mar 3', Cost: 0, Runs: 0 },
    ])
    // 2025-03-05 is a Wednesday: weeks start Mon Mar 3 and Mon Mar 10.
    const weeks = trendPoints([{ key: '2025-03-03', ...totals('2', 1) }], {
      from: '2025-03-05',
      to: '2025-03-12',
      trend: 'week',
    })
    expect(weeks.map((w) => [w.label, w.Cost])).toEqual([
      ['Wk of Mar 3', 2],
      ['Wk of Mar 10', 0],
    ])
  })
})
