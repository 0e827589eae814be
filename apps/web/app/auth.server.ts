import {
  TEAM_COOKIE,
  clearSessionCookie,
  createCaller,
  createContextFromRequest,
  logOut,
  readSessionToken,
  serializeSessionCookie,
  type Context,
} from '@costwise/api'
import { redirect } from '@remix-run/node'
import { apiConfig } from './api-config.server'
import { db } from './db.server'
import { env } from './env.server'
import type { Me } from './lib/api-types'
import { DEFAULT_REDIRECT, safeRedirect } from './lib/safe-redirect'

export type Caller = ReturnType<typeof createCaller>

/** The signed-in user as the pages see them, and a tRPC caller acting as them in their active team. */
export interface Viewer {
  me: Me
  caller: Caller
}

// Loaders of nested routes run for the same request; resolve the session once per request.
const viewers = new WeakMap<Request, Promise<Viewer | null>>()

export function getViewer(request: Request): Promise<Viewer | null> {
  let pending = viewers.get(request)
  if (!pending) {
    pending = resolveViewer(request)
    viewers.set(request, pending)
  }
  return pending
}

async function resolveViewer(request: Request): Promise<Viewer | null> {
  const ctx = await createContextFromRequest(db, request, apiConfig)
  // Pages are for people; an API key presented to a page does not sign anyone in.
  if (ctx.actor.kind !== 'user') return null
  const me = await createCaller(ctx).me.get()
  // A team cookie left from another account (or a team the user has left) would make every team
  // procedure answer 403; act in the team `me.get` settled on instead.
  const scoped: Context = { ...ctx, teamSlug: me.activeTeam?.slug ?? null }
  return { me, caller: createCaller(scoped) }
}

/** The signed-in user, or a redirect to the login page that comes back here afterwards. */
export async function requireUser(request: Request): Promise<Viewer> {
  const viewer = await getViewer(request)
  if (viewer) return viewer
  const url = new URL(request.url)
  const back = safeRedirect(`${url.pathname}${url.search}`)
  const search = back === DEFAULT_REDIRECT ? '' : `?${new URLSearchParams({ redirectTo: back })}`
  throw redirect(`/login${search}`)
}

const clearTeamCookie = `${TEAM_COOKIE}=; Path=/; SameSite=Lax; Max-Age=0`

/** Headers that start a session, dropping any team chosen under a previous account. */
export function sessionHeaders(session: { token: string; expiresAt: Date }): Headers {
  const headers = new Headers()
  headers.append('Set-Cookie', serializeSessionCookie(session.token, session.expiresAt, { secure: env.COOKIE_SECURE }))
  headers.append('Set-Cookie', clearTeamCookie)
  return headers
}

/** Ends the request's session (if any) and returns headers that clear the cookies. */
export async function endSession(request: Request): Promise<Headers> {
  await logOut(db, readSessionToken(request.headers.get('cookie')))
  const headers = new Headers()
  headers.append('Set-Cookie', clearSessionCookie())
  headers.append('Set-Cookie', clearTeamCookie)
  return headers
}
