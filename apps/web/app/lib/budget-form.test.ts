import { parseWithZod } from '@conform-to/zod/v4'
import { describe, expect, it } from 'vitest'
import { budgetFormSchema, EMPTY_BUDGET_FORM, validateLimit } from './budget-form'

/** The form as the browser posts it, parsed the way both the browser and the action parse it. */
function submit(changes: Partial<typeof EMPTY_BUDGET_FORM>) {
  const data = new FormData()
  for (const [k, v] of Object.entries({ ...EMPTY_BUDGET_FORM, name: 'Team monthly', limitUsd: '250', ...changes }))
    data.set(k, v)
  return parseWithZod(data, { schema: budgetFormSchema })
}
const errorsOf = (s: ReturnType<typeof submit>) => (s.status === 'error' ? s.error : {})

describe('budget form (core’s budgetFormSchema through Conform)', () => {
  it('accepts a valid budget and builds the input budgets.save takes', () => {
    const s = submit({ limitUsd: '$1,250.50', thresholds: '50, 80%, 100', timeZone: 'Europe/Paris' })
    expect(s.status).toBe('success')
    expect(s.status === 'success' && s.value).toEqual({
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
    expect(validateLimit('')).toMatch(/decimal string of USD/)
    expect(validateLimit('0')).toBe('must be more than $0')
    expect(validateLimit('0.000000000')).toBe('must be more than $0')
    expect(validateLimit('-5')).toMatch(/decimal string of USD/)
    expect(validateLimit('1e3')).toMatch(/decimal string of USD/)
    expect(validateLimit('0.0000000001')).toMatch(/at most 9 decimals/)
    expect(validateLimit('0.000000001')).toBeNull()
    expect(errorsOf(submit({ limitUsd: '' }))).toHaveProperty('limitUsd')
  })

  it('requires thresholds from 1 to 1000 (core’s rule) in ascending order', () => {
    const thresholds = (t: string) => submit({ thresholds: t })
    expect(thresholds('50 80 100').status).toBe('success')
    expect(thresholds('50, 100, 150').status).toBe('success')
    expect(errorsOf(thresholds(''))?.thresholds).toEqual(['give at least one threshold, e.g. 50, 80, 100'])
    expect(JSON.stringify(errorsOf(thresholds('0, 50')))).toMatch(/at least 1/)
    expect(JSON.stringify(errorsOf(thresholds('50, 1200')))).toMatch(/at most 1000/)
    expect(JSON.stringify(errorsOf(thresholds('80, 50')))).toMatch(/ascending/)
    expect(JSON.stringify(errorsOf(thresholds('50, 50')))).toMatch(/ascending/)
    expect(JSON.stringify(errorsOf(thresholds('50.5')))).toMatch(/whole percentages/)
  })

  it('names every field at fault, including the time zone and scope targets', () => {
    const s = submit({ name: ' ', limitUsd: '0', thresholds: '90, 10', timeZone: 'Mars/Olympus', scope: 'user' })
    expect(s.status).toBe('error')
    expect(Object.keys(errorsOf(s) ?? {}).sort()).toEqual(['limitUsd', 'name', 'thresholds', 'timeZone', 'userId'])
    expect(errorsOf(s)?.name).toEqual(['give the budget a name'])
    expect(submit({ timeZone: 'UTC' }).status).toBe('success')
    const noZone = submit({ timeZone: '' })
    expect(noZone.status === 'success' && noZone.value.timeZone).toBeNull()
  })

  it('sends only the chosen scope’s target', () => {
    const id = '0b6f0c0e-1f1a-4c36-9f57-4c1f1e0c2a11'
    const other = '1b6f0c0e-1f1a-4c36-9f57-4c1f1e0c2a11'
    const s = submit({ scope: 'prompt', promptId: id, userId: other })
    expect(s.status === 'success' && s.value).toMatchObject({ scope: 'prompt', promptId: id })
    expect(s.status === 'success' && s.value).not.toHaveProperty('userId')
  })
})
