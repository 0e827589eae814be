import { z } from 'zod'

// The rules the forms enforce before anything reaches the auth service (which checks them again).
const email = z.string().trim().min(1, 'Enter your email address').max(254).pipe(z.email('Enter a valid email address'))

export const loginForm = z.object({
  email,
  password: z.string().min(1, 'Enter your password').max(256, 'Use at most 256 characters'),
})

export const signupForm = z.object({
  name: z.string().trim().min(1, 'Enter your name').max(200, 'Use at most 200 characters'),
  email,
  password: z.string().min(8, 'Use at least 8 characters').max(256, 'Use at most 256 characters'),
  teamName: z.string().trim().min(1, 'Enter a team name').max(200, 'Use at most 200 characters'),
})

export type LoginFields = keyof z.infer<typeof loginForm>
export type SignupFields = keyof z.infer<typeof signupForm>

export interface FormFailure<F extends string> {
  fieldErrors: Partial<Record<F, string>>
  formError: string | null
  /** What the user typed, minus passwords, to refill the form. */
  values: Partial<Record<F, string>>
  /** Set when too many attempts were made: seconds until the next may be tried. */
  retryAfterSeconds?: number
}

export type FormResult<T extends z.ZodObject> =
  { ok: true; data: z.infer<T> } | ({ ok: false } & FormFailure<Extract<keyof z.infer<T>, string>>)

/** Validates a submitted form; on failure, the first message per field. */
export function parseForm<T extends z.ZodObject>(schema: T, formData: FormData): FormResult<T> {
  type F = Extract<keyof z.infer<T>, string>
  const raw: Record<string, string> = {}
  for (const key of Object.keys(schema.shape)) {
    const value = formData.get(key)
    raw[key] = typeof value === 'string' ? value : ''
  }
  const result = schema.safeParse(raw)
  if (result.success) return { ok: true, data: result.data }
  const fieldErrors: Partial<Record<F, string>> = {}
  for (const issue of result.error.issues) {
    const field = issue.path[0] as F | undefined
    if (field && !fieldErrors[field]) fieldErrors[field] = issue.message
  }
  return { ok: false, fieldErrors, formError: null, values: keptValues<F>(raw) }
}

export function keptValues<F extends string>(raw: Record<string, unknown>): Partial<Record<F, string>> {
  const values: Partial<Record<F, string>> = {}
  for (const [key, value] of Object.entries(raw)) {
    if (key !== 'password' && typeof value === 'string') values[key as F] = value
  }
  return values
}
