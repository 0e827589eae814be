import { detectSpendAnomalies } from '@costwise/api'
import { teams, type Db } from '@costwise/db'
import { z } from 'zod'

export const payloadSchema = z.object({
  teamId: z.uuid(),
  /** Judge the hour and day that ended before this instant (the cron tick); default now. */
  at: z.iso.datetime().optional(),
})

/** Looks at a team's last complete hour and day for spend anomalies; each anomaly alerts once. */
export async function anomalyDetect(db: Db, rawPayload: unknown): Promise<string[] | null> {
  const payload = payloadSchema.parse(rawPayload)
  const team = await teams.findTeamById(db, payload.teamId)
  if (!team) return null
  return detectSpendAnomalies(db, team, payload.at ? new Date(payload.at) : new Date())
}
