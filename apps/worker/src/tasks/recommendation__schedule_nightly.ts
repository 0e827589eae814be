import { jobs, teams, type Db } from '@costwise/db'
import { z } from 'zod'

export const payloadSchema = z.object({ _cron: z.object({ ts: z.string() }).optional() }).passthrough()

/** Queues a recommendation refresh for every team (one job each, so one slow team holds up nobody). */
export async function recommendationScheduleNightly(db: Db, rawPayload: unknown): Promise<number> {
  payloadSchema.parse(rawPayload ?? {})
  let queued = 0
  for (const team of await teams.listTeams(db)) {
    await jobs.enqueueJob(
      db,
      'recommendation__refresh_team',
      { teamId: team.id },
      { jobKey: `recommendation__refresh_team:${team.id}`, maxAttempts: 5 },
    )
    queued++
  }
  return queued
}
