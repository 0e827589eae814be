import { refreshRecommendations } from '@costwise/api'
import { teams, type Db } from '@costwise/db'
import { z } from 'zod'

export const payloadSchema = z.object({ teamId: z.uuid() })

/** Recomputes one team's recommendations and prompt scores from its last 30 days. Idempotent. */
export async function recommendationRefreshTeam(db: Db, rawPayload: unknown) {
  const { teamId } = payloadSchema.parse(rawPayload)
  const team = await teams.findTeamById(db, teamId)
  if (!team) return null // the team was deleted since the job was queued
  return refreshRecommendations(db, team)
}
