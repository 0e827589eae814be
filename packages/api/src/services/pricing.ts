import type { PricingContext } from '@costwise/core'
import { prices, type Db } from '@costwise/db'
import { cached, invalidate } from '../cache'

const TTL_MS = 30_000

/**
 * Everything beyond the catalogue that decides what a team pays — its custom prices, discounts and model-name
 * mappings, and the imported list prices every team shares — cached for 30 s (read on every tracked call).
 */
export async function teamPricing(db: Db, teamId: string): Promise<PricingContext> {
  const [overrides, discounts, mappingRows, imported] = await Promise.all([
    cached(`prices:${teamId}`, TTL_MS, () => prices.listTeamPriceOverrides(db, teamId)),
    cached(`discounts:${teamId}`, TTL_MS, () => prices.listTeamDiscounts(db, teamId)),
    cached(`mappings:${teamId}`, TTL_MS, () => prices.listTeamMappings(db, teamId)),
    cached('prices:imported', TTL_MS, () => prices.listImportedPrices(db)),
  ])
  return { overrides, discounts, imported, mappings: mappingsRecord(mappingRows) }
}

// One record per cached array, so repeated calls share it (and core's per-object validation cache).
const records = new WeakMap<object, Record<string, string>>()
function mappingsRecord(rows: { name: string; model: string }[]): Record<string, string> {
  let record = records.get(rows)
  if (!record) {
    record = Object.fromEntries(rows.map((r) => [r.name, r.model]))
    records.set(rows, record)
  }
  return record
}

/** The same, read fresh from the database (re-pricing history must not use a cache). */
export async function loadTeamPricing(db: Db, teamId: string): Promise<PricingContext> {
  const [overrides, discounts, mappingRows, imported] = await Promise.all([
    prices.listTeamPriceOverrides(db, teamId),
    prices.listTeamDiscounts(db, teamId),
    prices.listTeamMappings(db, teamId),
    prices.listImportedPrices(db),
  ])
  return { overrides, discounts, imported, mappings: mappingsRecord(mappingRows) }
}

/** Drops the cached pricing of a team (after it changes its prices), or the shared imported prices. */
export async function invalidateTeamPricing(teamId: string | null): Promise<void> {
  if (teamId === null) {
    await invalidate('prices:imported')
    return
  }
  await Promise.all([
    invalidate(`prices:${teamId}`),
    invalidate(`discounts:${teamId}`),
    invalidate(`mappings:${teamId}`),
  ])
}
