import { describe, expect, it } from 'vitest'
import { assignInputSchema, keySplitFormSchema } from './input'

const key = 'c0ffee00-0000-4000-8000-000000000001'
const eng = 'c0ffee00-0000-4000-8000-0000000000e1'
const ops = 'c0ffee00-0000-4000-8000-0000000000e2'
const schema = keySplitFormSchema([
  { id: eng, code: 'eng' },
  { id: ops, code: 'ops' },
])

describe('keySplitFormSchema', () => {
  it('reads "eng 60, ops 40" by code into what costCenters.assign takes; one code alone is 100 %; empty is none', () => {
    const parsed = schema.parse({ target: key, shares: 'ENG 60, ops 40%' })
    expect(parsed).toEqual({
      target: 'apiKey',
      apiKeyId: key,
      shares: [
        { costCenterId: eng, percent: 60 },
        { costCenterId: ops, percent: 40 },
      ],
    })
    expect(assignInputSchema.parse(parsed)).toEqual(parsed)
    expect(schema.parse({ target: key, shares: 'ops' }).shares).toEqual([{ costCenterId: ops, percent: 100 }])
    expect(schema.parse({ target: key }).shares).toEqual([])
  })

  it('names the shares field for a code no centre has, or a part without a percentage', () => {
    const unknown = schema.safeParse({ target: key, shares: 'eng 60, hr 40' }).error!.issues
    expect(unknown).toEqual([
      expect.objectContaining({ path: ['shares'], message: 'no cost centre with the code “hr”' }),
    ])
    const bare = schema.safeParse({ target: key, shares: 'eng, ops 40' }).error!.issues
    expect(bare).toEqual([
      expect.objectContaining({ path: ['shares'], message: 'give “eng” a percentage, e.g. “eng 60”' }),
    ])
  })
})
