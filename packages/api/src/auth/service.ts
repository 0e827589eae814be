import { AppError, appErrorFromZod } from '@costwise/core'
import { teams, users, sessions, type Db } from '@costwise/db'
import { z } from 'zod'
import { hashPassword, newSecret, sha256, verifyPassword } from './secrets'
import {
  DEFAULT_LOGIN_THROTTLE,
  assertLoginAllowed,
  clearLoginFailures,
  consumeSignUp,
  recordLoginFailure,
  type LoginThrottleConfig,
} from './throttle'

/** Where a sign-in or sign-up comes from, and the throttle to apply (tests pass their own clock). */
export interface AuthRequestOptions {
  userAgent?: string | null
  ip?: string | null
  throttle?: LoginThrottleConfig
  now?: Date
}

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000

export const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email('Enter a valid email address'))
export const passwordSchema = z.string().min(8, 'Use at least 8 characters').max(256, 'Use at most 256 characters')
export const signUpInput = z.object({
  email: emailSchema,
  password: passwordSchema,
  name: z.string().trim().min(1, 'Enter your name').max(200),
  teamName: z.string().trim().min(1, 'Enter a team name').max(200),
})
export const logInInput = z.object({ email: emailSchema, password: z.string().min(1, 'Enter your password').max(256) })

export interface IssuedSession {
  userId: string
  token: string
  expiresAt: Date
}

function parse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input)
  if (!result.success) throw appErrorFromZod('BAD_INPUT', result.error)
  return result.data
}

/** A slug from a team name, made unique with a short suffix when taken. */
export async function availableSlug(db: Db, name: string): Promise<string> {
  const base =
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'team'
  const padded = base.length < 3 ? `${base}-team` : base
  if (!(await teams.findTeamBySlug(db, padded))) return padded
  for (let i = 0; i < 20; i++) {
    const candidate = `${padded}-${newSecret(3)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')}`.slice(0, 50)
    if (/^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$/.test(candidate) && !(await teams.findTeamBySlug(db, candidate))) {
      return candidate
    }
  }
  throw new AppError('CONFLICT', 'Could not find a free team slug; try another team name.')
}

export async function issueSession(db: Db, userId: string, userAgent?: string | null): Promise<IssuedSession> {
  const token = newSecret()
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS)
  await sessions.insertSession(db, { userId, tokenHash: sha256(token), expiresAt, userAgent })
  return { userId, token, expiresAt }
}

export type SignUpResult = { created: true; userId: string } | { created: false }

/**
 * Creates a user and their own team (as owner), in one transaction. An email that already has an account
 * creates nothing, and the caller answers exactly as for a new account ("account ready: log in"), so sign-up
 * never tells a stranger which emails have accounts. The password is hashed either way, so timing agrees too.
 * Sign-ups are throttled per client address (each costs a memory-hard hash).
 */
export async function signUp(db: Db, input: unknown, options: AuthRequestOptions = {}): Promise<SignUpResult> {
  const data = parse(signUpInput, input)
  await consumeSignUp(db, options.ip ?? null, options.throttle ?? DEFAULT_LOGIN_THROTTLE, options.now ?? new Date())
  const passwordHash = await hashPassword(data.password)
  if (await users.findUserByEmail(db, data.email)) return { created: false }
  const slug = await availableSlug(db, data.teamName)
  try {
    const userId = await db.transaction().execute(async (trx) => {
      const user = await users.insertUser(trx, { email: data.email, name: data.name, passwordHash })
      const team = await teams.insertTeam(trx, { slug, name: data.teamName })
      await teams.upsertMember(trx, team.id, user.id, 'owner')
      return user.id
    })
    return { created: true, userId }
  } catch (error) {
    // Two sign-ups for the same email at once: the second is the "already has an account" case.
    if (
      (error as { code?: string }).code === '23505' &&
      (error as { constraint?: string }).constraint === 'users_email_key'
    )
      return { created: false }
    throw error
  }
}

/**
 * Checks an email and password and starts a new session (a new id: a session from before sign-in is never
 * reused). Failed attempts are counted per account and per address (shared across processes); past the limit
 * the answer is RATE_LIMITED with the seconds to wait. An unknown email and a wrong password get the same answer.
 */
export async function logIn(db: Db, input: unknown, options: AuthRequestOptions = {}): Promise<IssuedSession> {
  const data = parse(logInInput, input)
  const throttle = options.throttle ?? DEFAULT_LOGIN_THROTTLE
  const now = options.now ?? new Date()
  const who = { email: data.email, ip: options.ip ?? null }
  await assertLoginAllowed(db, who, throttle, now)
  const found = await users.findUserCredentials(db, data.email)
  // Verify against a dummy hash when the user is unknown, so timing doesn't reveal which emails exist.
  const ok = await verifyPassword(found?.password_hash ?? DUMMY_HASH, data.password)
  if (!found || !ok) {
    await recordLoginFailure(db, who, throttle, now)
    throw new AppError('INVALID_CREDENTIALS', 'Email or password is incorrect.')
  }
  await clearLoginFailures(db, data.email)
  return issueSession(db, found.id, options.userAgent)
}

export async function logOut(db: Db, token: string | null | undefined): Promise<void> {
  if (token) await sessions.deleteSessionByHash(db, sha256(token))
}

export interface SessionUser {
  sessionId: string
  user: users.UserRecord
  memberships: teams.Membership[]
}

export async function resolveSession(db: Db, token: string | null | undefined): Promise<SessionUser | null> {
  if (!token) return null
  const session = await sessions.findLiveSession(db, sha256(token))
  if (!session) return null
  const [user, memberships] = await Promise.all([
    users.findUserById(db, session.user_id),
    teams.listMemberships(db, session.user_id),
  ])
  if (!user) return null
  if (Date.now() - session.last_seen_at.getTime() > 5 * 60_000) await sessions.touchSession(db, session.id)
  return { sessionId: session.id, user, memberships }
}

const DUMMY_HASH = await hashPassword(newSecret())
