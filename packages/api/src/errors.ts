import {
  AppError,
  ERROR_CODES,
  INTERNAL_MESSAGE,
  appCodeForTrpc,
  type AppErrorCode,
  type ErrorBody,
} from '@costwise/core'
import { isDatabaseUnavailable } from '@costwise/db'
import { TRPCError } from '@trpc/server'
import { ZodError } from 'zod'

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
 * The one mapper from anything thrown to the AppError it stands for. tRPC's error formatter, REST, the export and
 * download routes, the Lab stream and the web's actions all read errors through it, and answer with the status and
 * tRPC code of core's `ERROR_CODES` table:
 * - an AppError is itself (also when tRPC wrapped it);
 * - a zod error is BAD_INPUT naming the first field at fault, with every issue in `details.issues`;
 * - a tRPC error of its own (e.g. a procedure that does not exist) keeps its message under the matching code;
 * - the database being unreachable is UNAVAILABLE (503, Retry-After), not a bug;
 * - anything else is INTERNAL with a message that leaks nothing (the original is the `cause`, for the logs).
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error
  if (error instanceof ZodError) return fromZod(error)
  if (error instanceof TRPCError) {
    if (error.cause instanceof AppError || error.cause instanceof ZodError) return toAppError(error.cause)
    if (error.code === 'INTERNAL_SERVER_ERROR' && isDatabaseUnavailable(error.cause))
      return databaseUnavailable(error.cause)
    const code = appCodeForTrpc(error.code)
    return new AppError(code, code === 'INTERNAL' ? INTERNAL_MESSAGE : error.message, { cause: error })
  }
  if (isDatabaseUnavailable(error)) return databaseUnavailable(error)
  return new AppError('INTERNAL', INTERNAL_MESSAGE, { cause: error })
}

export interface FieldIssue {
  path: string
  message: string
}

function fromZod(error: ZodError): AppError {
  const issues: FieldIssue[] = error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))
  const first = issues[0]
  const field = first?.path ?? ''
  return new AppError('BAD_INPUT', `Invalid input at "${field || '(root)'}": ${first?.message ?? 'invalid value'}`, {
    ...(field ? { field } : {}),
    details: { issues },
    cause: error,
  })
}

/** Whether the answer is the error itself (a 4xx, or a 503 to retry); anything else is a bug of ours, and is logged. */
export function isExpected(error: AppError): boolean {
  return error.code !== 'INTERNAL'
}

/** The tRPC code an AppError is answered with. */
export function trpcCodeOf(error: AppError) {
  return ERROR_CODES[error.code].trpc
}

/** An AppError as the tRPC error that carries it (code from core's table). */
export function toTrpcError(app: AppError): TRPCError {
  return new TRPCError({ code: trpcCodeOf(app), message: app.message, cause: app })
}

/** For createContext: an AppError (or a database outage) while authenticating is answered like everywhere else. */
export function rethrowAsTrpc(error: unknown): never {
  const app = toAppError(error)
  throw isExpected(app) ? toTrpcError(app) : error
}

/** The JSON error body of REST and the routes outside tRPC: `{ code, message, field }` plus the error's details. */
export function errorBody(error: AppError): ErrorBody & Record<string, unknown> {
  return { ...(error.details ?? {}), code: error.code, message: error.message, field: error.field ?? null }
}

/** `Retry-After` for rate-limited answers. */
export function retryAfterHeaders(errors: readonly unknown[]): Record<string, string> {
  for (const error of errors) {
    const seconds = toAppError(error).details?.retryAfterSeconds
    if (typeof seconds === 'number') return { 'retry-after': String(seconds) }
  }
  return {}
}

/** The JSON answer for an error, with its status from the table. */
export function errorResponse(error: AppError, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(errorBody(error)), {
    status: ERROR_CODES[error.code].status,
    headers: {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      ...retryAfterHeaders([error]),
      ...headers,
    },
  })
}

/** The JSON answer for an expected error; null for an unexpected one (the caller rethrows it, so it is logged). */
export function errorResponseFor(error: unknown): Response | null {
  const app = toAppError(error)
  return isExpected(app) ? errorResponse(app) : null
}

/**
 * The one error shape the web's forms read: the code, the message, the field at fault, and a message per field
 * (every zod issue, or the AppError's own field). Unexpected errors are rethrown, so the error page shows them.
 */
export interface FormError {
  code: AppErrorCode
  message: string
  field: string | null
  fieldErrors: Record<string, string>
}

export function formErrorOf(error: unknown): FormError {
  const app = toAppError(error)
  if (!isExpected(app)) throw error
  const fieldErrors: Record<string, string> = {}
  const issues = app.details?.issues
  if (Array.isArray(issues)) {
    for (const issue of issues as FieldIssue[]) fieldErrors[issue.path] ??= issue.message
  } else if (app.field) {
    fieldErrors[app.field] = app.message
  }
  return { code: app.code, message: app.message, field: app.field ?? null, fieldErrors }
}
