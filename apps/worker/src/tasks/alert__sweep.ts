import { alerts, jobs, type Db } from '@costwise/db'

/**
 * Each minute: alerts still not notified a minute after they were created get their notification job again
 * (same job key). This recovers notifications whose worker died mid-job — graphile-worker only frees a dead
 * worker's lock after hours — while the per-recipient outbox rows keep each email from going out twice.
 */
export async function alertSweep(db: Db, now = new Date(), graceMs = 60_000): Promise<number> {
  const ids = await alerts.listUnnotifiedAlerts(db, new Date(now.getTime() - graceMs))
  for (const alertId of ids) {
    await jobs.enqueueJob(db, 'alert__notify', { alertId }, { jobKey: `alert__notify:${alertId}`, maxAttempts: 10 })
  }
  return ids.length
}
