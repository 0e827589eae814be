import { queueDueReports } from '@costwise/api'
import type { Db } from '@costwise/db'

/** Each minute: schedules that are due become queued runs (see report__run). */
export function reportQueueDue(db: Db): Promise<string[]> {
  return queueDueReports(db, new Date())
}
