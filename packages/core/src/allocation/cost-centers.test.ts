import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { splitProportionally } from '../money'
import {
  allocateToCostCenters,
  percentToBasisPoints,
  resolveAllocation,
  type CostCenterAssignments,
} from './cost-centers'

const none: CostCenterAssignments = {
  centers: new Set(),
  promptCenter: new Map(),
  keyShares: new Map(),
  userCenter: new Map(),
}

describe('splitProportionally', () => {
  it('gives the leftover units to the largest remainders, earlier parts first on ties', () => {
    expect(splitProportionally(100n, [1n, 1n, 1n])).toEqual([34n, 33n, 33n])
    expect(splitProportionally(10n, [3333n, 3333n, 3334n])).toEqual([3n, 3n, 4n])
    expect(splitProportionally(1n, [5000n, 5000n])).toEqual([1n, 0n])
    expect(splitProportionally(0n, [1n, 2n])).toEqual([0n, 0n])
  })

  it('always sums to the amount, and no part is off its exact share by a unit or more', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.array(fc.bigInt({ min: 0n, max: 10_000n }), { minLength: 1, maxLength: 8 }),
        (amount, weights) => {
          fc.pre(weights.some((w) => w > 0n))
          const parts = splitProportionally(amount, weights)
          const total = weights.reduce((s, w) => s + w, 0n)
          expect(parts.reduce((s, p) => s + p, 0n)).toBe(amount)
          parts.forEach((p, i) => {
            const exactTimesTotal = amount * weights[i]!
            expect(p * total <= exactTimesTotal + total).toBe(true)
            expect(p * total >= exactTimesTotal - total).toBe(true)
          })
        },
      ),
      { numRuns: 500 },
    )
  })
})

describe('percentToBasisPoints', () => {
  it('takes whole percentages and two decimals, nothing finer and nothing outside (0, 100]', () => {
    expect(percentToBasisPoints(100)).toBe(10_000)
    expect(percentToBasisPoints(33.33)).toBe(3333)
    expect(percentToBasisPoints(0.01)).toBe(1)
    expect(percentToBasisPoints(33.333)).toBeNull()
    expect(percentToBasisPoints(0)).toBeNull()
    expect(percentToBasisPoints(100.01)).toBeNull()
    expect(percentToBasisPoints(Number.NaN)).toBeNull()
  })
})

describe('resolveAllocation', () => {
  const a: CostCenterAssignments = {
    centers: new Set(['ev', 'pr', 'k1', 'us', 'x', 'y']),
    promptCenter: new Map([['p', 'pr']]),
    keyShares: new Map([
      ['one', [{ costCenterId: 'k1', shareBp: 10_000 }]],
      [
        'shared',
        [
          { costCenterId: 'x', shareBp: 6000 },
          { costCenterId: 'y', shareBp: 4000 },
        ],
      ],
    ]),
    userCenter: new Map([['u', 'us']]),
  }
  it('the event’s centre, then the prompt’s, the key’s, the member’s, else unallocated', () => {
    expect(resolveAllocation({ costCenterId: 'ev', promptId: 'p', apiKeyId: 'one', userId: 'u' }, a)).toEqual({
      kind: 'center',
      costCenterId: 'ev',
    })
    expect(resolveAllocation({ costCenterId: null, promptId: 'p', apiKeyId: 'one', userId: 'u' }, a)).toEqual({
      kind: 'center',
      costCenterId: 'pr',
    })
    expect(resolveAllocation({ costCenterId: null, promptId: null, apiKeyId: 'one', userId: 'u' }, a)).toEqual({
      kind: 'center',
      costCenterId: 'k1',
    })
    expect(resolveAllocation({ costCenterId: null, promptId: null, apiKeyId: 'shared', userId: 'u' }, a)).toEqual({
      kind: 'split',
      apiKeyId: 'shared',
    })
    expect(resolveAllocation({ costCenterId: null, promptId: null, apiKeyId: null, userId: 'u' }, a)).toEqual({
      kind: 'center',
      costCenterId: 'us',
    })
    expect(resolveAllocation({ costCenterId: null, promptId: 'other', apiKeyId: 'other', userId: 'other' }, a)).toEqual(
      { kind: 'unallocated' },
    )
    // An event that named a centre since removed is not lost: it falls through to the other rules.
    expect(resolveAllocation({ costCenterId: 'gone', promptId: null, apiKeyId: null, userId: null }, a)).toEqual({
      kind: 'unallocated',
    })
  })
})

