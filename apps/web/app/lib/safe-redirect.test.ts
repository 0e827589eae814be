import { describe, expect, it } from 'vitest'
import { DEFAULT_REDIRECT, safeRedirect } from './safe-redirect'

describe('safeRedirect', () => {
  it('keeps relative paths with their query and hash', () => {
    expect(safeRedirect('/dashboard/alerts?x=1#top')).toBe('/dashboard/alerts?x=1#top')
  })

  it.each([
    null,
    undefined,
    '',
    'dashboard',
    'https://evil.example/',
    '//evil.example/path',
    '/\\evil.example',
    '/\tevil',
    'javascript:alert(1)',
  ])('falls back to the dashboard for %j', (input) => {
    expect(safeRedirect(input)).toBe(DEFAULT_REDIRECT)
  })
})
