import { isoDaySchema, rangeInstants } from '@costwise/core'
import { teams, usage, type Db } from '@costwise/db'
import { z } from 'zod'

export const payloadSchema = z.object({
  teamId: z.uuid(),
  /** A calendar day in the team's time zone, YYYY-MM-DD. */
  day: isoDaySchema,
})
export type RollupRebuildDayPayload = z.infer<typeof payloadSchema>

/**
 * Recomputes one team's daily rollup for one local day from the raw usage rows. Idempotent: running it
 * twice leaves the same rows, so it serves both catch-up and verification.
 */
export async function rollupRebuildDay(db: Db, rawPayload: unknown): Promise<{ rows: number } | null> {
  const payload = payloadSchema.parse(rawPayload)
  const team = await teams.findTeamById(db, payload.teamId)
  if (!team) return null // the team was deleted since the job was queued: nothing to do
  const { start, end } = rangeInstants({ from: payload.day, to: payload.day }, team.timeZone)
  const rows = await usage.rebuildRollups(db, { teamId: team.id, timeZone: team.timeZone, start, end })
  return { rows }
}
