import { alerts, jobs, type Db } from '@costwise/db'

/**
 * Each minute: alerts still not notified `graceMs` after they were created (the worker passes the digest window and
 * a minute more) get their notification job again
 * (keyed per team, so they merge into one digest again). This recovers notifications whose worker died mid-job — graphile-worker only frees a dead
 * worker's lock after hours — while the per-recipient outbox rows keep each email from going out twice.
 */
export async function alertSweep(db: Db, now = new Date(), graceMs = 60_000): Promise<number> {
  const stale = await alerts.listUnnotifiedAlerts(db, new Date(now.getTime() - graceMs))
  // One transaction: a team's alerts merge into one job again, so a digest is rebuilt from the same alerts.
  await db.transaction().execute(async (trx) => {
    for (const a of stale) await jobs.enqueueAlertNotify(trx, { teamId: a.teamId, alertId: a.id })
  })
  return stale.length
}
