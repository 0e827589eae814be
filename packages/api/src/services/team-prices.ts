import {
  AppError,
  CATALOG_VERSION,
  effectiveDateSchema,
  percentSchema,
  priceOverrideSchema,
  resolveModelName,
} from '@costwise/core'
import { audit, jobs, prices, tracking, type Db } from '@costwise/db'
import { auditBy } from '../audit'
import { z } from 'zod'
import type { TeamScope } from '../trpc'
import { invalidateTeamPricing, teamPricing } from './pricing'

const modelName = z.string().trim().min(1, 'model is required').max(200)
const datesInOrder = (v: { effectiveFrom: string; effectiveTo?: string | null }) =>
  !v.effectiveTo || v.effectiveTo >= v.effectiveFrom
const datesMessage = { message: 'effectiveTo must be on or after effectiveFrom', path: ['effectiveTo'] }

/** A team's custom price: core's override fields (no id, no long-prompt tiers), a provider and a source URL. */
export const customPriceInputSchema = priceOverrideSchema
  .omit({ id: true, tiers: true, sourceUrl: true })
  .extend({ model: modelName, provider: z.string().trim().min(1).max(50).optional(), sourceUrl: z.url().nullish() })
  .refine(datesInOrder, datesMessage)

export const discountInputSchema = z
  .object({
    effectiveFrom: effectiveDateSchema,
    effectiveTo: effectiveDateSchema.nullish(),
    provider: z.string().trim().toLowerCase().min(1).max(50).nullish(),
    model: modelName.nullish(),
    percent: percentSchema.refine((p) => Number(p) > 0, 'must be more than 0'),
    note: z.string().trim().max(500).nullish(),
  })
  .refine(datesInOrder, datesMessage)
  .refine((d) => (d.provider ? 1 : 0) + (d.model ? 1 : 0) === 1, {
    error: 'give either a provider or a model, not both',
    path: ['model'],
  })

export const mappingInputSchema = z.object({
  name: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, 'name is required')
    .max(200)
    .transform((n) => (n.startsWith('azure/') ? n.slice('azure/'.length) : n)),
  model: modelName,
})

const priceShape = z.object({
  id: z.string(),
  model: z.string(),
  provider: z.string(),
  effectiveFrom: z.string(),
  effectiveTo: z.string().nullable(),
  inputPerMTok: z.string(),
  outputPerMTok: z.string(),
  cachedInputPerMTok: z.string().nullable(),
  cacheWritePerMTok: z.string().nullable(),
  reasoningPerMTok: z.string().nullable(),
  audioInputPerMTok: z.string().nullable(),
  imageInputPerMTok: z.string().nullable(),
  batchDiscountPct: z.string().nullable(),
  tiers: z.array(
    z.object({
      aboveInputTokens: z.number(),
      inputPerMTok: z.string(),
      outputPerMTok: z.string(),
      cachedInputPerMTok: z.string().nullish(),
      cacheWritePerMTok: z.string().nullish(),
    }),
  ),
  serviceTiers: z.record(
    z.string(),
    z.object({ inputPerMTok: z.string(), outputPerMTok: z.string(), cachedInputPerMTok: z.string().nullish() }),
  ),
  perCallUsd: z.record(z.string(), z.string()),
  sourceUrl: z.string().nullable(),
})

/** What a team pays beyond the catalogue — the price table the Lab and the estimate use. */
export const teamPriceTableSchema = z.object({
  catalogVersion: z.string(),
  overrides: z.array(priceShape),
  imported: z.array(priceShape),
  discounts: z.array(
    z.object({
      id: z.string(),
      provider: z.string().nullable(),
      model: z.string().nullable(),
      percent: z.string(),
      effectiveFrom: z.string(),
      effectiveTo: z.string().nullable(),
      note: z.string().nullable(),
    }),
  ),
  mappings: z.array(z.object({ name: z.string(), model: z.string() })),
})
export type TeamPriceTable = z.infer<typeof teamPriceTableSchema>

export async function teamPriceTable(db: Db, team: TeamScope): Promise<TeamPriceTable> {
  const [overrides, discounts, mappings, imported] = await Promise.all([
    prices.listTeamPriceOverrides(db, team.id),
    prices.listTeamDiscounts(db, team.id),
    prices.listTeamMappings(db, team.id),
    prices.listImportedPrices(db),
  ])
  return {
    catalogVersion: CATALOG_VERSION,
    overrides,
    discounts,
    imported,
    mappings: mappings.map((m) => ({ name: m.name, model: m.model })),
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505'
}

export async function addCustomPrice(db: Db, team: TeamScope, input: z.infer<typeof customPriceInputSchema>) {
  const pricing = await teamPricing(db, team.id)
  const provider = input.provider ?? resolveModelName(input.model, pricing.mappings).entry?.provider ?? 'custom'
  try {
    const { id } = await db.transaction().execute(async (trx) => {
      const created = await prices.insertTeamPrice(trx, {
        ...input,
        teamId: team.id,
        provider,
        tiers: [],
        serviceTiers: input.serviceTiers ?? {},
        perCallUsd: input.perCallUsd ?? {},
      })
      await audit.record(trx, {
        ...auditBy(team),
        action: 'prices.changed',
        target: { type: 'custom_price', id: created.id },
        after: { ...input, provider },
      })
      return created
    })
    await invalidateTeamPricing(team.id)
    return { id }
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError(
        'CONFLICT',
        `Your team already has a price for ${input.model} from ${input.effectiveFrom}; delete it first or pick another date.`,
        { field: 'effectiveFrom' },
      )
    }
    throw error
  }
}

