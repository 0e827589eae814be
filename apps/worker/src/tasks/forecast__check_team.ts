import { checkForecastAlerts } from '@costwise/api'
import { teams, type Db } from '@costwise/db'
import { z } from 'zod'

export const payloadSchema = z.object({
  teamId: z.uuid(),
  /** When the check was due (the cron tick); default now. */
  at: z.iso.datetime().optional(),
})

/** Projects each active budget to its period end; a budget forecast to run out early gets one alert per period. */
export async function forecastCheckTeam(db: Db, rawPayload: unknown): Promise<string[] | null> {
  const payload = payloadSchema.parse(rawPayload)
  const team = await teams.findTeamById(db, payload.teamId)
  if (!team) return null
  return checkForecastAlerts(db, team, payload.at ? new Date(payload.at) : new Date())
}
