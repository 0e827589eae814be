import { repriceUnpriced, type RepriceResult } from '@costwise/api'
import { teams, type Db } from '@costwise/db'
import { z } from 'zod'

export const payloadSchema = z.object({ teamId: z.uuid() })

/**
 * Prices a team's unpriced usage rows with its prices as they are now (queued from the prices page after an admin
 * adds a price for a model it had none for): the same exact re-pricing as `costwise usage reprice`, which also
 * restates the rollups and budgets it touches. Idempotent: rows priced already are left alone.
 */
export async function usageRepriceUnpriced(db: Db, rawPayload: unknown): Promise<RepriceResult | null> {
  const { teamId } = payloadSchema.parse(rawPayload)
  if (!(await teams.findTeamById(db, teamId))) return null // the team was deleted since
  return repriceUnpriced(db, { teamId })
}
