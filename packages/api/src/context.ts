import type { Db } from '@costwise/db'
import type { apiKeys } from '@costwise/db'
import { authenticateApiKey, bearerToken } from './auth/api-keys'
import { readCookie, readSessionToken, TEAM_COOKIE } from './auth/cookies'
import { resolveSession, type SessionUser } from './auth/service'
import { DEFAULT_API_CONFIG, type ApiConfig } from './config'

export type Actor =
  { kind: 'user'; session: SessionUser } | { kind: 'apiKey'; key: apiKeys.ApiKeyRecord } | { kind: 'anonymous' }

export interface Context {
  db: Db
  actor: Actor
  /** The team a signed-in user is working in (cookie or header); keys always act for their own team. */
  teamSlug: string | null
  /**
   * True when the team was named explicitly (the `x-costwise-team` header or a server-side caller): a team the
   * user isn't in is then refused. A remembered cookie for a team they left falls back to their first team.
   */
  teamSlugExplicit: boolean
  /** Client address, for rate limits and logs. */
  ip: string | null
  /** The settings the app started with (rate limit, model provider, webhook policy). */
  config: ApiConfig
}

export async function createContext(input: {
  db: Db
  sessionToken?: string | null
  apiKey?: string | null
  teamSlug?: string | null
  teamSlugExplicit?: boolean
  ip?: string | null
  config?: ApiConfig
}): Promise<Context> {
  const { db } = input
  let actor: Actor = { kind: 'anonymous' }
  if (input.apiKey) {
    const key = await authenticateApiKey(db, input.apiKey)
    // A presented but unknown key is not silently anonymous: procedures see `invalidKey` and answer 401.
    actor = key ? { kind: 'apiKey', key } : { kind: 'anonymous' }
  } else if (input.sessionToken) {
    const session = await resolveSession(db, input.sessionToken)
    if (session) actor = { kind: 'user', session }
  }
  return {
    db,
    actor,
    teamSlug: input.teamSlug ?? null,
    teamSlugExplicit: input.teamSlugExplicit ?? input.teamSlug != null,
    ip: input.ip ?? null,
    config: input.config ?? DEFAULT_API_CONFIG,
  }
}

/**
 * The client's address as the web server saw it (the socket, or X-Forwarded-For from a trusted proxy). The
 * server sets this header on every request and overwrites any value a client sent, so it can be trusted.
 */
export const CLIENT_IP_HEADER = 'x-costwise-client-ip'

/** Context from an HTTP request: `Authorization: Bearer <key>`, else the session cookie. */
export function createContextFromRequest(
  db: Db,
  request: Request,
  config: ApiConfig = DEFAULT_API_CONFIG,
): Promise<Context> {
  return createContextFromHeaders(db, (name) => request.headers.get(name), config)
}

/** The same from any request's headers (`header` answers a lower-case name with its value, or null). */
export function createContextFromHeaders(
  db: Db,
  header: (name: string) => string | null,
  config: ApiConfig = DEFAULT_API_CONFIG,
): Promise<Context> {
  const cookie = header('cookie')
  const team = header('x-costwise-team')
  return createContext({
    db,
    apiKey: bearerToken(header('authorization')),
    sessionToken: readSessionToken(cookie),
    teamSlug: team ?? readCookie(cookie, TEAM_COOKIE),
    teamSlugExplicit: team !== null,
    ip: header(CLIENT_IP_HEADER)?.trim() || null,
    config,
  })
}
