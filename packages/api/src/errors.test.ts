import { AppError, ERROR_CODES } from '@costwise/core'
import { TRPCError } from '@trpc/server'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { errorBody, errorResponseFor, formErrorOf, toAppError } from './errors'

describe('toAppError', () => {
  it('keeps an AppError, also when tRPC wrapped it', () => {
    const app = new AppError('BUDGET_EXCEEDED', 'Over budget.', { details: { budget: { id: 'b' } } })
    expect(toAppError(app)).toBe(app)
    expect(toAppError(new TRPCError({ code: 'PAYMENT_REQUIRED', message: 'x', cause: app }))).toBe(app)
  })

  it('turns a zod error into BAD_INPUT naming the first field, with every issue', () => {
    const parsed = z.object({ a: z.number(), b: z.string() }).safeParse({ a: 'x', b: 1 })
    const app = toAppError(new TRPCError({ code: 'BAD_REQUEST', cause: parsed.error }))
    expect(app.code).toBe('BAD_INPUT')
    expect(app.field).toBe('a')
    expect(app.message).toMatch(/^Invalid input at "a": /)
    expect(app.details?.issues).toHaveLength(2)
  })

  it('says nothing internal about an unexpected error', () => {
    const app = toAppError(new Error('connection string postgres://secret'))
    expect(app.code).toBe('INTERNAL')
    expect(app.message).not.toMatch(/secret/)
    expect(toAppError(new TRPCError({ code: 'NOT_FOUND', message: 'No "x" procedure' })).code).toBe('NOT_FOUND')
  })
})

describe('answers', () => {
  it('answer with the status of the table and the details beside the code', async () => {
    const error = new AppError('RATE_LIMITED', 'Slow down.', { details: { retryAfterSeconds: 7 } })
    const response = errorResponseFor(error)!
    expect(response.status).toBe(ERROR_CODES.RATE_LIMITED.status)
    expect(response.headers.get('retry-after')).toBe('7')
    expect(await response.json()).toEqual({
      code: 'RATE_LIMITED',
      message: 'Slow down.',
      field: null,
      retryAfterSeconds: 7,
    })
    expect(errorBody(new AppError('NOT_FOUND', 'No such budget.', { field: 'id' }))).toEqual({
      code: 'NOT_FOUND',
      message: 'No such budget.',
      field: 'id',
    })
  })

  it('leave unexpected errors to the caller (null), so they are logged', () => {
    expect(errorResponseFor(new Error('boom'))).toBeNull()
  })

  it('give forms a message per field, and rethrow what the user cannot fix', () => {
    const parsed = z.object({ name: z.string().min(1, 'Name it') }).safeParse({ name: '' })
    expect(formErrorOf(parsed.error).fieldErrors).toEqual({ name: 'Name it' })
    expect(formErrorOf(new AppError('CONFLICT', 'Taken.', { field: 'slug' }))).toEqual({
      code: 'CONFLICT',
      message: 'Taken.',
      field: 'slug',
      fieldErrors: { slug: 'Taken.' },
    })
    const boom = new Error('boom')
    expect(() => formErrorOf(boom)).toThrow(boom)
  })
})
