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
  periodEnd: null,
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
    expect(screen.queryByRole('link', { name: 'Increase budget' })).toBeNull() // members can't edit budgets
  })

  it("links admins to the budget's edit form, the address the budgets page reads", () => {
    renderAt(<BudgetWarning budgets={[budget('critical', 100)]} canEditBudgets />)
    expect(screen.getByRole('link', { name: 'Increase budget' }).getAttribute('href')).toBe(
      '/dashboard/budget-settings?edit=b-critical#budget-form',
    )
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
          budget: {
            id: 'b1',
            name: 'Tiny',
            limitUsd: '0.000001',
            spentUsd: '0.000001',
            reservedUsd: '0',
            period: 'month',
            periodEnd: '2027-01-01T00:00:00.000Z',
          },
          estimatedCostUsd: '0.0021',
        }}
      />,
    )
    const banner = screen.getByRole('alert')
    expect(banner.dataset.level).toBe('blocked')
    expect(banner.textContent).toContain('Run blocked by the budget “Tiny”: nothing was sent to the model')
    expect(banner.textContent).toContain('Raise the limit or wait until it resets.')
    expect(banner.textContent).toContain('Owners and admins can raise it; ask them with Request more.')
    expect(screen.getByRole('button', { name: 'Request more' })).toBeTruthy()
    expect(screen.getByTestId('budget-block-left').textContent).toBe('$0.00; this run could cost up to $0.0021')
    expect(screen.getByTestId('budget-block-resets').textContent).toBe('Jan 1, 2027, 12:00 AM UTC')
  })
})
