import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  AppError,
  ERROR_CODES,
  appCodeForTrpc,
  appErrorCodeSchema,
  appErrorFromZod,
  httpStatusFor,
  isAppError,
} from './errors'

describe('AppError', () => {
  it('carries a stable code, field, details and cause', () => {
    const cause = new Error('root')
    const error = new AppError('BUDGET_EXCEEDED', 'The monthly budget is spent; raise the limit or wait for June.', {
      field: 'budgetId',
      details: { limitUsd: '100' },
      cause,
    })
    expect(error).toBeInstanceOf(Error)
    expect(isAppError(error)).toBe(true)
    expect(isAppError(new Error('x'))).toBe(false)
    expect(error.name).toBe('AppError')
    expect(error.code).toBe('BUDGET_EXCEEDED')
    expect(error.field).toBe('budgetId')
    expect(error.details).toEqual({ limitUsd: '100' })
    expect(error.cause).toBe(cause)
    expect(error.status).toBe(402)
    expect(error.toJSON()).toEqual({
      code: 'BUDGET_EXCEEDED',
      message: 'The monthly budget is spent; raise the limit or wait for June.',
      field: 'budgetId',
      details: { limitUsd: '100' },
    })
  })

  it('leaves optional parts undefined when not given', () => {
    const error = new AppError('NOT_FOUND', 'No such team.')
    expect(error.field).toBeUndefined()
    expect(error.details).toBeUndefined()
    expect(error.cause).toBeUndefined()
    expect(error.toJSON()).toEqual({ code: 'NOT_FOUND', message: 'No such team.', field: null, details: null })
  })
})

describe('httpStatusFor', () => {
  it.each([
    ['BAD_INPUT', 400],
    ['INVALID_USAGE', 400],
    ['UNKNOWN_MODEL', 400],
    ['INPUT_TOO_LARGE', 413],
    ['UNAUTHORIZED', 401],
    ['INVALID_CREDENTIALS', 401],
    ['BUDGET_EXCEEDED', 402],
    ['FORBIDDEN', 403],
    ['NOT_FOUND', 404],
    ['METHOD_NOT_ALLOWED', 405],
    ['CONFLICT', 409],
    ['RATE_LIMITED', 429],
    ['INTERNAL', 500],
    ['SOMETHING_ELSE', 500],
  ])('%s → %i', (code, status) => {
    expect(httpStatusFor(code)).toBe(status)
  })

  it('has a status for every code', () => {
    for (const code of appErrorCodeSchema.options) expect(httpStatusFor(code)).toBeGreaterThanOrEqual(400)
  })

  it('maps a tRPC code back to the first AppError code that answers with it', () => {
    expect(appCodeForTrpc('BAD_REQUEST')).toBe('BAD_INPUT')
    expect(appCodeForTrpc('PAYMENT_REQUIRED')).toBe('BUDGET_EXCEEDED')
    expect(appCodeForTrpc('PARSE_ERROR')).toBe('BAD_INPUT')
    expect(appCodeForTrpc('TIMEOUT')).toBe('INTERNAL')
    for (const code of appErrorCodeSchema.options)
      expect(ERROR_CODES[appCodeForTrpc(ERROR_CODES[code].trpc)].status).toBe(ERROR_CODES[code].status)
  })
})

describe('appErrorFromZod', () => {
  it('names the field of the first issue', () => {
    const result = z.object({ a: z.object({ b: z.number() }) }).safeParse({ a: { b: 'x' } })
    expect(result.success).toBe(false)
    const error = appErrorFromZod('BAD_INPUT', result.error!, { prefix: 'body', hint: 'Send numbers' })
    expect(error.code).toBe('BAD_INPUT')
    expect(error.field).toBe('body.a.b')
    expect(error.message).toMatch(/^body\.a\.b: .+\. Send numbers$/)
    expect(error.cause).toBe(result.error)
  })

  it('works without a path or prefix', () => {
    const result = z.number().safeParse('x')
    const error = appErrorFromZod('BAD_INPUT', result.error!)
    expect(error.field).toBeUndefined()
    expect(error.message).toMatch(/^input: /)
  })
})
