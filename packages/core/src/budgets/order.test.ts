import { describe, expect, it } from 'vitest'
import { compareBudgetUrgency, sortBudgetsByUrgency, type BudgetUrgencyFields } from './order'

const budget = (
  id: string,
  spentUsd: string,
  limitUsd: string,
  periodEnd: string | null,
  name = id,
): BudgetUrgencyFields => ({
  id,
  name,
  spentUsd,
  limitUsd,
  periodEnd,
})

describe('budget urgency order', () => {
  it('puts the highest share of the limit spent first, whatever the amounts', () => {
    const list = [
      budget('a', '10', '100', '2026-12-31T00:00:00Z'),
      budget('b', '0.9', '1', '2026-12-31T00:00:00Z'),
      budget('c', '500', '1000', '2026-12-31T00:00:00Z'),
    ]
    expect(sortBudgetsByUrgency(list).map((b) => b.id)).toEqual(['b', 'c', 'a'])
  })

  it('compares shares exactly, where rounded percentages would tie', () => {
    // 33.3333333 % vs 33.3333334 %: both round to 33.33 %.
    const list = [budget('lower', '0.333333333', '1', null), budget('higher', '0.333333334', '1', null)]
    expect(sortBudgetsByUrgency(list).map((b) => b.id)).toEqual(['higher', 'lower'])
  })

  it('breaks a tie by the soonest reset; budgets that never reset come last', () => {
    const list = [
      budget('total', '5', '10', null),
      budget('month', '50', '100', '2026-12-31T23:00:00Z'),
      budget('day', '1', '2', '2026-12-03T00:00:00Z'),
    ]
    expect(sortBudgetsByUrgency(list).map((b) => b.id)).toEqual(['day', 'month', 'total'])
  })

  it('is independent of input order, so a save (which may move a row in storage) never reorders the list', () => {
    const list = [
      budget('x', '1', '10', '2026-12-31T00:00:00Z', 'Same'),
      budget('y', '1', '10', '2026-12-31T00:00:00Z', 'Same'),
      budget('z', '0', '0', null, 'Zero limit'),
      budget('w', '3', '0', null, 'Spent on a zero limit'),
    ]
    const expected = sortBudgetsByUrgency(list).map((b) => b.id)
    expect(expected).toEqual(['w', 'x', 'y', 'z'])
    expect(sortBudgetsByUrgency([...list].reverse()).map((b) => b.id)).toEqual(expected)
    expect(compareBudgetUrgency(list[0]!, list[0]!)).toBe(0)
  })
})
