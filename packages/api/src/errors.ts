import { AppError, httpStatusFor, type AppErrorCode } from '@costwise/core'
import { isDatabaseUnavailable } from '@costwise/db'
import { TRPCError } from '@trpc/server'
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc'

/** How long a client should wait before retrying while the database is unreachable. */
export const UNAVAILABLE_RETRY_SECONDS = 5

/** The answer to "the database is not there right now": 503 with Retry-After, never a 500 with a stack. */
export function databaseUnavailable(cause: unknown): AppError {
  return new AppError('UNAVAILABLE', 'The database is not reachable right now; try again in a few seconds.', {
    details: { retryAfterSeconds: UNAVAILABLE_RETRY_SECONDS },
    cause,
  })
}

/**
 * The AppError an error stands for: itself, the cause of a tRPC error, or UNAVAILABLE when the database could
 * not be reached. Null for anything else (a bug: answered 500 and logged).
 */
export function appErrorIn(error: unknown): AppError | null {
  if (error instanceof AppError) return error
  if (error instanceof TRPCError) {
    if (error.cause instanceof AppError) return error.cause
    if (error.code === 'INTERNAL_SERVER_ERROR' && isDatabaseUnavailable(error.cause)) return databaseUnavailable(error.cause)
    return null
  }
  if (isDatabaseUnavailable(error)) return databaseUnavailable(error)
  return null
}

// tRPC names HTTP statuses; the status of each AppError code comes from core's one table (httpStatusFor).
const TRPC_CODE_FOR_STATUS: Record<number, TRPC_ERROR_CODE_KEY> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  402: 'PAYMENT_REQUIRED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
}

export function trpcCodeFor(code: AppErrorCode): TRPC_ERROR_CODE_KEY {
  return TRPC_CODE_FOR_STATUS[httpStatusFor(code)] ?? 'INTERNAL_SERVER_ERROR'
}

/** An AppError as the tRPC error that carries it (status from core's table). */
export function toTrpcError(app: AppError): TRPCError {
  return new TRPCError({ code: trpcCodeFor(app.code), message: app.message, cause: app })
}

/** For createContext: a database outage while authenticating is a 503, like everywhere else. */
export function rethrowAsTrpc(error: unknown): never {
  const app = appErrorIn(error)
  throw app ? toTrpcError(app) : error
}

/** `Retry-After` for answers that carry `retryAfterSeconds` (rate limits, an unreachable database). */
export function retryAfterHeaders(errors: readonly unknown[]): Record<string, string> {
  for (const error of errors) {
    const seconds = appErrorIn(error)?.details?.retryAfterSeconds
    if (typeof seconds === 'number') return { 'retry-after': String(seconds) }
  }
  return {}
}
