import { sql } from 'kysely'
import type { Db } from '../client'

type Executor = Pick<Db, 'selectFrom' | 'insertInto' | 'updateTable' | 'deleteFrom'>

type PriceRow = {
  id: string
  model: string
  provider: string
  effective_from: string
  effective_to: string | null
  input_per_mtok: string
  output_per_mtok: string
  cached_input_per_mtok: string | null
  cache_write_per_mtok: string | null
  reasoning_per_mtok: string | null
  audio_input_per_mtok: string | null
  image_input_per_mtok: string | null
  batch_discount_pct: string | null
  tiers: unknown
  service_tiers: Record<string, { inputPerMTok: string; outputPerMTok: string; cachedInputPerMTok?: string | null }>
  per_call_usd: Record<string, string>
  source_url: string | null
}

/** A price row in the shape @costwise/core's pricing takes (PriceOverride / ImportedPrice). */
function toPrice(r: PriceRow) {
  return {
    id: r.id,
    model: r.model,
    provider: r.provider,
    effectiveFrom: r.effective_from,
    effectiveTo: r.effective_to,
    inputPerMTok: r.input_per_mtok,
    outputPerMTok: r.output_per_mtok,
    cachedInputPerMTok: r.cached_input_per_mtok,
    cacheWritePerMTok: r.cache_write_per_mtok,
    reasoningPerMTok: r.reasoning_per_mtok,
    audioInputPerMTok: r.audio_input_per_mtok,
    imageInputPerMTok: r.image_input_per_mtok,
    batchDiscountPct: r.batch_discount_pct,
    tiers: r.tiers as {
      aboveInputTokens: number
      inputPerMTok: string
      outputPerMTok: string
      cachedInputPerMTok?: string | null
    }[],
    serviceTiers: r.service_tiers,
    perCallUsd: r.per_call_usd,
    sourceUrl: r.source_url,
  }
}
export type StoredPrice = ReturnType<typeof toPrice>

const priceColumns = [
  'id',
  'model',
  'provider',
  'effective_from',
  'effective_to',
  'input_per_mtok',
  'output_per_mtok',
  'cached_input_per_mtok',
  'cache_write_per_mtok',
  'reasoning_per_mtok',
  'audio_input_per_mtok',
  'image_input_per_mtok',
  'batch_discount_pct',
  'tiers',
  'service_tiers',
  'per_call_usd',
  'source_url',
] as const

/** A team's custom prices (PriceOverride), or with `teamId` null the imported list prices every team shares. */
async function listPrices(db: Executor, teamId: string | null): Promise<StoredPrice[]> {
  const rows = await db
    .selectFrom('model_prices')
    .select(priceColumns)
    .where('team_id', teamId === null ? 'is' : '=', teamId)
    .where('origin', '=', teamId === null ? 'import' : 'custom')
    .orderBy('model')
    .orderBy('effective_from')
    .execute()
  return rows.map(toPrice)
}

/** A team's custom prices, in the shape @costwise/core's pricing takes (PriceOverride). */
export function listTeamPriceOverrides(db: Executor, teamId: string): Promise<StoredPrice[]> {
  return listPrices(db, teamId)
}

/** Imported list prices (every team's), in the shape @costwise/core takes (ImportedPrice). */
export function listImportedPrices(db: Executor): Promise<StoredPrice[]> {
  return listPrices(db, null)
}

export interface PriceInput {
  model: string
  provider: string
  effectiveFrom: string
  effectiveTo?: string | null
  inputPerMTok: string
  outputPerMTok: string
  cachedInputPerMTok?: string | null
  cacheWritePerMTok?: string | null
  reasoningPerMTok?: string | null
  audioInputPerMTok?: string | null
  imageInputPerMTok?: string | null
  batchDiscountPct?: string | null
  tiers?: unknown[]
  serviceTiers?: Record<string, unknown>
  perCallUsd?: Record<string, string>
  sourceUrl?: string | null
}

function values(input: PriceInput) {
  return {
    model: input.model,
    provider: input.provider,
    effective_from: input.effectiveFrom,
    effective_to: input.effectiveTo ?? null,
    input_per_mtok: input.inputPerMTok,
    output_per_mtok: input.outputPerMTok,
    cached_input_per_mtok: input.cachedInputPerMTok ?? null,
    cache_write_per_mtok: input.cacheWritePerMTok ?? null,
    reasoning_per_mtok: input.reasoningPerMTok ?? null,
    audio_input_per_mtok: input.audioInputPerMTok ?? null,
    image_input_per_mtok: input.imageInputPerMTok ?? null,
    batch_discount_pct: input.batchDiscountPct ?? null,
    tiers: JSON.stringify(input.tiers ?? []),
    service_tiers: JSON.stringify(input.serviceTiers ?? {}),
    per_call_usd: JSON.stringify(input.perCallUsd ?? {}),
    source_url: input.sourceUrl ?? null,
  }
}

