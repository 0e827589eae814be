import { fireEvent, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { renderAt } from '../../test/render'
import { BudgetWarning, type BudgetInfo } from './budget-warning'

const budget = (level: BudgetInfo['level'], percentUsed: number, extra: Partial<BudgetInfo> = {}): BudgetInfo => ({
  id: `b-${level}`,
  name: `Budget ${level}`,
  period: 'month',
  mode: 'hard',
  limitUsd: '100',
  spentUsd: String(percentUsed),
  reservedUsd: '0',
  percentUsed,
  level,
  ...extra,
})

describe('BudgetWarning', () => {
  it('shows nothing while every budget is ok', () => {
    renderAt(<BudgetWarning budgets={[budget('ok', 10)]} />)
    expect(screen.queryByTestId('budget-warning')).toBeNull()
  })

  it.each([
    ['info', 55, 'status', 'Half the budget is used'],
    ['warning', 85, 'alert', 'Budget nearly used'],
    ['critical', 100, 'alert', 'Budget used up'],
  ] as const)('%s at %i %%: role %s, "%s"', (level, pct, role, title) => {
    renderAt(<BudgetWarning budgets={[budget(level, pct)]} />)
    const banner = screen.getByTestId('budget-warning')
    expect(banner.dataset.level).toBe(level)
    expect(banner.getAttribute('role')).toBe(role)
    expect(banner.textContent).toContain(title)
    expect(banner.textContent).toContain(`${pct} %`)
  })

  it('shows the worst budget first and links to details and to increase it', () => {
    renderAt(<BudgetWarning budgets={[budget('critical', 100), budget('info', 50)]} />)
    expect(screen.getByTestId('budget-warning').dataset.level).toBe('critical')
    expect(screen.getByText('Runs that could go over the limit are blocked.', { exact: false })).toBeTruthy()
    expect(screen.getByRole('link', { name: 'View details' }).getAttribute('href')).toBe('/dashboard/budget-settings')
    expect(screen.getByRole('link', { name: 'Increase budget' }).getAttribute('href')).toBe('/dashboard/budget-settings?budget=b-critical&action=increase')
  })

  it('is dismissible; the next budget needing attention shows after', () => {
    renderAt(<BudgetWarning budgets={[budget('critical', 100), budget('info', 50)]} />)
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss budget warning' }))
    expect(screen.getByTestId('budget-warning').dataset.level).toBe('info')
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss budget warning' }))
    expect(screen.queryByTestId('budget-warning')).toBeNull()
  })

  it('explains a hard-budget block: which budget, why, and what to do', () => {
    renderAt(
      <BudgetWarning
        budgets={[]}
        blocked={{
          message: 'Budget "Tiny" has $0 left; raise the limit, lower max output tokens, or pick a cheaper model.',
          budget: { id: 'b1', name: 'Tiny', limitUsd: '0.000001', spentUsd: '0', reservedUsd: '0', period: 'month' },
          estimatedCostUsd: '0.0021',
        }}
      />,
    )
    const banner = screen.getByRole('alert')
    expect(banner.dataset.level).toBe('blocked')
    expect(banner.textContent).toContain('Run blocked by the budget “Tiny”: nothing was sent to the model')
    expect(banner.textContent).toContain('raise the limit')
    expect(banner.textContent).toContain('could cost up to $0.0021')
  })
})
