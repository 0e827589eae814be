import { render, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { SummaryCards } from './summary-cards'

describe('SummaryCards', () => {
  it('shows the formatted cost as given, and readable token and run counts', () => {
    render(
      <SummaryCards
        period="Last 30 days"
        totals={{ cost: '$1,234.56', inputTokens: 12_345_678, outputTokens: 9_876, runs: 4_321 }}
      />,
    )
    expect(within(screen.getByTestId('summary-cost')).getByText('$1,234.56')).toBeTruthy()

    const input = within(screen.getByTestId('summary-input-tokens')).getByText('12.3M')
    expect(input.getAttribute('title')).toBe('12,345,678 input tokens')
    // Small counts stay exact.
    expect(within(screen.getByTestId('summary-output-tokens')).getByText('9,876')).toBeTruthy()
    expect(within(screen.getByTestId('summary-runs')).getByText('4,321')).toBeTruthy()
  })

  it('labels every figure so it reads as a term and its value', () => {
    const { container } = render(
      <SummaryCards period="Last 30 days" totals={{ cost: '$0.00', inputTokens: 0, outputTokens: 0, runs: 0 }} />,
    )
    const terms = [...container.querySelectorAll('dt')].map((dt) => dt.textContent)
    expect(terms).toEqual(['Total cost', 'Input tokens', 'Output tokens', 'Runs'])
    expect(screen.getAllByText('Last 30 days')).toHaveLength(4)
  })
})
