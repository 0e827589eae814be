import { describe, expect, it } from 'vitest'
import { budgetRequestFormSchema, budgetRequestInputSchema, requestDecisionFormSchema } from './requests'

const budgetId = '0b9c1a52-3f7e-4a53-9d0e-4f4f3b1c2d11'

describe('budgetRequestFormSchema', () => {
  it('reads the amount as people type it, and its output is what budgetRequests.create takes', () => {
    const parsed = budgetRequestFormSchema.parse({ budgetId, amountUsd: ' $1,250.50 ', reason: ' More runs ' })
    expect(parsed).toEqual({ budgetId, amountUsd: '1250.50', reason: 'More runs', duration: 'period' })
    expect(budgetRequestInputSchema.parse(parsed)).toEqual(parsed)
  })

  it('names the field at fault with the API’s messages', () => {
    const result = budgetRequestFormSchema.safeParse({ budgetId, amountUsd: '0', duration: 'forever' })
    const byField = Object.fromEntries(result.error!.issues.map((i) => [i.path.join('.'), i.message]))
    expect(byField).toMatchObject({ amountUsd: 'must be more than $0', reason: 'say what the extra budget is for' })
    expect(byField.duration).toBeDefined()
    expect(
      budgetRequestFormSchema.safeParse({ budgetId, amountUsd: '5 dollars', reason: 'x' }).error?.issues[0],
    ).toMatchObject({ path: ['amountUsd'], message: expect.stringMatching(/decimal string of USD/) })
  })
})

describe('requestDecisionFormSchema', () => {
  it('approves the amount asked for when none is typed, or the amount typed', () => {
    expect(requestDecisionFormSchema.parse({ intent: 'approve', id: budgetId })).toEqual({
      intent: 'approve',
      id: budgetId,
    })
    expect(requestDecisionFormSchema.parse({ intent: 'approve', id: budgetId, amountUsd: '$2.50' })).toMatchObject({
      amountUsd: '2.50',
    })
  })

  it('checks the amount only for an approval', () => {
    expect(requestDecisionFormSchema.safeParse({ intent: 'approve', id: budgetId, amountUsd: '-1' }).success).toBe(
      false,
    )
    expect(
      requestDecisionFormSchema.parse({ intent: 'deny', id: budgetId, amountUsd: '-1', comment: ' No. ' }),
    ).toEqual({
      intent: 'deny',
      id: budgetId,
      comment: 'No.',
    })
  })
})
