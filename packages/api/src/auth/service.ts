import { AppError, appErrorFromZod } from '@costwise/core'
import { teams, users, sessions, type Db } from '@costwise/db'
import { z } from 'zod'
import { hashPassword, newSecret, sha256, verifyPassword } from './secrets'

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000

export const emailSchema = z.string().trim().toLowerCase().email('Enter a valid email address').max(254)
export const passwordSchema = z
  .string()
  .min(8, 'Use at least 8 characters')
  .max(256, 'Use at most 256 characters')
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
    const candidate = `${padded}-${newSecret(3).toLowerCase().replace(/[^a-z0-9]/g, '')}`.slice(0, 50)
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

/** Creates a user, their own team (as owner) and a session, in one transaction. */
export async function signUp(db: Db, input: unknown, userAgent?: string | null): Promise<IssuedSession> {
  const data = parse(signUpInput, input)
  if (await users.findUserByEmail(db, data.email)) {
    throw new AppError('CONFLICT', 'An account with this email already exists. Log in instead.', { field: 'email' })
  }
  const passwordHash = await hashPassword(data.password)
  const slug = await availableSlug(db, data.teamName)
  const userId = await db.transaction().execute(async (trx) => {
    const user = await users.insertUser(trx, { email: data.email, name: data.name, passwordHash })
    const team = await teams.insertTeam(trx, { slug, name: data.teamName })
    await teams.upsertMember(trx, team.id, user.id, 'owner')
    return user.id
  })
  return issueSession(db, userId, userAgent)
}

export async function logIn(db: Db, input: unknown, userAgent?: string | null): Promise<IssuedSession> {
  const data = parse(logInInput, input)
  const found = await users.findUserCredentials(db, data.email)
  // Verify against a dummy hash when the user is unknown, so timing doesn't reveal which emails exist.
  const ok = await verifyPassword(found?.password_hash ?? DUMMY_HASH, data.password)
  if (!found || !ok) throw new AppError('INVALID_CREDENTIALS', 'Email or password is incorrect.')
  return issueSession(db, found.id, userAgent)
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
