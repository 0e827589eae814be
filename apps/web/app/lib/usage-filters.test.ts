import { describe, expect, it } from 'vitest'
// Days, presets and local-day maths are core's (packages/core/src/days.test.ts).
import { cleanUsageSearch, exportHref, parseUsageQuery, withParams } from './usage-filters'

const q = (s: string, today = '2025-03-15') => parseUsageQuery(new URLSearchParams(s), today)

describe('parseUsageQuery', () => {
  it('defaults to the last 30 days, newest history first', () => {
    expect(q('')).toMatchObject({
      range: 'last-30-days',
      from: '2025-02-14',
      to: '2025-03-15',
      trend: 'day',
      top: 'cost',
      historySort: 'occurredAt',
      historyDirection: 'desc',
      cursor: null,
      rangeError: null,
    })
  })

  it('takes a preset or a valid custom range from the URL', () => {
    expect(q('range=last-7-days')).toMatchObject({ range: 'last-7-days', from: '2025-03-09', to: '2025-03-15' })
    // links saved before the presets took core's names still open the same range
    expect(q('range=7d')).toMatchObject({ range: 'last-7-days', from: '2025-03-09', to: '2025-03-15' })
    expect(q('range=custom&from=2025-01-01&to=2025-01-31')).toMatchObject({
      range: 'custom',
      from: '2025-01-01',
      to: '2025-01-31',
      rangeError: null,
    })
    // from/to without range= is a custom range too
    expect(q('from=2025-01-01&to=2025-01-02')).toMatchObject({ range: 'custom', from: '2025-01-01' })
  })

  it('falls back with a reason when the custom range is unusable', () => {
    expect(q('range=custom&from=2025-02-01&to=2025-01-01')).toMatchObject({
      range: 'last-30-days',
      rangeError: 'The start day must not be after the end day.',
    })
    expect(q('range=custom&from=2025-02-30&to=2025-03-01').rangeError).toBe('Pick both a start and an end day.')
    expect(q('range=custom&from=2023-01-01&to=2025-01-01').rangeError).toMatch(/at most 366 days/)
    expect(q('range=bogus')).toMatchObject({ range: 'last-30-days', rangeError: null })
  })

  it('keeps only well-formed filters, repeated or comma-separated', () => {
    const id = '0b6f0c0e-1f1a-4c36-9f57-4c1f1e0c2a11'
    const query = q(
      `model=gpt-4o&model=claude-3-5-haiku,gpt-4o&promptId=${id}&promptId=nope&status=error&status=weird&feature=api`,
    )
    expect(query.filters).toEqual({
      model: ['gpt-4o', 'claude-3-5-haiku'],
      provider: [],
      promptId: [id],
      userId: [],
      apiKeyId: [],
      feature: ['api'],
      status: ['error'],
      tag: [],
    })
  })
})

describe('URLs', () => {
  it('changing a param drops the history cursor, unless the cursor is what changes', () => {
    expect(withParams('range=last-7-days&cursor=abc&model=a', { model: ['b'] })).toBe('?range=last-7-days&model=b')
    expect(withParams('range=last-7-days', { cursor: 'xyz' })).toBe('?range=last-7-days&cursor=xyz')
    expect(withParams('model=a', { model: null })).toBe('')
  })

  it('exports exactly the rows the range and filters select', () => {
    const query = q('range=last-7-days&model=gpt-4o&status=ok&top=runs&hsort=costUsd&cursor=abc')
    expect(exportHref(query)).toBe('/api/usage/export?from=2025-03-09&to=2025-03-15&model=gpt-4o&status=ok')
  })
})

describe('one Apply for the whole filter form', () => {
  it('drops empty fields, a preset’s days and the default range from the URL the form leads to', () => {
    expect(
      cleanUsageSearch(
        'range=last-7-days&from=2025-03-01&to=2025-03-15&model=&promptId=&userId=&apiKeyId=&feature=search&status=&tag=env%3Aprod&by=tag',
      ),
    ).toBe('?range=last-7-days&feature=search&tag=env%3Aprod&by=tag')
    expect(cleanUsageSearch('range=last-30-days&model=&status=')).toBe('')
    // a custom range keeps both days
    expect(cleanUsageSearch('range=custom&from=2025-03-01&to=2025-03-05&model=')).toBe(
      '?range=custom&from=2025-03-01&to=2025-03-05',
    )
  })

  it('answers null for a URL that is already clean (no redirect)', () => {
    expect(cleanUsageSearch('range=last-7-days&model=gpt-4o')).toBeNull()
    expect(cleanUsageSearch('')).toBeNull()
  })

  it('reads free-form features and key:value tags, and drops malformed ones', () => {
    expect(q('feature=search,support-bot/summary,bad name&tag=env:prod,broken,customer:acme').filters).toMatchObject({
      feature: ['search', 'support-bot/summary'],
      tag: ['env:prod', 'customer:acme'],
    })
    expect(q('by=tag&tagKey=env&row=0b6f0c0e-1f1a-4c36-9f57-4c1f1e0c2a11')).toMatchObject({
      by: 'tag',
      tagKey: 'env',
      row: '0b6f0c0e-1f1a-4c36-9f57-4c1f1e0c2a11',
    })
    expect(q('by=colour&tagKey=a:b&row=x')).toMatchObject({ by: 'member', tagKey: null, row: null })
  })
})
