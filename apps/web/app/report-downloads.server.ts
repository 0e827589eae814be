import { handleReportRunDownload } from '@costwise/api'
import { redirect } from '@remix-run/node'
import { apiConfig } from './api-config.server'
import { artefacts } from './artefacts.server'
import { db } from './db.server'
import { DEFAULT_REDIRECT, safeRedirect } from './lib/safe-redirect'

/**
 * A finished report run's file as an attachment, for the caller's own team (a session or an API key with
 * `usage:read`; one shared resolver, see @costwise/api `resolveRouteAccess`). A visitor who isn't signed in is
 * sent to the login page and back.
 */
export async function downloadRunArtefact(request: Request, runId: string): Promise<Response> {
  const response = await handleReportRunDownload(db, artefacts, request, runId, apiConfig)
  if (response.status === 401 && !request.headers.has('authorization')) {
    const url = new URL(request.url)
    const back = safeRedirect(`${url.pathname}${url.search}`)
    throw redirect(back === DEFAULT_REDIRECT ? '/login' : `/login?${new URLSearchParams({ redirectTo: back })}`)
  }
  return response
}
