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

const STATUS: Record<AppErrorCode, number> = {
  BAD_INPUT: 400,
  INVALID_USAGE: 400,
  UNKNOWN_MODEL: 400,
  INPUT_TOO_LARGE: 413,
  UNAUTHORIZED: 401,
  INVALID_CREDENTIALS: 401,
  BUDGET_EXCEEDED: 402,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
}

/** HTTP status for an error code; anything unknown is a 500. */
export function httpStatusFor(code: AppErrorCode | string): number {
  return (STATUS as Record<string, number | undefined>)[code] ?? 500
}

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