/** Adds a team's custom price. The (team, model, effective date) pair is unique: CONFLICT when it exists. */
export async function insertTeamPrice(db: Executor, input: PriceInput & { teamId: string }) {
  return db
    .insertInto('model_prices')
    .values({ ...values(input), team_id: input.teamId, origin: 'custom' })
    .returning('id')
    .executeTakeFirstOrThrow()
}

export async function deleteTeamPrice(db: Executor, teamId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('model_prices')
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .where('origin', '=', 'custom')
    .executeTakeFirst()
  return result.numDeletedRows > 0n
}

/**
 * Writes imported list prices as dated versions (team_id null): a version for the same model and date is
 * replaced. Returns the ids, in order.
 */
export async function upsertImportedPrices(
  db: Executor,
  rows: (PriceInput & { displayName?: string | null; importedFrom: string })[],
) {
  const ids: string[] = []
  for (const row of rows) {
    const v = {
      ...values(row),
      team_id: null,
      origin: 'import' as const,
      display_name: row.displayName ?? null,
      imported_from: row.importedFrom,
    }
    const result = await db
      .insertInto('model_prices')
      .values(v)
      .onConflict((oc) =>
        oc.columns(['team_id', 'model', 'effective_from']).doUpdateSet({
          ...v,
          created_at: sql`now()`,
        }),
      )
      .returning('id')
      .executeTakeFirstOrThrow()
    ids.push(result.id)
  }
  return ids
}

// ── Negotiated discounts ────────────────────────────────────────────────────────────────────────────────

/** A team's discounts in the shape @costwise/core takes (PriceDiscount), plus their note. */
export async function listTeamDiscounts(db: Executor, teamId: string) {
  const rows = await db
    .selectFrom('team_price_discounts')
    .selectAll()
    .where('team_id', '=', teamId)
    .orderBy('effective_from')
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    provider: r.provider,
    model: r.model,
    percent: r.percent,
    effectiveFrom: r.effective_from,
    effectiveTo: r.effective_to,
    note: r.note,
  }))
}

export async function insertTeamDiscount(
  db: Executor,
  input: {
    teamId: string
    provider: string | null
    model: string | null
    percent: string
    effectiveFrom: string
    effectiveTo: string | null
    note: string | null
    createdBy: string | null
  },
) {
  return db
    .insertInto('team_price_discounts')
    .values({
      team_id: input.teamId,
      provider: input.provider,
      model: input.model,
      percent: input.percent,
      effective_from: input.effectiveFrom,
      effective_to: input.effectiveTo,
      note: input.note,
      created_by: input.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
}

export async function deleteTeamDiscount(db: Executor, teamId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('team_price_discounts')
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .executeTakeFirst()
  return result.numDeletedRows > 0n
}

// ── Model name mappings (Azure deployment names) ────────────────────────────────────────────────────────

export async function listTeamMappings(db: Executor, teamId: string) {
  return db
    .selectFrom('team_model_mappings')
    .select(['name', 'model', 'created_at as createdAt'])
    .where('team_id', '=', teamId)
    .orderBy('name')
    .execute()
}

/** Maps a team's own model name to a model; an existing mapping of the name is replaced. */
export async function upsertTeamMapping(
  db: Executor,
  input: { teamId: string; name: string; model: string; createdBy: string | null },
) {
  await db
    .insertInto('team_model_mappings')
    .values({ team_id: input.teamId, name: input.name, model: input.model, created_by: input.createdBy })
    .onConflict((oc) =>
      oc
        .columns(['team_id', 'name'])
        .doUpdateSet({ model: input.model, created_by: input.createdBy, created_at: sql`now()` }),
    )
    .execute()
}

export async function deleteTeamMapping(db: Executor, teamId: string, name: string): Promise<boolean> {
  const result = await db
    .deleteFrom('team_model_mappings')
    .where('team_id', '=', teamId)
    .where('name', '=', name)
    .executeTakeFirst()
  return result.numDeletedRows > 0n
}
