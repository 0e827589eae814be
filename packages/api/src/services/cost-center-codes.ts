import { costCenters, type Db } from '@costwise/db'
import { cached, invalidate } from '../cache'

const key = (teamId: string) => `cost-centers:${teamId}`

/**
 * A team's cost centres by code, for the ingest path: cached 30 s, and read again when an event names a code
 * the cached list lacks (so a centre created a moment ago is accepted at once).
 */
export async function costCentersByCode(
  db: Db,
  teamId: string,
  codes: string[],
): Promise<Map<string, { id: string; archived: boolean }>> {
  if (codes.length === 0) return new Map()
  const list = await cached(key(teamId), 30_000, () => costCenters.costCentersByCode(db, teamId))
  if (codes.every((c) => list.has(c))) return list
  await invalidate(key(teamId))
  return cached(key(teamId), 30_000, () => costCenters.costCentersByCode(db, teamId))
}

/** Drops the cached list after a change (this process; others notice within 30 s or on a miss). */
export function forgetCostCenters(teamId: string): Promise<void> {
  return invalidate(key(teamId))
}
