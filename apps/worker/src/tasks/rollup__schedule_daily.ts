import { teams, jobs, type Db } from '@costwise/db'
import { addDays, localDayOf } from '@costwise/core'
import { z } from 'zod'

export const payloadSchema = z
  .object({
    /** graphile-worker's cron adds this: when the run was due. */
    _cron: z.object({ ts: z.string() }).optional(),
  })
  .loose()

/** Queues a rebuild of yesterday and today (in each team's time zone) for every team. */
export async function rollupScheduleDaily(db: Db, rawPayload: unknown): Promise<number> {
  const payload = payloadSchema.parse(rawPayload ?? {})
  const at = payload._cron ? new Date(payload._cron.ts) : new Date()
  let queued = 0
  for (const team of await teams.listTeams(db)) {
    const today = localDayOf(team.timeZone, at)
    for (const iso of [addDays(today, -1), today]) {
      await jobs.enqueueJob(
        db,
        'rollup__rebuild_day',
        { teamId: team.id, day: iso },
        {
          jobKey: `rollup__rebuild_day:${team.id}:${iso}`,
          maxAttempts: 10,
        },
      )
      queued++
    }
  }
  return queued
}
