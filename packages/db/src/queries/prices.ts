import type { Db } from '../client'

type Executor = Pick<Db, 'selectFrom' | 'insertInto' | 'updateTable' | 'deleteFrom'>

/** A team's custom prices, in the shape @costwise/core's pricing takes (PriceOverride). */
export async function listTeamPriceOverrides(db: Executor, teamId: string) {
  const rows = await db
    .selectFrom('model_prices')
    .selectAll()
    .where('team_id', '=', teamId)
    .orderBy('effective_from')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    model: r.model,
    effectiveFrom: r.effective_from,
    inputPerMTok: r.input_per_mtok,
    outputPerMTok: r.output_per_mtok,
    cachedInputPerMTok: r.cached_input_per_mtok,
    cacheWritePerMTok: r.cache_write_per_mtok,
    reasoningPerMTok: r.reasoning_per_mtok,
    batchDiscountPct: r.batch_discount_pct,
    tiers: r.tiers,
    sourceUrl: r.source_url,
  }))
}

export async function insertTeamPrice(
  db: Executor,
  input: {
    teamId: string
    model: string
    provider: string
    effectiveFrom: string
    inputPerMTok: string
    outputPerMTok: string
    cachedInputPerMTok?: string | null
    cacheWritePerMTok?: string | null
    reasoningPerMTok?: string | null
    sourceUrl?: string | null
  },
) {
  return db
    .insertInto('model_prices')
    .values({
      team_id: input.teamId,
      model: input.model,
      provider: input.provider,
      effective_from: input.effectiveFrom,
      input_per_mtok: input.inputPerMTok,
      output_per_mtok: input.outputPerMTok,
      cached_input_per_mtok: input.cachedInputPerMTok ?? null,
      cache_write_per_mtok: input.cacheWritePerMTok ?? null,
      reasoning_per_mtok: input.reasoningPerMTok ?? null,
      source_url: input.sourceUrl ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
}
