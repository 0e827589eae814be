import { screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { renderAt } from '../../test/render'
import { parseUsageQuery } from '../../lib/usage-filters'
import { UsageHistory } from './usage-history'
import { TopPrompts } from './top-prompts'

const row = {
  id: 'r1',
  occurredAt: '2025-03-15T12:00:00.000Z',
  when: 'Mar 15, 08:00:00',
  model: 'gpt-4o',
  provider: 'openai',
  prompt: 'SQL explainer',
  promptId: 'p1',
  user: 'Dana',
  feature: 'lab',
  status: 'ok',
  inputTokens: '1,000',
  outputTokens: '200',
  cost: '$0.0045',
  breakdown: [
    { label: 'Input', amount: '$0.0025' },
    { label: 'Output', amount: '$0.0010' },
    { label: 'Web search × 1', amount: '$0.01' },
  ],
  priceNote: 'Price gpt-4o@2024-10-01 · priority processing',
}

describe('UsageHistory', () => {
  it('links sorting, the next page and the export to URLs that keep the filters', () => {
    const search = '?range=last-7-days&model=gpt-4o&cursor=abc'
    const query = parseUsageQuery(new URLSearchParams(search), '2025-03-15')
    renderAt(
      <UsageHistory
        rows={[row]}
        nextCursor="next1"
        query={query}
        exportHref="/api/usage/export?from=2025-03-09&to=2025-03-15&model=gpt-4o"
        timeZone="America/New_York"
      />,
      `/dashboard/usage${search}`,
    )
    const table = screen.getByRole('table')
    // Time is the current sort (newest first); choosing it again flips to oldest first, and drops the cursor.
    expect(within(table).getByRole('link', { name: /^Time/ }).getAttribute('href')).toBe(
      '/dashboard/usage?range=last-7-days&model=gpt-4o&hdir=asc',
    )
    expect(within(table).getByRole('link', { name: /^Cost/ }).getAttribute('href')).toBe(
      '/dashboard/usage?range=last-7-days&model=gpt-4o&hsort=costUsd',
    )
    expect(screen.getByTestId('history-next').getAttribute('href')).toBe(
      '/dashboard/usage?range=last-7-days&model=gpt-4o&cursor=next1',
    )
    expect(screen.getByRole('link', { name: /First page/ }).getAttribute('href')).toBe(
      '/dashboard/usage?range=last-7-days&model=gpt-4o',
    )
    expect(screen.getByTestId('export-csv').getAttribute('href')).toBe(
      '/api/usage/export?from=2025-03-09&to=2025-03-15&model=gpt-4o',
    )
    expect(screen.getByTestId('history-cost').textContent).toBe('$0.0045')
  })

  it("opens each request's cost breakdown: parts, per-call fees, the price version, or why it is unpriced", () => {
    const query = parseUsageQuery(new URLSearchParams(''), '2025-03-15')
    const unpriced = {
      ...row,
      id: 'r2',
      cost: 'unpriced',
      breakdown: [],
      priceNote: '"mistral-large-2512" is a version of mistral-large that the price catalogue does not list',
    }
    renderAt(
      <UsageHistory rows={[row, unpriced]} nextCursor={null} query={query} exportHref="/x" timeZone="UTC" />,
      '/dashboard/usage',
    )
    const [first, second] = screen.getAllByTestId('history-breakdown')
    expect(within(first!).getByText('Web search × 1').nextSibling?.textContent).toBe('$0.01')
    expect(first!.textContent).toContain('Price gpt-4o@2024-10-01 · priority processing')
    expect(second!.textContent).toContain('does not list')
  })
})

describe('TopPrompts', () => {
  it('sorts by cost, runs or efficiency through the URL and links each prompt to the Lab', () => {
    const prompt = {
      id: '0b6f0c0e-1f1a-4c36-9f57-4c1f1e0c2a11',
      name: 'SQL explainer',
      cost: '$19.44',
      runs: '1,127',
      okRuns: '1,100',
      errors: '27',
      efficiency: '$0.02',
      avgCostPerRun: '$0.017',
      inputTokens: '1,000,000',
      outputTokens: '100,000',
      avgLatency: '900 ms',
      share: '35.6%',
      score: 72,
      scoreParts: 'price 12/40 · waste 25/25 · cache 20/20 · balance 15/15',
    }
    renderAt(<TopPrompts prompts={[prompt]} sort="runs" />, '/dashboard/usage?range=last-7-days')
    const table = screen.getByRole('table')
    expect(within(table).getByRole('link', { name: /^Cost/ }).getAttribute('href')).toBe(
      '/dashboard/usage?range=last-7-days',
    )
    expect(
      within(table)
        .getByRole('link', { name: /^Per successful run/ })
        .getAttribute('href'),
    ).toBe('/dashboard/usage?range=last-7-days&top=efficiency')
    expect(within(table).getByRole('columnheader', { name: /Runs/ }).getAttribute('aria-sort')).toBe('descending')
    expect(within(table).getByRole('link', { name: 'SQL explainer' }).getAttribute('href')).toBe(`/lab/${prompt.id}`)
    const score = within(table).getByTestId('efficiency-score')
    expect(score.textContent).toBe('72')
    expect(score.getAttribute('title')).toBe(
      'Efficiency 72/100: price 12/40 · waste 25/25 · cache 20/20 · balance 15/15',
    )
  })
})
