import { screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { renderAt } from '../test/render'
import { HeaderStatus } from './header-status'

describe('HeaderStatus', () => {
  it('shows the unread count on the bell and the budget nearest its limit', () => {
    renderAt(
      <HeaderStatus
        status={{
          unreadAlerts: 3,
          budget: { name: 'Team monthly', percentUsed: 85.4, level: 'warning', summary: '$68.32 of $80.00 this month' },
        }}
      />,
    )
    const bell = screen.getByRole('link', { name: 'Alerts, 3 unread' })
    expect(bell.getAttribute('href')).toBe('/dashboard/alerts')
    expect(screen.getByTestId('alert-count').textContent).toBe('3')
    const bar = screen.getByRole('progressbar', { name: 'Budget Team monthly' })
    expect(bar.getAttribute('aria-valuenow')).toBe('85')
    expect(bar.getAttribute('data-level')).toBe('warning')
    expect(bar.getAttribute('aria-valuetext')).toBe('85% used, $68.32 of $80.00 this month (Warning)')
    expect(screen.getByTestId('header-budget').getAttribute('href')).toBe('/dashboard/budget-settings')
    expect(screen.queryByTestId('header-runs-out')).toBeNull()
  })

  it('says when the forecast has the budget running out', () => {
    renderAt(
      <HeaderStatus
        status={{
          unreadAlerts: 0,
          budget: {
            name: 'Team monthly',
            percentUsed: 62,
            level: 'info',
            summary: '$49.60 of $80.00 this month',
            runsOutOn: 'Nov 24',
          },
        }}
      />,
    )
    expect(screen.getByTestId('header-runs-out').textContent).toBe('Runs out Nov 24 at this rate')
    expect(screen.getByRole('progressbar').getAttribute('aria-valuetext')).toBe(
      '62% used, $49.60 of $80.00 this month, runs out Nov 24 (Half used)',
    )
  })

  it('has no badge when nothing is unread, no gauge without budgets, and clamps an overspent bar', () => {
    const { unmount } = renderAt(<HeaderStatus status={{ unreadAlerts: 0, budget: null }} />)
    expect(screen.getByRole('link', { name: 'Alerts, none unread' })).toBeTruthy()
    expect(screen.queryByTestId('alert-count')).toBeNull()
    expect(screen.queryByRole('progressbar')).toBeNull()
    unmount()
    renderAt(
      <HeaderStatus
        status={{
          unreadAlerts: 120,
          budget: { name: 'Daily', percentUsed: 140, level: 'critical', summary: '$7 of $5' },
        }}
      />,
    )
    expect(screen.getByTestId('alert-count').textContent).toBe('99+')
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100')
  })
})
