import {
  acceptInviteWithNewAccount,
  CLIENT_IP_HEADER,
  inviteInfo,
  serializeSessionCookie,
  serializeTeamCookie,
} from '@costwise/api'
import { redirect } from '@remix-run/node'
import { getViewer } from './auth.server'
import { db } from './db.server'
import { env } from './env.server'
import { refusal, type ActionResult } from './lib/action-result.server'
import { formString } from './lib/form-data'

/** Where an invitation link lands: what it is for, and who (if anyone) is signed in on this browser. */
export async function loadInvitePage(request: Request, token: string) {
  const [info, viewer] = await Promise.all([inviteInfo(db, token), getViewer(request)])
  return { info, signedInAs: viewer?.me.user.email ?? null, path: new URL(request.url).pathname }
}

/** Opens the team just joined: its cookie makes it the active team. */
function intoTeam(teamSlug: string, headers = new Headers()) {
  headers.append('Set-Cookie', serializeTeamCookie(teamSlug))
  return redirect('/dashboard/usage', { headers })
}

/**
 * Accepts as the signed-in person (the invitation must name their address), or — with no account for the
 * address — creates the account, joins and signs in at once.
 */
export async function inviteAction(request: Request, token: string): Promise<ActionResult | Response> {
  const form = await request.formData()
  const intent = formString(form, 'intent')
  try {
    if (intent === 'accept') {
      const viewer = await getViewer(request)
      if (!viewer) return { ok: false, intent, field: null, message: 'Log in first, then accept the invitation.' }
      const joined = await viewer.caller.me.acceptInvite({ token })
      return intoTeam(joined.teamSlug)
    }
    if (intent === 'create') {
      const { session, teamSlug } = await acceptInviteWithNewAccount(
        db,
        { token, name: formString(form, 'name'), password: formString(form, 'password') },
        { ip: request.headers.get(CLIENT_IP_HEADER), userAgent: request.headers.get('user-agent') },
      )
      const headers = new Headers()
      headers.append(
        'Set-Cookie',
        serializeSessionCookie(session.token, session.expiresAt, { secure: env.COOKIE_SECURE }),
      )
      return intoTeam(teamSlug, headers)
    }
    return { ok: false, intent, field: null, message: 'Unknown action.' }
  } catch (error) {
    return refusal(error, intent)
  }
}
