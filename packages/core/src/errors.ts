import { z } from 'zod'

/**
 * The one error shape of Costwise. Domain code throws an AppError with a stable `code`; the API's
 * error formatter maps the code to an HTTP/tRPC status with {@link httpStatusFor}. The message says
 * what to do about it, and `field` names the input at fault so a form can show it next to that field.
 */
export const appErrorCodeSchema = z.enum([
  'BAD_INPUT',
  'INVALID_USAGE',
  'INPUT_TOO_LARGE',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'IDEMPOTENCY_KEY_REUSED',
  'BUDGET_EXCEEDED',
  'UNKNOWN_MODEL',
  'RATE_LIMITED',
  'INVALID_CREDENTIALS',
  'METHOD_NOT_ALLOWED',
  'UNAVAILABLE',
  'INTERNAL',
])
export type AppErrorCode = z.infer<typeof appErrorCodeSchema>

export interface AppErrorOptions {
  /** The input field at fault (dotted path, e.g. `usage.cachedInputTokens`). */
  field?: string
  /** Machine-readable context for the client (limits, current values…). Must be JSON-safe. */
  details?: Record<string, unknown>
  cause?: unknown
}

export class AppError extends Error {
  override readonly name = 'AppError'
  readonly code: AppErrorCode
  readonly field?: string
  readonly details?: Record<string, unknown>

  constructor(code: AppErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    if (options.field !== undefined) this.field = options.field
    if (options.details !== undefined) this.details = options.details
  }

  /** The HTTP status this error is answered with. */
  get status(): number {
    return httpStatusFor(this.code)
  }

  toJSON(): { code: AppErrorCode; message: string; field: string | null; details: Record<string, unknown> | null } {
    return { code: this.code, message: this.message, field: this.field ?? null, details: this.details ?? null }
  }
}

/** The tRPC error codes our AppError codes map onto (tRPC's own names; core does not depend on tRPC). */
export type TrpcErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'PAYMENT_REQUIRED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_SUPPORTED'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'TOO_MANY_REQUESTS'
  | 'INTERNAL_SERVER_ERROR'
  | 'SERVICE_UNAVAILABLE'

/**
 * The one table from an error code to its HTTP status and tRPC code. tRPC, REST, the export and download routes,
 * the Lab stream and the web's actions all answer from it (through `toAppError` in packages/api).
 */
export const ERROR_CODES = {
  BAD_INPUT: { status: 400, trpc: 'BAD_REQUEST' },
  INVALID_USAGE: { status: 400, trpc: 'BAD_REQUEST' },
  UNKNOWN_MODEL: { status: 400, trpc: 'BAD_REQUEST' },
  INPUT_TOO_LARGE: { status: 413, trpc: 'PAYLOAD_TOO_LARGE' },
  UNAUTHORIZED: { status: 401, trpc: 'UNAUTHORIZED' },
  INVALID_CREDENTIALS: { status: 401, trpc: 'UNAUTHORIZED' },
  BUDGET_EXCEEDED: { status: 402, trpc: 'PAYMENT_REQUIRED' },
  FORBIDDEN: { status: 403, trpc: 'FORBIDDEN' },
  NOT_FOUND: { status: 404, trpc: 'NOT_FOUND' },
  METHOD_NOT_ALLOWED: { status: 405, trpc: 'METHOD_NOT_SUPPORTED' },
  CONFLICT: { status: 409, trpc: 'CONFLICT' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, trpc: 'CONFLICT' },
  RATE_LIMITED: { status: 429, trpc: 'TOO_MANY_REQUESTS' },
  INTERNAL: { status: 500, trpc: 'INTERNAL_SERVER_ERROR' },
  /** The database is unreachable for a moment: retry after `details.retryAfterSeconds`. */
  UNAVAILABLE: { status: 503, trpc: 'SERVICE_UNAVAILABLE' },
} as const satisfies Record<AppErrorCode, { status: number; trpc: TrpcErrorCode }>

/** HTTP status for an error code; anything unknown is a 500. */
export function httpStatusFor(code: string): number {
  return code in ERROR_CODES ? ERROR_CODES[code as AppErrorCode].status : 500
}

/** The AppError code a tRPC error code stands for when no AppError caused it (the first row of the table with it). */
export function appCodeForTrpc(trpc: string): AppErrorCode {
  const found = (Object.keys(ERROR_CODES) as AppErrorCode[]).find((code) => ERROR_CODES[code].trpc === trpc)
  return found ?? (trpc === 'PARSE_ERROR' ? 'BAD_INPUT' : 'INTERNAL')
}

/** The JSON body every non-tRPC answer carries for an error (REST adds the details' keys beside these). */
export interface ErrorBody {
  code: AppErrorCode
  message: string
  field: string | null
}

/** What a server says when something unexpected failed: nothing internal leaks. */
export const INTERNAL_MESSAGE = 'Something went wrong on our side; try again.'

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError
}

/**
 * Turns the first issue of a failed zod parse into an AppError naming the field, e.g.
 * `INVALID_USAGE: usage.cachedInputTokens must be a non-negative integer (got -1)`.
 */
export function appErrorFromZod(
  code: AppErrorCode,
  error: z.ZodError,
  options: { prefix?: string; hint?: string } = {},
): AppError {
  const issue = error.issues[0]
  const path = [options.prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.')
  const what = issue?.message ?? 'invalid value'
  const message = `${path || 'input'}: ${what}${options.hint ? `. ${options.hint}` : ''}`
  return new AppError(code, message, { field: path || undefined, cause: error })
}
