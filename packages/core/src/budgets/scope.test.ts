import { describe, expect, it } from 'vitest'
import { budgetApplies } from './scope'

describe('budgetApplies', () => {
  const call = { userId: 'u1', apiKeyId: null, promptId: 'p1' }
  const budget = (scope: 'team' | 'user' | 'api_key' | 'prompt', id: string | null = null) => ({
    scope,
    userId: scope === 'user' ? id : null,
    apiKeyId: scope === 'api_key' ? id : null,
    promptId: scope === 'prompt' ? id : null,
  })

  it('a team budget covers every call', () => {
    expect(budgetApplies(budget('team'), call)).toBe(true)
    expect(budgetApplies(budget('team'), { userId: null, apiKeyId: null, promptId: null })).toBe(true)
  })

  it('a scoped budget covers only calls of its user, key or prompt', () => {
    expect(budgetApplies(budget('user', 'u1'), call)).toBe(true)
    expect(budgetApplies(budget('user', 'u2'), call)).toBe(false)
    expect(budgetApplies(budget('prompt', 'p1'), call)).toBe(true)
    expect(budgetApplies(budget('prompt', 'p2'), call)).toBe(false)
    expect(budgetApplies(budget('api_key', 'k1'), call)).toBe(false)
    expect(budgetApplies(budget('api_key', 'k1'), { ...call, apiKeyId: 'k1' })).toBe(true)
  })
})
