import { describe, expect, it } from 'vitest'
import { addDays, exportHref, isIsoDay, parseUsageQuery, presetRange, rangeSearch, todayIn, withParams } from './usage-filters'

const q = (s: string, today = '2025-03-15') => parseUsageQuery(new URLSearchParams(s), today)

describe('date ranges', () => {
  it('counts presets back from the team’s local today, inclusive', () => {
    expect(presetRange('7d', '2025-03-15')).toEqual({ from: '2025-03-09', to: '2025-03-15' })
    expect(presetRange('30d', '2025-03-15')).toEqual({ from: '2025-02-14', to: '2025-03-15' })
    expect(presetRange('90d', '2025-03-15')).toEqual({ from: '2024-12-16', to: '2025-03-15' })
    expect(presetRange('this-month', '2025-03-15')).toEqual({ from: '2025-03-01', to: '2025-03-15' })
    expect(presetRange('last-month', '2025-03-15')).toEqual({ from: '2025-02-01', to: '2025-02-28' })
    expect(presetRange('last-month', '2024-03-31')).toEqual({ from: '2024-02-01', to: '2024-02-29' })
    expect(presetRange('last-month', '2025-01-10')).toEqual({ from: '2024-12-01', to: '2024-12-31' })
  })

  it('does calendar arithmetic without time zones or DST slips', () => {
    expect(addDays('2025-03-09', 1)).toBe('2025-03-10')
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31')
    expect(isIsoDay('2025-02-29')).toBe(false)
    expect(isIsoDay('2024-02-29')).toBe(true)
    expect(isIsoDay('2024-2-9')).toBe(false)
  })

  it('reads "today" in the team’s zone, not the server’s', () => {
    const instant = new Date('2025-03-15T03:30:00Z')
    expect(todayIn('America/New_York', instant)).toBe('2025-03-14')
    expect(todayIn('Asia/Tokyo', instant)).toBe('2025-03-15')
  })
})

describe('parseUsageQuery', () => {
  it('defaults to the last 30 days, newest history first', () => {
    expect(q('')).toMatchObject({ range: '30d', from: '2025-02-14', to: '2025-03-15', trend: 'day', top: 'cost', historySort: 'occurredAt', historyDirection: 'desc', cursor: null, rangeError: null })
  })

  it('takes a preset or a valid custom range from the URL', () => {
    expect(q('range=7d')).toMatchObject({ range: '7d', from: '2025-03-09', to: '2025-03-15' })
    expect(q('range=custom&from=2025-01-01&to=2025-01-31')).toMatchObject({ range: 'custom', from: '2025-01-01', to: '2025-01-31', rangeError: null })
    // from/to without range= is a custom range too
    expect(q('from=2025-01-01&to=2025-01-02')).toMatchObject({ range: 'custom', from: '2025-01-01' })
  })

  it('falls back with a reason when the custom range is unusable', () => {
    expect(q('range=custom&from=2025-02-01&to=2025-01-01')).toMatchObject({ range: '30d', rangeError: 'The start day must not be after the end day.' })
    expect(q('range=custom&from=2025-02-30&to=2025-03-01').rangeError).toBe('Pick both a start and an end day.')
    expect(q('range=custom&from=2023-01-01&to=2025-01-01').rangeError).toMatch(/at most 366 days/)
    expect(q('range=bogus')).toMatchObject({ range: '30d', rangeError: null })
  })

  it('keeps only well-formed filters, repeated or comma-separated', () => {
    const id = '0b6f0c0e-1f1a-4c36-9f57-4c1f1e0c2a11'
    const query = q(`model=gpt-4o&model=claude-3-5-haiku,gpt-4o&promptId=${id}&promptId=nope&status=error&status=weird&feature=api`)
    expect(query.filters).toEqual({
      model: ['gpt-4o', 'claude-3-5-haiku'],
      provider: [],
      promptId: [id],
      userId: [],
      apiKeyId: [],
      feature: ['api'],
      status: ['error'],
    })
  })
})

describe('URLs', () => {
  it('changing a param drops the history cursor, unless the cursor is what changes', () => {
    expect(withParams('range=7d&cursor=abc&model=a', { model: ['b'] })).toBe('?range=7d&model=b')
    expect(withParams('range=7d', { cursor: 'xyz' })).toBe('?range=7d&cursor=xyz')
    expect(withParams('model=a', { model: null })).toBe('')
  })

  it('a preset replaces custom days; the default preset leaves the URL clean', () => {
    expect(rangeSearch('range=custom&from=2025-01-01&to=2025-01-02&model=a', '7d')).toBe('?model=a&range=7d')
    expect(rangeSearch('range=7d', '30d')).toBe('')
    expect(rangeSearch('model=a', { from: '2025-01-01', to: '2025-01-09' })).toBe('?model=a&range=custom&from=2025-01-01&to=2025-01-09')
  })

  it('exports exactly the rows the range and filters select', () => {
    const query = q('range=7d&model=gpt-4o&status=ok&top=runs&hsort=costUsd&cursor=abc')
    expect(exportHref(query)).toBe('/api/usage/export?from=2025-03-09&to=2025-03-15&model=gpt-4o&status=ok')
  })
})
