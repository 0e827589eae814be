import { describe, expect, it } from 'vitest'
import { allocationsFormSchema, allocationsInputSchema } from './allocations'

const budgetId = '0b9c1a52-3f7e-4a53-9d0e-4f4f3b1c2d11'
const ann = 'a1b2c3d4-0000-4000-8000-000000000001'
const bob = 'a1b2c3d4-0000-4000-8000-000000000002'

const byPath = (issues: { path: PropertyKey[]; message: string }[]) =>
  Object.fromEntries(issues.map((i) => [i.path.join('.'), i.message]))

describe('allocationsFormSchema', () => {
  it('"Save amounts": members with an amount, typed as people write it; an empty amount is no allocation', () => {
    const parsed = allocationsFormSchema.parse({
      split: 'custom',
      budgetId,
      members: [
        { userId: ann, limitUsd: '$1,250.50', mode: 'soft', include: 'on' },
        { userId: bob, mode: 'hard' },
      ],
    })
    expect(parsed).toEqual({ budgetId, split: 'custom', members: [{ userId: ann, limitUsd: '1250.50', mode: 'soft' }] })
    expect(allocationsInputSchema.parse(parsed)).toEqual(parsed)
  })

  it('names the row whose amount is wrong', () => {
    const result = allocationsFormSchema.safeParse({
      split: 'custom',
      budgetId,
      members: [{ userId: ann }, { userId: bob, limitUsd: '0' }],
    })
    expect(byPath(result.error!.issues)).toEqual({ 'members.1.limitUsd': 'must be more than $0' })
  })

  it('"Split equally": the total among the ticked members; the amounts are not read', () => {
    const parsed = allocationsFormSchema.parse({
      split: 'equal',
      budgetId,
      totalUsd: '50',
      members: [
        { userId: ann, limitUsd: 'not read', include: 'on' },
        { userId: bob, mode: 'soft' },
      ],
    })
    expect(parsed).toEqual({ budgetId, split: 'equal', totalUsd: '50', members: [{ userId: ann, mode: 'hard' }] })
    expect(allocationsInputSchema.parse(parsed)).toEqual(parsed)
  })

  it('an equal split needs a total and a ticked member, with the API’s messages', () => {
    const result = allocationsFormSchema.safeParse({ split: 'equal', budgetId, members: [{ userId: ann }] })
    expect(byPath(result.error!.issues)).toEqual({
      totalUsd: 'give the total to split equally',
      members: 'choose the members to split it among',
    })
  })
})

describe('allocationsInputSchema', () => {
  it('an equal split needs a total and members', () => {
    const result = allocationsInputSchema.safeParse({ budgetId, split: 'equal', members: [] })
    expect(byPath(result.error!.issues)).toEqual({
      totalUsd: 'give the total to split equally',
      members: 'choose the members to split it among',
    })
  })
})
