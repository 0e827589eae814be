import { z } from 'zod'
import { splitProportionally } from '../money'

/**
 * Cost allocation (chargeback): which cost centre pays for a piece of usage. One rule, used by `stats` grouped
 * by cost centre and by the monthly allocation report, so the two always agree:
 *
 * 1. the cost centre the event named (`costCenter` in track) — it overrides everything;
 * 2. else the prompt's cost centre;
 * 3. else the API key's: one centre, or split by percentage across several;
 * 4. else the member's cost centre;
 * 5. else "unallocated" — its own line, so nothing is dropped.
 *
 * A key's split is applied to the key's total per measure with {@link splitProportionally}, so the lines add up
 * to the team total exactly (to the nano-dollar, the token and the run).
 */

/** A cost centre's code: what events name in `costCenter`. Lowercase letters, digits, `.`, `_` and `-`. */
export const costCenterCodeSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,62}$/,
    'must be 1–63 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit',
  )

/** Basis points in a whole (100 %). */
export const WHOLE_BP = 10_000

/**
 * A percentage with at most two decimals (e.g. 33.33) as basis points (3333). Null when it has more decimals,
 * or is not within (0, 100].
 */
export function percentToBasisPoints(percent: number): number | null {
  if (!Number.isFinite(percent)) return null
  const bp = Math.round(percent * 100)
  if (Math.abs(bp - percent * 100) > 1e-6 || bp < 1 || bp > WHOLE_BP) return null
  return bp
}

export interface CostCenterAssignments {
  /** Cost centres that exist (archived ones too: history still allocates to them). */
  centers: ReadonlySet<string>
  promptCenter: ReadonlyMap<string, string>
  /** A key's split: centre id → basis points (summing to 10000). */
  keyShares: ReadonlyMap<string, readonly { costCenterId: string; shareBp: number }[]>
  userCenter: ReadonlyMap<string, string>
}

/** Who and what a piece of usage was for (the rollups keep these dimensions). */
export interface AllocationKey {
  costCenterId: string | null
  promptId: string | null
  apiKeyId: string | null
  userId: string | null
}

export type Allocation =
  { kind: 'center'; costCenterId: string } | { kind: 'split'; apiKeyId: string } | { kind: 'unallocated' }

/** Where one piece of usage goes, by the rule above. */
export function resolveAllocation(row: AllocationKey, a: CostCenterAssignments): Allocation {
  if (row.costCenterId && a.centers.has(row.costCenterId)) return { kind: 'center', costCenterId: row.costCenterId }
  const byPrompt = row.promptId ? a.promptCenter.get(row.promptId) : undefined
  if (byPrompt) return { kind: 'center', costCenterId: byPrompt }
  const shares = row.apiKeyId ? a.keyShares.get(row.apiKeyId) : undefined
  if (shares?.length)
    return shares.length === 1
      ? { kind: 'center', costCenterId: shares[0]!.costCenterId }
      : { kind: 'split', apiKeyId: row.apiKeyId! }
  const byUser = row.userId ? a.userCenter.get(row.userId) : undefined
  if (byUser) return { kind: 'center', costCenterId: byUser }
  return { kind: 'unallocated' }
}

/** Integer measures of usage (nano-dollars, tokens, runs…), by name. */
export type Measures<K extends string> = Record<K, bigint>

function addInto<K extends string>(target: Measures<K>, source: Measures<K>, keys: readonly K[]): void {
  for (const k of keys) target[k] += source[k]
}

/**
 * Allocates usage rows (any grouping that keeps the allocation dimensions) to cost centres: a map from the
 * centre's id (null: unallocated) to the summed measures. The values sum to the rows' totals exactly.
 */
export function allocateToCostCenters<K extends string>(
  rows: Iterable<AllocationKey & { measures: Measures<K> }>,
  assignments: CostCenterAssignments,
  keys: readonly K[],
): Map<string | null, Measures<K>> {
  const zero = () => Object.fromEntries(keys.map((k) => [k, 0n])) as Measures<K>
  const lines = new Map<string | null, Measures<K>>()
  const line = (id: string | null) => {
    let m = lines.get(id)
    if (!m) lines.set(id, (m = zero()))
    return m
  }
  const splitKeys = new Map<string, Measures<K>>()
  for (const row of rows) {
    const where = resolveAllocation(row, assignments)
    if (where.kind === 'center') addInto(line(where.costCenterId), row.measures, keys)
    else if (where.kind === 'unallocated') addInto(line(null), row.measures, keys)
    else {
      let m = splitKeys.get(where.apiKeyId)
      if (!m) splitKeys.set(where.apiKeyId, (m = zero()))
      addInto(m, row.measures, keys)
    }
  }
  // Each shared key's totals are split once, in a fixed order (by centre id), so the result is deterministic.
  for (const [apiKeyId, totals] of [...splitKeys].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const shares = [...assignments.keyShares.get(apiKeyId)!].sort((a, b) => (a.costCenterId < b.costCenterId ? -1 : 1))
    const weights = shares.map((s) => BigInt(s.shareBp))
    for (const k of keys) {
      const parts = splitProportionally(totals[k], weights)
      shares.forEach((s, i) => {
        line(s.costCenterId)[k] += parts[i]!
      })
    }
  }
  return lines
}
