import { isAppError } from '@costwise/core'
import { TRPCError } from '@trpc/server'
import { ZodError } from 'zod'

/**
 * What a form post answers: done (with a notice), or refused with the field at fault and a message to show.
 * `target` names the record the post was about (a budget, a request) when a page has one form per record.
 */
export type ActionResult<T extends object = object> =
  | ({ ok: true; intent: string; notice: string } & T)
  | Refusal

export interface Refusal {
  ok: false
  intent: string
  field: string | null
  message: string
  target?: string
}

/**
 * A refusal as a form's error: the field it names (zod's first issue or the AppError's field) and its message
 * without the "field: " prefix the API adds for API clients. Takes a procedure's TRPCError, or the AppError or
 * ZodError of a service called directly (the invitation page); unexpected errors are rethrown.
 */
export function refusal(error: unknown, intent: string, target?: string): Refusal {
  let cause: { issues?: { path: PropertyKey[]; message: string }[]; field?: string } | undefined
  if (error instanceof TRPCError && error.code !== 'INTERNAL_SERVER_ERROR') cause = error.cause as typeof cause
  else if ((isAppError(error) && error.code !== 'INTERNAL') || error instanceof ZodError) cause = error
  else throw error
  const issue = cause?.issues?.[0]
  const field = issue ? issue.path.map(String).join('.') : (cause?.field ?? null)
  const raw = issue ? issue.message : error.message
  const message = field && raw.startsWith(`${field}: `) ? raw.slice(field.length + 2) : raw
  return { ok: false, intent, field, message: message.charAt(0).toUpperCase() + message.slice(1), ...(target ? { target } : {}) }
}
