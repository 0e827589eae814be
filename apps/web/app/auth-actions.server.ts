import { CLIENT_IP_HEADER, logIn, logOut, readSessionToken, signUp, toAppError } from '@costwise/api'
import { data, redirect } from '@remix-run/node'
import { sessionHeaders } from './auth.server'
import { db } from './db.server'
import { keptValues, loginForm, parseForm, signupForm, type FormFailure } from './lib/auth-forms'
import { DEFAULT_REDIRECT, safeRedirect } from './lib/safe-redirect'

function failure<F extends string>(
  error: unknown,
  fields: readonly F[],
  raw: Record<string, unknown>,
): FormFailure<F> | null {
  const app = toAppError(error)
  const values = keptValues<F>(raw)
  switch (app.code) {
    case 'INVALID_CREDENTIALS':
      return { fieldErrors: {}, formError: 'Email or password is incorrect.', values }
    case 'BAD_INPUT': {
      const field = fields.find((f) => f === app.field)
      return field
        ? { fieldErrors: { [field]: app.message } as Partial<Record<F, string>>, formError: null, values }
        : { fieldErrors: {}, formError: app.message, values }
    }
    case 'RATE_LIMITED':
      return { fieldErrors: {}, formError: app.message, values, retryAfterSeconds: retryAfterOf(app.details) }
    default:
      return null
  }
}

function retryAfterOf(details: Record<string, unknown> | undefined): number | undefined {
  const seconds = details?.retryAfterSeconds
  return typeof seconds === 'number' ? seconds : undefined
}

/** The status and headers of a failed form post: 429 with Retry-After when throttled. */
function failureInit(result: { formError: string | null; retryAfterSeconds?: number }, otherStatus: number) {
  if (result.retryAfterSeconds !== undefined)
    return { status: 429, headers: { 'Retry-After': String(result.retryAfterSeconds) } }
  return { status: result.formError ? otherStatus : 400 }
}

const requestOptions = (request: Request) => ({
  userAgent: request.headers.get('user-agent'),
  ip: request.headers.get(CLIENT_IP_HEADER),
})

export async function loginAction(request: Request) {
  const formData = await request.formData()
  const parsed = parseForm(loginForm, formData)
  if (!parsed.ok) return data(parsed, { status: 400 })
  let session: Awaited<ReturnType<typeof logIn>>
  try {
    session = await logIn(db, parsed.data, requestOptions(request))
  } catch (error) {
    const result = failure(error, ['email', 'password'] as const, parsed.data)
    if (!result) throw error
    return data({ ok: false as const, ...result }, failureInit(result, 401))
  }
  // A session from before sign-in (another account on this browser) ends; the new one has a new id.
  await logOut(db, readSessionToken(request.headers.get('cookie')))
  return redirect(safeRedirect(formData.get('redirectTo')), { headers: sessionHeaders(session) })
}

/**
 * Sign-up answers the same whether the email was new or already had an account: "your account is ready, log
 * in". Only the real owner's password then works, so the page never tells a stranger which emails exist.
 */
export async function signupAction(request: Request) {
  const formData = await request.formData()
  const parsed = parseForm(signupForm, formData)
  if (!parsed.ok) return data(parsed, { status: 400 })
  try {
    await signUp(db, parsed.data, requestOptions(request))
  } catch (error) {
    const result = failure(error, ['name', 'email', 'password', 'teamName'] as const, parsed.data)
    if (!result) throw error
    return data({ ok: false as const, ...result }, failureInit(result, 400))
  }
  const redirectTo = safeRedirect(formData.get('redirectTo'))
  return redirect(
    `/login?${new URLSearchParams({ signedUp: '1', ...(redirectTo === DEFAULT_REDIRECT ? {} : { redirectTo }) })}`,
  )
}
