import { describe, expect, it } from 'vitest'
import { EMPTY_BUDGET_FORM, fieldOf, parseThresholds, readBudgetForm, validateBudgetForm, validateLimit } from './budget-form'

const form = (changes: Partial<typeof EMPTY_BUDGET_FORM>) => ({ ...EMPTY_BUDGET_FORM, name: 'Team monthly', limitUsd: '250', ...changes })

describe('budget form validation', () => {
  it('accepts a valid budget and builds the save input', () => {
    const { input, errors } = validateBudgetForm(form({ limitUsd: '$1,250.50', thresholds: '50, 80%, 100', timeZone: 'Europe/Paris' }))
    expect(errors).toEqual({})
    expect(input).toEqual({
      name: 'Team monthly',
      scope: 'team',
      period: 'month',
      limitUsd: '1250.50',
      mode: 'hard',
      thresholds: [50, 80, 100],
      timeZone: 'Europe/Paris',
    })
  })

  it('requires a limit above zero written as dollars', () => {
    expect(validateLimit('')).toMatch(/Enter a limit/)
    expect(validateLimit('0')).toBe('The limit must be more than $0.')
    expect(validateLimit('0.000000000')).toBe('The limit must be more than $0.')
    expect(validateLimit('-5')).toMatch(/number of dollars/)
    expect(validateLimit('1e3')).toMatch(/number of dollars/)
    expect(validateLimit('0.0000000001')).toMatch(/up to 9 decimals/)
    expect(validateLimit('0.000000001')).toBeNull()
  })

  it('requires thresholds from 1 to 1000 (core’s rule) in ascending order', () => {
    expect(parseThresholds('50 80 100')).toEqual({ thresholds: [50, 80, 100], error: null })
    expect(parseThresholds('').error).toMatch(/at least one/)
    expect(parseThresholds('0, 50').error).toMatch(/from 1 to 1000/)
    expect(parseThresholds('50, 1200').error).toMatch(/from 1 to 1000/)
    expect(parseThresholds('50, 100, 150')).toEqual({ thresholds: [50, 100, 150], error: null })
    expect(parseThresholds('80, 50').error).toMatch(/ascending/)
    expect(parseThresholds('50, 50').error).toMatch(/ascending/)
    expect(parseThresholds('50.5').error).toMatch(/whole percentage/)
  })

  it('names every field at fault, including the time zone and scope targets', () => {
    const { input, errors } = validateBudgetForm(form({ name: ' ', limitUsd: '0', thresholds: '90, 10', timeZone: 'Mars/Olympus', scope: 'user' }))
    expect(input).toBeNull()
    expect(Object.keys(errors).sort()).toEqual(['limitUsd', 'name', 'thresholds', 'timeZone', 'userId'])
    expect(validateBudgetForm(form({ timeZone: 'UTC' })).errors).toEqual({})
    expect(validateBudgetForm(form({ timeZone: '' })).input?.timeZone).toBeNull()
  })

  it('sends only the chosen scope’s target', () => {
    const id = '0b6f0c0e-1f1a-4c36-9f57-4c1f1e0c2a11'
    const { input } = validateBudgetForm(form({ scope: 'prompt', promptId: id, userId: 'left-over' }))
    expect(input).toMatchObject({ scope: 'prompt', promptId: id })
    expect(input).not.toHaveProperty('userId')
  })

  it('reads FormData and maps server field paths back onto fields', () => {
    const data = new FormData()
    data.set('name', 'X')
    data.set('limitUsd', '5')
    expect(readBudgetForm(data)).toMatchObject({ name: 'X', limitUsd: '5', scope: 'team', period: 'month', mode: 'hard' })
    expect(fieldOf('thresholds.1')).toBe('thresholds')
    expect(fieldOf('limitUsd')).toBe('limitUsd')
    expect(fieldOf('')).toBe('form')
    expect(fieldOf('somethingElse')).toBe('form')
  })
})
