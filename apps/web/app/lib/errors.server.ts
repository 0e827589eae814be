import type { Submission, SubmissionResult } from '@conform-to/react'
import { formErrorOf, toAppError, type FormError } from '@costwise/api'
import { ERROR_CODES } from '@costwise/core'

export type { FormError }

/**
 * The web's one way to read a procedure's error (through `@costwise/api`'s mapper and core's table): the code, the
 * message, the field at fault and a message per field. Unexpected errors are rethrown for the error page.
 * `messages` replaces the message for a code where the page can say it better (e.g. who may do this).
 */
export function formError(
  error: unknown,
  messages: Partial<Record<FormError['code'], string>> = {},
): FormError & { status: number } {
  const found = formErrorOf(error)
  return { ...found, message: messages[found.code] ?? found.message, status: ERROR_CODES[found.code].status }
}

/** For loaders: an expected error becomes the HTTP answer the error page shows (403, 404…); others are rethrown. */
export function throwAsResponse(error: unknown, messages: Partial<Record<FormError['code'], string>> = {}): never {
  const app = toAppError(error)
  const status = ERROR_CODES[app.code].status
  if (status >= 500) throw error
  throw new Response(messages[app.code] ?? app.message, { status })
}

/**
 * A Conform submission refused by a procedure: each of the error's fields that the form posted gets its message
 * (without the "field: " prefix the API adds for API clients), anything else the form-level message. `fieldOf` names
 * the form field for an error's path when the procedure's input is shaped differently from the form (by default the
 * path's first part).
 */
export function replyWithError(
  submission: Submission<unknown>,
  error: unknown,
  messages: Partial<Record<FormError['code'], string>> = {},
  fieldOf: (path: string) => string | null = (path) => path.split('.')[0] ?? null,
): SubmissionResult {
  const { fieldErrors, message } = formError(error, messages)
  const byField: Record<string, string[]> = {}
  for (const [path, text] of Object.entries(fieldErrors)) {
    const head = fieldOf(path)
    if (head !== null && head in submission.payload)
      (byField[head] ??= []).push(text.startsWith(`${path}: `) ? text.slice(path.length + 2) : text)
  }
  return Object.keys(byField).length > 0
    ? submission.reply({ fieldErrors: byField })
    : submission.reply({ formErrors: [message] })
}
