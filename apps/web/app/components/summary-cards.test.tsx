import { render, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { summaryCards } from '../lib/summary'
import { SummaryCards } from './summary-cards'

const totals = (costUsd: string, runs: number, input = 0, output = 0, avgCostPerRunUsd = '0.25') => ({
  costUsd,
  runs,
  errors: 0,
  inputTokens: input,
  outputTokens: output,
  cachedInputTokens: 0,
  reasoningTokens: 0,
  avgCostPerRunUsd,
  avgLatencyMs: null,
  unpricedRuns: 0,
})

describe('SummaryCards', () => {
  const cards = summaryCards({
    totals: totals('1234.56', 4321, 12_345_678, 9_876),
    previous: { ...totals('1000', 4321, 10_000_000, 0), from: '2025-02-01', to: '2025-02-28' },
  })

  it('shows the exact cost, readable counts and the change against the previous period', () => {
    render(<SummaryCards cards={cards} period="vs previous 30 days" />)
    const cost = screen.getByTestId('summary-cost')
    expect(within(cost).getByText('$1,234.56')).toBeTruthy()
    expect(within(cost).getByTestId('summary-change').getAttribute('data-direction')).toBe('up')
    expect(within(cost).getByText('+23.5%')).toBeTruthy()
    expect(within(cost).getByText(/up 23.5% on the previous period \(Feb 1 – Feb 28\)/)).toBeTruthy()
    expect(within(screen.getByTestId('summary-tokens')).getByText('12.4M')).toBeTruthy()
    const runs = screen.getByTestId('summary-runs')
    expect(within(runs).getByText('4,321')).toBeTruthy()
    expect(within(runs).getByTestId('summary-change').getAttribute('data-direction')).toBe('flat')
  })

  it('labels every figure as a term and shows skeletons while loading', () => {
    const { container } = render(<SummaryCards cards={cards} period="vs previous 30 days" loading />)
    const terms = [...container.querySelectorAll('dt')].map((dt) => dt.textContent)
    expect(terms).toEqual(['Total cost', 'Tokens', 'Runs', 'Average cost per run'])
    expect(screen.getAllByTestId('summary-skeleton')).toHaveLength(4)
    expect(screen.queryByText('$1,234.56')).toBeNull()
  })
})