export const unpricedModelsSchema = z.object({
  models: z.array(z.object({ model: z.string(), rows: z.number().int(), firstSeen: z.string(), lastSeen: z.string() })),
})

/** The models the team sent that have no price yet, most rows first: what a custom price (or a mapping) would fix. */
export async function listUnpricedModels(db: Db, team: TeamScope): Promise<z.infer<typeof unpricedModelsSchema>> {
  const rows = await tracking.unpricedModels(db, team.id)
  return {
    models: rows.map((r) => ({
      model: r.model,
      rows: Number(r.rows),
      firstSeen: r.firstSeen.toISOString(),
      lastSeen: r.lastSeen.toISOString(),
    })),
  }
}

/**
 * Queues the re-pricing of the team's unpriced rows with its prices as they are now (a worker job running the same
 * exact re-pricing as `costwise usage reprice`), recorded in the audit log in the same transaction.
 */
export async function queueRepriceUnpriced(db: Db, team: TeamScope): Promise<{ queued: true; unpricedRows: number }> {
  const unpricedRows = (await tracking.unpricedModels(db, team.id, 1000)).reduce((sum, m) => sum + Number(m.rows), 0)
  await db.transaction().execute(async (trx) => {
    await jobs.enqueueRepriceUnpriced(trx, team.id)
    await audit.record(trx, {
      ...auditBy(team),
      action: 'prices.changed',
      target: { type: 'reprice', id: team.id },
      after: { repriceUnpriced: true, unpricedRows },
    })
  })
  return { queued: true, unpricedRows }
}

export async function removeCustomPrice(db: Db, team: TeamScope, id: string) {
  const before = (await prices.listTeamPriceOverrides(db, team.id)).find((p) => p.id === id)
  await db.transaction().execute(async (trx) => {
    if (!before || !(await prices.deleteTeamPrice(trx, team.id, id)))
      throw new AppError('NOT_FOUND', 'No custom price with this id in your team.', { field: 'id' })
    await audit.record(trx, {
      ...auditBy(team),
      action: 'prices.changed',
      target: { type: 'custom_price', id },
      before,
    })
  })
  await invalidateTeamPricing(team.id)
  return { deleted: true }
}

export async function addDiscount(db: Db, team: TeamScope, input: z.infer<typeof discountInputSchema>) {
  const values = {
    provider: input.provider ?? null,
    model: input.model ?? null,
    percent: input.percent,
    effectiveFrom: input.effectiveFrom,
    effectiveTo: input.effectiveTo ?? null,
    note: input.note ?? null,
  }
  const { id } = await db.transaction().execute(async (trx) => {
    const created = await prices.insertTeamDiscount(trx, { ...values, teamId: team.id, createdBy: team.userId })
    await audit.record(trx, {
      ...auditBy(team),
      action: 'prices.changed',
      target: { type: 'discount', id: created.id },
      after: values,
    })
    return created
  })
  await invalidateTeamPricing(team.id)
  return { id }
}

export async function removeDiscount(db: Db, team: TeamScope, id: string) {
  const before = (await prices.listTeamDiscounts(db, team.id)).find((d) => d.id === id)
  await db.transaction().execute(async (trx) => {
    if (!before || !(await prices.deleteTeamDiscount(trx, team.id, id)))
      throw new AppError('NOT_FOUND', 'No discount with this id in your team.', { field: 'id' })
    await audit.record(trx, { ...auditBy(team), action: 'prices.changed', target: { type: 'discount', id }, before })
  })
  await invalidateTeamPricing(team.id)
  return { deleted: true }
}

/** Maps a team's own model name (an Azure deployment) to a model; the target must have a price. */
export async function setMapping(db: Db, team: TeamScope, input: z.infer<typeof mappingInputSchema>) {
  const target = resolveModelName(input.model)
  const pricing = await teamPricing(db, team.id)
  const hasCustom = (pricing.overrides ?? []).some((o) => resolveModelName(o.model).key === target.key)
  const hasImport = (pricing.imported ?? []).some((i) => resolveModelName(i.model).key === target.key)
  if (!target.entry && !hasCustom && !hasImport) {
    throw new AppError(
      'BAD_INPUT',
      `model: "${input.model}" has no price (${target.reason ?? 'unknown model'}); map the name to a catalogue model or add a custom price first.`,
      { field: 'model' },
    )
  }
  const before = (await prices.listTeamMappings(db, team.id)).find((m) => m.name === input.name)
  await db.transaction().execute(async (trx) => {
    await prices.upsertTeamMapping(trx, {
      teamId: team.id,
      name: input.name,
      model: target.key,
      createdBy: team.userId,
    })
    await audit.record(trx, {
      ...auditBy(team),
      action: 'prices.changed',
      target: { type: 'model_mapping', id: input.name },
      before: before ? { name: before.name, model: before.model } : null,
      after: { name: input.name, model: target.key },
    })
  })
  await invalidateTeamPricing(team.id)
  return { name: input.name, model: target.key }
}

export async function removeMapping(db: Db, team: TeamScope, name: string) {
  const key = name.trim().toLowerCase()
  await db.transaction().execute(async (trx) => {
    const before = (await prices.listTeamMappings(trx, team.id)).find((m) => m.name === key)
    if (!before || !(await prices.deleteTeamMapping(trx, team.id, key)))
      throw new AppError('NOT_FOUND', `No mapping named "${name}" in your team.`, { field: 'name' })
    await audit.record(trx, {
      ...auditBy(team),
      action: 'prices.changed',
      target: { type: 'model_mapping', id: key },
      before: { name: before.name, model: before.model },
    })
  })
  await invalidateTeamPricing(team.id)
  return { deleted: true }
}
