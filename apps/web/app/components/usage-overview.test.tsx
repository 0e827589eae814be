import { screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { UsageView } from '../lib/usage-view'
import { renderAt } from '../test/render'
import { EMPTY_USAGE_MESSAGE, UsageOverview } from './usage-overview'

const empty: UsageView = {
  timeZone: 'UTC',
  from: '2025-03-01',
  to: '2025-03-30',
  totals: { cost: '$0.00', inputTokens: 0, outputTokens: 0, runs: 0 },
  chart: [],
  isEmpty: true,
}

const busy: UsageView = {
  timeZone: 'Europe/Paris',
  from: '2025-03-01',
  to: '2025-03-02',
  totals: { cost: '$12.35', inputTokens: 1500, outputTokens: 700, runs: 3 },
  chart: [
    { label: 'Mar 1', Cost: 10 },
    { label: 'Mar 2', Cost: 2.345 },
  ],
  isEmpty: false,
}

describe('UsageOverview', () => {
  it('explains how to get started when there is no usage, without empty figures', () => {
    renderAt(<UsageOverview teamName="Acme" usage={empty} />, '/dashboard/usage')
    expect(screen.getByTestId('usage-empty').textContent).toContain(EMPTY_USAGE_MESSAGE)
    expect(screen.getByRole('link', { name: 'Open the Prompt Lab' }).getAttribute('href')).toBe('/lab')
    expect(screen.queryByTestId('summary-cost')).toBeNull()
    expect(screen.queryByTestId('usage-chart')).toBeNull()
  })

  it('shows the figures and the chart when there is usage', () => {
    renderAt(<UsageOverview teamName="Acme" usage={busy} />, '/dashboard/usage')
    expect(screen.queryByTestId('usage-empty')).toBeNull()
    expect(screen.getByTestId('summary-cost').textContent).toContain('$12.35')
    expect(screen.getByTestId('usage-chart')).toBeTruthy()
    expect(screen.getByText('Mar 1 – Mar 2 · Europe/Paris')).toBeTruthy()
    expect(screen.getByRole('heading', { level: 1, name: 'Usage' })).toBeTruthy()
  })
})
