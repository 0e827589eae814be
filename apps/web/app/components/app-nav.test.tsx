import { screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { renderAt } from '../test/render'
import { AppNav } from './app-nav'
import { NAV_ITEMS } from './nav-items'

describe('AppNav', () => {
  it('links every section, in order', () => {
    renderAt(<AppNav />, '/dashboard/usage')
    const nav = screen.getByRole('navigation', { name: 'Main' })
    const links = within(nav).getAllByRole('link')
    expect(links.map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
      ['Prompt Lab', '/lab'],
      ['Usage', '/dashboard/usage'],
      ['Recommendations', '/dashboard/recommendations'],
      ['Budgets', '/dashboard/budget-settings'],
      ['Budget requests', '/dashboard/budget-requests'],
      ['Alerts', '/dashboard/alerts'],
      ['Prices', '/dashboard/prices'],
      ['Reconciliation', '/dashboard/reconciliation'],
      ['Team', '/dashboard/team'],
      ['Team usage', '/dashboard/team-usage'],
      ['Cost centres', '/dashboard/cost-centers'],
      ['Reports', '/dashboard/reports'],
      ['Outbox', '/dashboard/outbox'],
      ['Settings', '/settings'],
    ])
    expect(links).toHaveLength(NAV_ITEMS.length)
  })

  it('marks only the current section with aria-current="page"', () => {
    renderAt(<AppNav />, '/dashboard/budget-settings')
    const current = screen.getAllByRole('link').filter((a) => a.getAttribute('aria-current') === 'page')
    expect(current.map((a) => a.textContent)).toEqual(['Budgets'])
    expect(screen.getByRole('link', { name: 'Usage' }).getAttribute('aria-current')).toBeNull()
  })

  it('keeps a section current on its sub-pages', () => {
    renderAt(<AppNav />, '/settings/api-keys')
    expect(screen.getByRole('link', { name: 'Settings' }).getAttribute('aria-current')).toBe('page')
  })
})
