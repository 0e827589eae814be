import { logIn, signUp } from '@costwise/api'
import { data, redirect } from '@remix-run/node'
import { sessionHeaders } from './auth.server'
import { db } from './db.server'
import { keptValues, loginForm, parseForm, signupForm, type FormFailure } from './lib/auth-forms'
import { safeRedirect } from './lib/safe-redirect'

interface AppErrorLike {
  code: string
  message: string
  field?: string | null
}

// Matched by shape rather than class so a second copy of @costwise/core (dev reloads) still counts.
function asAppError(error: unknown): AppErrorLike | null {
  if (error instanceof Error && typeof (error as { code?: unknown }).code === 'string') {
    return error as Error & AppErrorLike
  }
  return null
}

function failure<F extends string>(
  error: unknown,
  fields: readonly F[],
  raw: Record<string, unknown>,
): FormFailure<F> | null {
  const app = asAppError(error)
  if (!app) return null
  const values = keptValues<F>(raw)
  switch (app.code) {
    case 'INVALID_CREDENTIALS':
      return { fieldErrors: {}, formError: 'Email or password is incorrect.', values }
    case 'BAD_INPUT':
    case 'CONFLICT': {
      const field = fields.find((f) => f === app.field)
      return field
        ? { fieldErrors: { [field]: app.message } as Partial<Record<F, string>>, formError: null, values }
        : { fieldErrors: {}, formError: app.message, values }
    }
    case 'RATE_LIMITED':
      return { fieldErrors: {}, formError: app.message, values }
    default:
      return null
  }
}

export async function loginAction(request: Request) {
  const formData = await request.formData()
  const parsed = parseForm(loginForm, formData)
  if (!parsed.ok) return data(parsed, { status: 400 })
  let session: Awaited<ReturnType<typeof logIn>>
  try {
    session = await logIn(db, parsed.data, request.headers.get('user-agent'))
  } catch (error) {
    const result = failure(error, ['email', 'password'] as const, parsed.data)
    if (!result) throw error
    return data({ ok: false as const, ...result }, { status: result.formError ? 401 : 400 })
  }
  return redirect(safeRedirect(formData.get('redirectTo')), { headers: sessionHeaders(session) })
}

export async function signupAction(request: Request) {
  const formData = await request.formData()
  const parsed = parseForm(signupForm, formData)
  if (!parsed.ok) return data(parsed, { status: 400 })
  let session: Awaited<ReturnType<typeof signUp>>
  try {
    session = await signUp(db, parsed.data, request.headers.get('user-agent'))
  } catch (error) {
    const result = failure(error, ['name', 'email', 'password', 'teamName'] as const, parsed.data)
    if (!result) throw error
    return data({ ok: false as const, ...result }, { status: result.formError ? 409 : 400 })
  }
  return redirect(safeRedirect(formData.get('redirectTo')), { headers: sessionHeaders(session) })
}
