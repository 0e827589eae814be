import { jobs, reports, type Db } from '@costwise/db'

/**
 * Each minute: report runs still unfinished a minute after they were created (queued, running, or done with an
 * email never attempted) get their run job again (same job key). Like alert__sweep, this recovers runs whose
 * worker died mid-job — graphile-worker frees a dead worker's lock only after hours — while the generated file
 * and the per-recipient outbox rows make the rerun resume: each email still goes out once.
 */
export async function reportSweep(db: Db, now = new Date(), graceMs = 60_000): Promise<number> {
  const ids = await reports.listUnfinishedRuns(db, new Date(now.getTime() - graceMs))
  for (const runId of ids) {
    await jobs.enqueueJob(db, 'report__run', { runId }, { jobKey: `report__run:${runId}`, maxAttempts: 8 })
  }
  return ids.length
}
