import { data } from '@remix-run/node'
import { TRPCError } from '@trpc/server'
import { requireUser } from './auth.server'

/** The team settings page: the team as it is, whether the viewer may change it, and the zones to choose from. */
export async function loadTeamSettings(request: Request) {
  const { caller } = await requireUser(request)
  const { team } = await caller.teams.current()
  return {
    team,
    canEdit: team.role === 'owner' || team.role === 'admin',
    timeZones: Intl.supportedValuesOf('timeZone'),
  }
}

export type TeamSettingsResult = { ok: true } | { ok: false; field: string; message: string }

/** Saves name, time zone, clock and retention through teams.update (admins; audited). */
export async function teamSettingsAction(request: Request) {
  const { caller } = await requireUser(request)
  const form = await request.formData()
  const text = (name: string) => String(form.get(name) ?? '').trim()
  const retention = text('retentionMonths')
  try {
    await caller.teams.update({
      name: text('name'),
      timeZone: text('timeZone'),
      hourCycle: text('hourCycle') === 'h23' ? 'h23' : 'h12',
      retentionMonths: retention === '' ? undefined : Number(retention),
    })
    return data<TeamSettingsResult>({ ok: true })
  } catch (error) {
    if (error instanceof TRPCError && error.code !== 'INTERNAL_SERVER_ERROR') {
      const cause = error.cause as { field?: string; issues?: { path: (string | number)[] }[] } | undefined
      const field = cause?.field ?? String(cause?.issues?.[0]?.path[0] ?? '')
      return data<TeamSettingsResult>(
        { ok: false, field, message: error.message },
        { status: error.code === 'FORBIDDEN' ? 403 : 400 },
      )
    }
    throw error
  }
}
