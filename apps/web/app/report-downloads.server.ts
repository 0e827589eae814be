import { createContextFromRequest, resolveTeamScope, runArtefact } from '@costwise/api'
import { AppError } from '@costwise/core'
import { TRPCError } from '@trpc/server'
import { artefacts } from './artefacts.server'
import { requireUser } from './auth.server'
import { db } from './db.server'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A finished report run's file as an attachment, for any member of the run's team. */
export async function downloadRunArtefact(request: Request, runId: string): Promise<Response> {
  // Signs the visitor in first (redirecting to the login page), and acts in the team the pages use.
  const { me } = await requireUser(request)
  if (!UUID.test(runId)) return new Response('No report run with this id.', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } })
  const ctx = await createContextFromRequest(db, request)
  try {
    const team = await resolveTeamScope({ ...ctx, teamSlug: me.activeTeam?.slug ?? null }, 'viewer')
    const file = await runArtefact(db, artefacts, team, runId)
    return new Response(new Uint8Array(file.bytes), {
      headers: {
        'content-type': file.contentType,
        'content-length': String(file.bytes.length),
        'content-disposition': `attachment; filename="${file.filename.replace(/["\\\r\n]/g, '_')}"`,
        'cache-control': 'private, no-store',
      },
    })
  } catch (error) {
    if (error instanceof AppError) return new Response(error.message, { status: error.status, headers: { 'content-type': 'text/plain; charset=utf-8' } })
    if (error instanceof TRPCError && (error.code === 'FORBIDDEN' || error.code === 'NOT_FOUND')) {
      return new Response(error.message, { status: error.code === 'FORBIDDEN' ? 403 : 404, headers: { 'content-type': 'text/plain; charset=utf-8' } })
    }
    throw error
  }
}
