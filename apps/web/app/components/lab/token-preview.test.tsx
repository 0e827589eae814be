import { fireEvent, screen } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { renderAt } from '../../test/render'
import type { Preview } from '../../lib/lab/preview'
import { TokenPreview } from './token-preview'

const preview: Preview = {
  model: 'gpt-4o',
  inputTokens: 1234,
  maxOutputTokens: 500,
  exact: true,
  priced: true,
  perMessage: [
    { role: 'system', tokens: 100 },
    { role: 'user', tokens: 1131 },
  ],
  inputCostNano: 3_085_000n,
  maxOutputCostNano: 5_000_000n,
  totalNano: 8_085_000n,
  alternatives: [
    { model: 'gpt-4o-mini', displayName: 'GPT-4o mini', provider: 'openai', totalNano: 485_100n, savingsPct: 94 },
  ],
  priceVersion: 'gpt-4o@2024-10-01',
  priceSource: 'list',
  serviceTier: 'default',
  discountPct: null,
  unpricedReason: null,
}

describe('TokenPreview', () => {
  it('says which price the estimate uses: list, the team discount, a custom price, a processing tier; or why none', () => {
    const { unmount } = renderAt(<TokenPreview preview={preview} tier="free" />)
    expect(screen.getByTestId('preview-price-source').textContent).toBe('At list price.')
    unmount()
    const discounted = renderAt(
      <TokenPreview
        preview={{ ...preview, priceSource: 'discount', discountPct: '12.50', serviceTier: 'priority' }}
        tier="free"
      />,
    )
    expect(screen.getByTestId('preview-price-source').textContent).toBe(
      "At list price less your team's 12.5 % discount (priority processing).",
    )
    discounted.unmount()
    const custom = renderAt(<TokenPreview preview={{ ...preview, priceSource: 'custom' }} tier="free" />)
    expect(screen.getByTestId('preview-price-source').textContent).toBe("At your team's custom price.")
    custom.unmount()
    renderAt(
      <TokenPreview
        preview={{ ...preview, priced: false, unpricedReason: '"x" is not in the price catalogue' }}
        tier="free"
      />,
    )
    expect(screen.getByTestId('preview-cost').textContent).toBe('unpriced')
    expect(screen.getByTestId('preview-price-source').textContent).toContain('not in the price catalogue')
  })

  it('free: totals only, with a hint of what Pro adds', () => {
    renderAt(<TokenPreview preview={preview} tier="free" />)
    expect(screen.getByTestId('preview-tokens').textContent).toBe('1,234')
    expect(screen.getByTestId('preview-cost').textContent).toBe('$0.00809')
    expect(screen.queryByTestId('preview-input-cost')).toBeNull()
    expect(screen.queryByTestId('preview-alternatives')).toBeNull()
    expect(screen.queryByTestId('preview-per-message')).toBeNull()
    expect(screen.getByTestId('preview-upgrade')).toBeTruthy()
  })

  it('pro: input/output split and cheaper models side by side, one click to switch', () => {
    const onSwitch = vi.fn()
    renderAt(<TokenPreview preview={preview} tier="pro" onSwitchModel={onSwitch} />)
    expect(screen.getByTestId('preview-input-cost').textContent).toContain('$0.00309')
    expect(screen.getByTestId('preview-output-cost').textContent).toContain('$0.005')
    const alternatives = screen.getByTestId('preview-alternatives')
    expect(alternatives.textContent).toContain('GPT-4o mini: $0.000485')
    expect(alternatives.textContent).toContain('94 % less')
    fireEvent.click(screen.getByRole('button', { name: 'Switch to GPT-4o mini' }))
    expect(onSwitch).toHaveBeenCalledWith('gpt-4o-mini')
    expect(screen.queryByTestId('preview-upgrade')).toBeNull()
  })

  it('shows per-message counts where the plan includes them (core tierAllows), and everything on enterprise', () => {
    renderAt(<TokenPreview preview={preview} tier="enterprise" />)
    const perMessage = screen.getByTestId('preview-per-message')
    expect(perMessage.textContent).toContain('system message100 tokens')
    expect(perMessage.textContent).toContain('user message1,131 tokens')
    expect(screen.getByTestId('preview-alternatives')).toBeTruthy()
  })

  it('says when there is nothing counted yet', () => {
    renderAt(<TokenPreview preview={null} tier="pro" loading />)
    expect(screen.getByRole('status').textContent).toContain('Counting…')
  })

  it('marks factor-based estimates and unpriced models', () => {
    renderAt(<TokenPreview preview={{ ...preview, exact: false, priced: false, alternatives: [] }} tier="pro" />)
    expect(screen.getByTestId('preview-tokens').textContent).toContain('≈')
    expect(screen.getByTestId('preview-cost').textContent).toBe('unpriced')
    expect(screen.getByText('This is already the cheapest model that fits.')).toBeTruthy()
  })
})
