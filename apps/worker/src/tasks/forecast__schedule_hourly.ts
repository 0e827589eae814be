import { jobs, teams, type Db } from '@costwise/db'
import { z } from 'zod'

export const payloadSchema = z.object({ _cron: z.object({ ts: z.string() }).optional() }).passthrough()

/** Every hour: queues a forecast check and an anomaly scan for every team. */
export async function forecastScheduleHourly(db: Db, rawPayload: unknown): Promise<number> {
  const payload = payloadSchema.parse(rawPayload ?? {})
  const at = payload._cron?.ts ?? new Date().toISOString()
  let queued = 0
  for (const team of await teams.listTeams(db)) {
    await jobs.enqueueJob(
      db,
      'forecast__check_team',
      { teamId: team.id, at },
      { jobKey: `forecast__check_team:${team.id}`, maxAttempts: 5 },
    )
    await jobs.enqueueJob(
      db,
      'anomaly__detect',
      { teamId: team.id, at },
      { jobKey: `anomaly__detect:${team.id}`, maxAttempts: 5 },
    )
    queued += 2
  }
  return queued
}
