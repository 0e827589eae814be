import { ensureUsagePartitions, type Db } from '@costwise/db'

/** Keeps the usage log's month partitions three months ahead. */
export async function partitionEnsureMonths(db: Db): Promise<string[]> {
  return ensureUsagePartitions(db, new Date(), 0, 3)
}
