import { describe, expect, it } from 'vitest'
import { AppError } from './errors'
import {
  NANO_PER_USD,
  formatUsd,
  maxNano,
  minNano,
  mulDivRoundHalfUp,
  nanoToUsd,
  nanoToUsdFixed,
  parseScaledDecimal,
  percentOf,
  savingsPercent,
  sumNano,
  usdToNano,
} from './money'
import { seededRandom } from './tokens/testing/corpus'

function expectAppError(fn: () => unknown, code: string, message?: RegExp): void {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe(code)
    if (message) expect((error as AppError).message).toMatch(message)
    return
  }
  throw new Error('expected an AppError')
}

describe('usdToNano', () => {
  it.each([
    ['0.00045', 450_000n],
    ['1', 1_000_000_000n],
    ['12.5', 12_500_000_000n],
    ['0.000000001', 1n],
    ['-0.5', -500_000_000n],
    ['-0', 0n],
    ['007.25', 7_250_000_000n],
    ['99999999999.999999999', 99_999_999_999_999_999_999n],
  ])('parses %s exactly', (input, expected) => {
    expect(usdToNano(input)).toBe(expected)
  })

  it('reads what Postgres numeric(20,9) returns', () => {
    expect(usdToNano('0.000450000')).toBe(450_000n)
    expect(usdToNano('12.000000000')).toBe(12n * NANO_PER_USD)
    expect(usdToNano('0.000000000')).toBe(0n)
  })

  it('rejects more than 9 decimals instead of rounding', () => {
    expectAppError(() => usdToNano('0.0000000001'), 'BAD_INPUT', /10 decimals; at most 9/)
  })

  it.each(['', ' 1', '1 ', '1e-7', 'NaN', 'abc', '1.', '.5', '+1', '1,000.00', '--1', '0x10', 'Infinity'])(
    'rejects %j with a message saying what to write',
    (input) => {
      expectAppError(() => usdToNano(input), 'BAD_INPUT', /decimal/)
    },
  )

  it('rejects non-strings (a float must never sneak in)', () => {
    expectAppError(() => usdToNano(0.1 as unknown as string), 'BAD_INPUT', /got number/)
  })
})

describe('nanoToUsd', () => {
  it.each([
    [450_000n, '0.00045'],
    [0n, '0'],
    [12_000_000_000n, '12'],
    [1n, '0.000000001'],
    [-5n, '-0.000000005'],
    [-1_500_000_000n, '-1.5'],
    [123_456_789_012_345_678n, '123456789.012345678'],
  ])('prints %s as %s', (input, expected) => {
    expect(nanoToUsd(input)).toBe(expected)
  })

  it('round-trips with usdToNano for many values', () => {
    const rnd = seededRandom(7)
    for (let i = 0; i < 10_000; i++) {
      const n = BigInt(Math.floor(rnd() * 1e15)) * (rnd() < 0.2 ? -1n : 1n)
      expect(usdToNano(nanoToUsd(n))).toBe(n)
    }
  })
})

describe('mulDivRoundHalfUp', () => {
  it('rounds halves away from zero, like Postgres round(numeric)', () => {
    expect(mulDivRoundHalfUp(5n, 1n, 10n)).toBe(1n) // 0.5 → 1
    expect(mulDivRoundHalfUp(4n, 1n, 10n)).toBe(0n) // 0.4 → 0
    expect(mulDivRoundHalfUp(15n, 1n, 10n)).toBe(2n) // 1.5 → 2
    expect(mulDivRoundHalfUp(-5n, 1n, 10n)).toBe(-1n) // -0.5 → -1
    expect(mulDivRoundHalfUp(-4n, 1n, 10n)).toBe(0n)
    expect(mulDivRoundHalfUp(5n, 1n, -10n)).toBe(-1n)
    expect(mulDivRoundHalfUp(-5n, 1n, -10n)).toBe(1n)
    expect(mulDivRoundHalfUp(0n, 7n, 3n)).toBe(0n)
  })

  it('is exact for products far beyond 2^53', () => {
    expect(mulDivRoundHalfUp(10n ** 20n + 1n, 3n, 2n)).toBe(150_000_000_000_000_000_002n) // 1.5e20 + 1.5 → …2
  })

  it('refuses division by zero', () => {
    expectAppError(() => mulDivRoundHalfUp(1n, 1n, 0n), 'INTERNAL')
  })
})

