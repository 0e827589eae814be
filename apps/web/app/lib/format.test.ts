import { describe, expect, it } from 'vitest'
import { formatChartUsd, formatCompact, formatCount, formatDay } from './format'

describe('format', () => {
  it('groups counts and abbreviates large ones', () => {
    expect(formatCount(1234567)).toBe('1,234,567')
    expect(formatCompact(9999)).toBe('9,999')
    expect(formatCompact(12_345)).toBe('12.3K')
    expect(formatCompact(2_500_000)).toBe('2.5M')
  })

  it('labels calendar days without a time zone shift', () => {
    expect(formatDay('2025-01-01')).toBe('Jan 1')
    expect(formatDay('2025-12-31')).toBe('Dec 31')
  })

  it('shows small chart values with enough digits to tell them apart', () => {
    expect(formatChartUsd(0)).toBe('$0.00')
    expect(formatChartUsd(0.75)).toBe('$0.75')
    expect(formatChartUsd(0.01234)).toBe('$0.0123')
    expect(formatChartUsd(1.005)).toBe('$1.01')
    expect(formatChartUsd(1234.5)).toBe('$1,234.50')
  })
})
