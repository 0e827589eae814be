import { rateLimits, type Db } from '@costwise/db'

/** Drops rate-limit counters (sign-in throttling, per-key limits) whose window has ended. */
export async function rateLimitSweep(db: Db, now = new Date()): Promise<number> {
  return rateLimits.deleteExpired(db, now)
}