describe('allocateToCostCenters', () => {
  it('splits a shared key’s cost by percentage with the leftover nano-dollar going to a fixed centre', () => {
    const a: CostCenterAssignments = {
      ...none,
      centers: new Set(['a', 'b', 'c']),
      keyShares: new Map([
        [
          'k',
          [
            { costCenterId: 'c', shareBp: 3334 },
            { costCenterId: 'a', shareBp: 3333 },
            { costCenterId: 'b', shareBp: 3333 },
          ],
        ],
      ]),
    }
    const lines = allocateToCostCenters(
      [{ costCenterId: null, promptId: null, apiKeyId: 'k', userId: null, measures: { cost: 100n } }],
      a,
      ['cost'],
    )
    expect(Object.fromEntries([...lines].map(([k, v]) => [k, v.cost]))).toEqual({ a: 33n, b: 33n, c: 34n })
  })

  // The property: random usage and random assignments, and the lines always add up to the total exactly.
  it('lines (unallocated included) sum to the total of every measure, exactly', () => {
    const ids = ['c1', 'c2', 'c3', 'c4']
    const pick = <T>(xs: T[]) => fc.constantFrom(...xs)
    const shares = fc
      .uniqueArray(pick(ids), { minLength: 1, maxLength: 4 })
      .chain((centres) =>
        fc.tuple(
          fc.constant(centres),
          fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: centres.length, maxLength: centres.length }),
        ),
      )
      .map(([centres, raw]) => {
        const total = raw.reduce((s, w) => s + w, 0)
        const bp = raw.map((w) => Math.floor((w * 10_000) / total))
        bp[0]! += 10_000 - bp.reduce((s, w) => s + w, 0)
        return centres.map((costCenterId, i) => ({ costCenterId, shareBp: bp[i]! })).filter((s) => s.shareBp > 0)
      })
    const assignments = fc.record({
      prompts: fc.dictionary(pick(['p1', 'p2', 'p3']), pick(ids)),
      keys: fc.dictionary(pick(['k1', 'k2', 'k3']), shares),
      users: fc.dictionary(pick(['u1', 'u2', 'u3']), pick(ids)),
    })
    const row = fc.record({
      costCenterId: fc.option(pick([...ids, 'archived-or-gone']), { nil: null }),
      promptId: fc.option(pick(['p1', 'p2', 'p3', 'p9']), { nil: null }),
      apiKeyId: fc.option(pick(['k1', 'k2', 'k3', 'k9']), { nil: null }),
      userId: fc.option(pick(['u1', 'u2', 'u3', 'u9']), { nil: null }),
      measures: fc.record({
        cost: fc.bigInt({ min: 0n, max: 10n ** 13n }),
        runs: fc.bigInt({ min: 0n, max: 1000n }),
        tokens: fc.bigInt({ min: 0n, max: 10n ** 9n }),
      }),
    })
    fc.assert(
      fc.property(assignments, fc.array(row, { maxLength: 60 }), (as, rows) => {
        const a: CostCenterAssignments = {
          centers: new Set(ids),
          promptCenter: new Map(Object.entries(as.prompts)),
          keyShares: new Map(Object.entries(as.keys)),
          userCenter: new Map(Object.entries(as.users)),
        }
        const lines = allocateToCostCenters(rows, a, ['cost', 'runs', 'tokens'] as const)
        for (const k of ['cost', 'runs', 'tokens'] as const) {
          const total = rows.reduce((s, r) => s + r.measures[k], 0n)
          const allocated = [...lines.values()].reduce((s, m) => s + m[k], 0n)
          expect(allocated).toBe(total)
        }
        for (const m of lines.values()) for (const v of Object.values(m)) expect(v >= 0n).toBe(true)
      }),
      { numRuns: 400 },
    )
  })
})
