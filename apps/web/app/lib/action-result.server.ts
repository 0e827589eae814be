import { formError } from './errors.server'

/**
 * What a form post answers: done (with a notice), or refused with the field at fault and a message to show.
 * `target` names the record the post was about (a budget, a request) when a page has one form per record.
 */
export type ActionResult<T extends object = object> = ({ ok: true; intent: string; notice: string } & T) | Refusal

export interface Refusal {
  ok: false
  intent: string
  field: string | null
  message: string
  target?: string
}

/**
 * A refusal as a form's error, read through the web's one error mapping (`formError`): the field at fault and its
 * message without the "field: " prefix the API adds for API clients. Takes a procedure's error or the AppError or
 * ZodError of a service called directly (the invitation page); unexpected errors are rethrown.
 */
export function refusal(error: unknown, intent: string, target?: string): Refusal {
  const found = formError(error)
  const field = found.field
  const raw = (field ? found.fieldErrors[field] : undefined) ?? found.message
  const message = field && raw.startsWith(`${field}: `) ? raw.slice(field.length + 2) : raw
  return {
    ok: false,
    intent,
    field,
    message: message.charAt(0).toUpperCase() + message.slice(1),
    ...(target ? { target } : {}),
  }
}
