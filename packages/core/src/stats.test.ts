import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { mad, madNano, median, medianNano, quantile, quantileNano, theilSen, weightedQuantile } from './stats'

const nanos = fc.array(fc.bigInt({ min: 0n, max: 10n ** 15n }), { minLength: 1, maxLength: 60 })

describe('robust statistics', () => {
  it('median and MAD of small examples', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 2, 3])).toBe(2.5)
    expect(Number.isNaN(median([]))).toBe(true)
    expect(mad([1, 1, 2, 2, 4, 6, 9])).toBe(1)
    expect(medianNano([5n, 1n, 2n, 10n])).toBe(4n) // (2 + 5) / 2 = 3.5 → 4, half up
    expect(medianNano([])).toBeNull()
    expect(madNano([1n, 1n, 2n, 2n, 4n, 6n, 9n])).toBe(1n)
  })

  it('nearest-rank quantiles are always one of the values', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1)
    expect(quantile(hundred, 0.99)).toBe(99)
    expect(quantile(hundred, 1)).toBe(100)
    expect(quantile(hundred, 0)).toBe(1)
    expect(
      weightedQuantile(
        [
          [10, 98],
          [500, 2],
        ],
        0.99,
      ),
    ).toBe(500)
    expect(
      weightedQuantile(
        [
          [10, 99],
          [500, 1],
        ],
        0.99,
      ),
    ).toBe(10)
    expect(Number.isNaN(weightedQuantile([], 0.5))).toBe(true)
    fc.assert(
      fc.property(nanos, fc.double({ min: 0, max: 1, noNaN: true }), (values, q) => {
        expect(values).toContain(quantileNano(values, q))
      }),
    )
  })

  it('a weighted quantile equals the quantile of the expanded values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 5 })), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (pairs, q) => {
          const expanded = pairs.flatMap(([v, w]) => Array.from({ length: w }, () => v))
          expect(weightedQuantile(pairs, q)).toBe(quantile(expanded, q))
        },
      ),
    )
  })

  it('the exact median lies between the smallest and largest value and is shift-equivariant', () => {
    fc.assert(
      fc.property(nanos, fc.bigInt({ min: 0n, max: 10n ** 12n }), (values, shift) => {
        const m = medianNano(values)!
        const min = values.reduce((a, b) => (a < b ? a : b))
        const max = values.reduce((a, b) => (a > b ? a : b))
        expect(m >= min && m <= max).toBe(true)
        expect(medianNano(values.map((v) => v + shift))).toBe(m + shift)
        expect(madNano(values.map((v) => v + shift))).toBe(madNano(values))
      }),
    )
  })

  it('Theil–Sen recovers a line despite a few wild points', () => {
    const xs = Array.from({ length: 28 }, (_, i) => i)
    const ys = xs.map((x) => 10 + 2 * x)
    ys[5] = 500
    ys[20] = -300
    const line = theilSen(xs, ys)
    expect(line.slope).toBeCloseTo(2, 6)
    expect(line.intercept).toBeCloseTo(10, 6)
    expect(theilSen([], [])).toEqual({ slope: 0, intercept: 0 })
    expect(theilSen([1], [7])).toEqual({ slope: 0, intercept: 7 })
  })
})