describe('nanoToUsdFixed', () => {
  it('rounds half-up to the requested decimals', () => {
    expect(nanoToUsdFixed(1_234_565_000_000n, 2)).toBe('1234.57')
    expect(nanoToUsdFixed(1_234_564_999_999n, 2)).toBe('1234.56')
    expect(nanoToUsdFixed(450_000n, 4)).toBe('0.0005')
    expect(nanoToUsdFixed(450_000n, 9)).toBe('0.000450000')
    expect(nanoToUsdFixed(2_500_000_000n, 0)).toBe('3')
    expect(nanoToUsdFixed(-2_500_000_000n, 0)).toBe('-3')
    expect(nanoToUsdFixed(-4_000_000n, 2)).toBe('0.00')
    expect(nanoToUsdFixed(-5_000_000n, 2)).toBe('-0.01')
  })

  it('rejects decimals outside 0–9', () => {
    expectAppError(() => nanoToUsdFixed(1n, 10), 'BAD_INPUT')
    expectAppError(() => nanoToUsdFixed(1n, -1), 'BAD_INPUT')
    expectAppError(() => nanoToUsdFixed(1n, 1.5), 'BAD_INPUT')
  })
})

describe('formatUsd', () => {
  it.each([
    [1_234_560_000_000n, '$1,234.56'],
    [1_234_567_890_123_000_000n, '$1,234,567,890.12'],
    [50_000_000n, '$0.05'],
    [10_000_000n, '$0.01'],
    [450_000n, '$0.00045'],
    [5_000_000n, '$0.005'],
    [9_999_999n, '$0.01'],
    [0n, '$0.00'],
    [1n, '$0.000000001'],
    [-1n, '-$0.000000001'],
    // Under a dollar, three significant digits: never a misleading cent.
    [15_400_000n, '$0.0154'],
    [58_119_600n, '$0.0581'],
    [8_159_000n, '$0.00816'],
    [355_000n, '$0.000355'],
    [500_000_000n, '$0.50'],
    [123_456_789n, '$0.123'],
    [999_500_000n, '$1.00'],
    [1_005_000_000n, '$1.01'],
    [-1_234_560_000_000n, '-$1,234.56'],
    [-450_000n, '-$0.00045'],
    [999_000_000_000n, '$999.00'],
  ])('formats %s as %s', (input, expected) => {
    expect(formatUsd(input)).toBe(expected)
  })

  it('honours maxDecimals for small amounts', () => {
    expect(formatUsd(412_345n, { maxDecimals: 4 })).toBe('$0.0004')
    expect(formatUsd(412_345n, { maxDecimals: 9 })).toBe('$0.000412')
    expect(formatUsd(412_345n, { maxDecimals: 5 })).toBe('$0.00041')
    expect(formatUsd(412_345n, { maxDecimals: 2 })).toBe('$0.00')
    expect(formatUsd(40_000n, { maxDecimals: 4 })).toBe('<$0.0001')
  })
})

describe('sums and percentages', () => {
  it('sumNano adds exactly, including from a generator', () => {
    function* values(): Generator<bigint> {
      yield 1n
      yield 2n
      yield 3n
    }
    expect(sumNano(values())).toBe(6n)
    expect(sumNano([])).toBe(0n)
  })

  it('a million random small costs sum to the exact decimal sum (floats would not)', () => {
    const rnd = seededRandom(20260308)
    const strings: string[] = []
    for (let i = 0; i < 1_000_000; i++) {
      // A realistic per-call cost: 0 to ~$0.2, with all nine decimals significant.
      const nano = Math.floor(rnd() * 200_000_000)
      strings.push(`0.${String(nano).padStart(9, '0')}`)
    }
    const total = sumNano(strings.map(usdToNano))

    // Independent exact sum: add the decimal digits column-wise as integers, no money.ts involved.
    let fractionDigitsSum = 0n
    for (const s of strings) fractionDigitsSum += BigInt(s.slice(2))
    const expected = `${fractionDigitsSum / 1_000_000_000n}.${String(fractionDigitsSum % 1_000_000_000n).padStart(9, '0')}`
    expect(nanoToUsdFixed(total, 9)).toBe(expected)

    // The float sum of the same values drifts away from the exact one.
    let float = 0
    for (const s of strings) float += Number(s)
    expect(float.toFixed(9)).not.toBe(expected)
  })

  it('percentOf and savingsPercent give display numbers with two decimals', () => {
    expect(percentOf(80n, 100n)).toBe(80)
    expect(percentOf(1n, 3n)).toBe(33.33)
    expect(percentOf(2n, 3n)).toBe(66.67)
    expect(percentOf(5n, 0n)).toBe(0)
    expect(percentOf(150n, 100n)).toBe(150)
    expect(savingsPercent(6n, 100n)).toBe(94)
    expect(savingsPercent(120n, 100n)).toBe(-20)
  })

  it('minNano and maxNano', () => {
    expect(minNano(1n, 2n)).toBe(1n)
    expect(maxNano(1n, 2n)).toBe(2n)
  })

  it('parseScaledDecimal parses at other scales (percent with 2 decimals)', () => {
    expect(parseScaledDecimal('50', 2)).toBe(5000n)
    expect(parseScaledDecimal('12.5', 2)).toBe(1250n)
    expectAppError(() => parseScaledDecimal('12.345', 2, 'batchDiscountPct'), 'BAD_INPUT', /batchDiscountPct "12.345"/)
  })
})
