import {
  AppError,
  allocateToCostCenters,
  assignInputSchema,
  costCenterCodeSchema,
  nanoToUsd,
  percentToBasisPoints,
  usdToNano,
  WHOLE_BP,
  type AssignInput,
  type Measures,
} from '@costwise/core'
import { analytics, apiKeys, audit, costCenters, type Db } from '@costwise/db'
import { z } from 'zod'
import { auditBy } from '../audit'
import type { TeamScope } from '../trpc'
import { forgetCostCenters } from './cost-center-codes'

/**
 * Cost centres (departments, projects) for allocation and chargeback. Admins define them and assign members,
 * prompts and API keys (a key may be split across several by percentage); an event may name one. Which centre
 * pays for what is decided by one rule in core (`resolveAllocation`), used by `stats` and the allocation report.
 */

const nameSchema = z.string().trim().min(1, 'give the cost centre a name').max(200)

export const costCenterInputSchema = z.object({
  id: z.uuid().optional(),
  code: costCenterCodeSchema,
  name: nameSchema,
  archived: z.boolean().default(false),
})

export const costCenterViewSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  archived: z.boolean(),
  createdAt: z.string(),
})

export const costCenterListSchema = z.object({
  costCenters: z.array(costCenterViewSchema),
  members: z.array(z.object({ userId: z.string(), costCenterId: z.string() })),
  prompts: z.array(z.object({ promptId: z.string(), costCenterId: z.string() })),
  /** A key split across cost centres: each share in percent (they add up to 100). */
  apiKeys: z.array(
    z.object({ apiKeyId: z.string(), shares: z.array(z.object({ costCenterId: z.string(), percent: z.number() })) }),
  ),
})

function toView(c: costCenters.CostCenterRow) {
  return { id: c.id, code: c.code, name: c.name, archived: c.archivedAt !== null, createdAt: c.createdAt.toISOString() }
}

/** The team's cost centres and every assignment (members, prompts, API key splits in percent). */
export async function listCostCenters(db: Db, team: TeamScope) {
  const [centers, assignments] = await Promise.all([
    costCenters.listCostCenters(db, team.id),
    costCenters.loadAssignments(db, team.id),
  ])
  return {
    costCenters: centers.map(toView),
    members: [...assignments.userCenter].map(([userId, costCenterId]) => ({ userId, costCenterId })),
    prompts: [...assignments.promptCenter].map(([promptId, costCenterId]) => ({ promptId, costCenterId })),
    apiKeys: [...assignments.keyShares].map(([apiKeyId, shares]) => ({
      apiKeyId,
      shares: shares.map((s) => ({ costCenterId: s.costCenterId, percent: s.shareBp / 100 })),
    })),
  }
}

/** Creates a cost centre, or renames/re-codes/archives one (by id). Archived centres take no new usage. */
export async function saveCostCenter(db: Db, team: TeamScope, raw: z.input<typeof costCenterInputSchema>) {
  const input = costCenterInputSchema.parse(raw)
  const saved = await db.transaction().execute(async (trx) => {
    if (!input.id) {
      const created = await costCenters.insertCostCenter(trx, team.id, input)
      if (!created)
        throw new AppError('CONFLICT', `code: your team has a cost centre “${input.code}” already.`, { field: 'code' })
      await audit.record(trx, {
        ...auditBy(team),
        action: 'cost_center.created',
        target: { type: 'cost_center', id: created.id },
        after: toView(created),
      })
      return created
    }
    const before = await costCenters.findCostCenter(trx, team.id, input.id)
    if (!before) throw new AppError('NOT_FOUND', 'No cost centre with this id in your team.', { field: 'id' })
    const clash = (await costCenters.costCentersByCode(trx, team.id)).get(input.code)
    if (clash && clash.id !== input.id)
      throw new AppError('CONFLICT', `code: your team has a cost centre “${input.code}” already.`, { field: 'code' })
    const updated = await costCenters.updateCostCenter(trx, team.id, input.id, input)
    if (!updated) throw new AppError('NOT_FOUND', 'No cost centre with this id in your team.', { field: 'id' })
    const archivedNow = !before.archivedAt && updated.archivedAt
    await audit.record(trx, {
      ...auditBy(team),
      action: archivedNow ? 'cost_center.archived' : 'cost_center.updated',
      target: { type: 'cost_center', id: updated.id },
      before: toView(before),
      after: toView(updated),
    })
    return updated
  })
  await forgetCostCenters(team.id)
  return toView(saved)
}

async function assertCenters(db: Db, teamId: string, ids: string[], field: (i: number) => string) {
  const centers = new Map((await costCenters.listCostCenters(db, teamId)).map((c) => [c.id, c]))
  ids.forEach((id, i) => {
    const c = centers.get(id)
    if (!c)
      throw new AppError('BAD_INPUT', `${field(i)}: no cost centre with this id in your team.`, { field: field(i) })
    if (c.archivedAt)
      throw new AppError('BAD_INPUT', `${field(i)}: “${c.name}” is archived; pick an active cost centre.`, {
        field: field(i),
      })
  })
}

/** Assigns a member, a prompt or an API key (whole, or split by percentages that sum to 100) to cost centres. */
export async function assignCostCenter(db: Db, team: TeamScope, raw: AssignInput) {
  const input = assignInputSchema.parse(raw)
  await db.transaction().execute(async (trx) => {
    if (input.target === 'member' || input.target === 'prompt') {
      if (input.costCenterId) await assertCenters(trx, team.id, [input.costCenterId], () => 'costCenterId')
      const before =
        input.target === 'member'
          ? await costCenters.setMemberCostCenter(trx, team.id, input.userId, input.costCenterId)
          : await costCenters.setPromptCostCenter(trx, team.id, input.promptId, input.costCenterId)
      const idField = input.target === 'member' ? 'userId' : 'promptId'
      const id = input.target === 'member' ? input.userId : input.promptId
      if (before === undefined)
        throw new AppError('BAD_INPUT', `${idField}: no ${input.target} with this id in your team.`, { field: idField })
      await audit.record(trx, {
        ...auditBy(team),
        action: 'cost_center.assigned',
        target: { type: input.target === 'member' ? 'user' : 'prompt', id },
        before: { costCenterId: before },
        after: { costCenterId: input.costCenterId },
      })
      return
    }
    if (!(await apiKeys.listApiKeys(trx, team.id)).some((k) => k.id === input.apiKeyId)) {
      throw new AppError('BAD_INPUT', 'apiKeyId: no API key with this id in your team.', { field: 'apiKeyId' })
    }
    const shares = input.shares.map((s, i) => {
      const bp = percentToBasisPoints(s.percent)
      if (bp === null)
        throw new AppError(
          'BAD_INPUT',
          `shares.${i}.percent: give a percentage above 0 and at most 100, with at most two decimals.`,
          { field: `shares.${i}.percent` },
        )
      return { costCenterId: s.costCenterId, shareBp: bp }
    })
    const seen = new Set<string>()
    shares.forEach((s, i) => {
      if (seen.has(s.costCenterId))
        throw new AppError('BAD_INPUT', `shares.${i}.costCenterId: this cost centre is listed twice.`, {
          field: `shares.${i}.costCenterId`,
        })
      seen.add(s.costCenterId)
    })
    const total = shares.reduce((sum, s) => sum + s.shareBp, 0)
    if (shares.length && total !== WHOLE_BP) {
      throw new AppError(
        'BAD_INPUT',
        `shares: the percentages add up to ${total / 100}; they must add up to exactly 100.`,
        { field: 'shares' },
      )
    }
    await assertCenters(
      trx,
      team.id,
      shares.map((s) => s.costCenterId),
      (i) => `shares.${i}.costCenterId`,
    )
    const before = await costCenters.setKeyShares(trx, team.id, input.apiKeyId, shares)
    await audit.record(trx, {
      ...auditBy(team),
      action: 'cost_center.assigned',
      target: { type: 'api_key', id: input.apiKeyId },
      before: { shares: before.map((s) => ({ costCenterId: s.costCenterId, percent: s.shareBp / 100 })) },
      after: { shares: input.shares },
    })
  })
}

const MEASURES = [
  'cost',
  'runs',
  'errors',
  'inputTokens',
  'outputTokens',
  'cachedInputTokens',
  'cacheWriteTokens',
  'reasoningTokens',
  'latencyMsSum',
  'unpricedRuns',
] as const
type Measure = (typeof MEASURES)[number]

/**
 * Usage allocated to cost centres over a range of the rollups: one line per centre (by id) and one for
 * "unallocated" (null), whose measures add up to the range's totals exactly.
 */
export async function allocateUsage(db: Db, teamId: string, range: analytics.Range, filters: analytics.UsageFilters) {
  const [groups, assignments] = await Promise.all([
    analytics.allocationGroups(db, teamId, range, filters),
    costCenters.loadAssignments(db, teamId),
  ])
  const rows = groups.map((g) => ({
    costCenterId: g.costCenterId,
    promptId: g.promptId,
    apiKeyId: g.apiKeyId,
    userId: g.userId,
    measures: {
      cost: usdToNano(g.costUsd),
      runs: BigInt(g.runs),
      errors: BigInt(g.errors),
      inputTokens: BigInt(g.inputTokens),
      outputTokens: BigInt(g.outputTokens),
      cachedInputTokens: BigInt(g.cachedInputTokens),
      cacheWriteTokens: BigInt(g.cacheWriteTokens),
      reasoningTokens: BigInt(g.reasoningTokens),
      latencyMsSum: BigInt(g.latencyMsSum),
      unpricedRuns: BigInt(g.unpricedRuns),
    } satisfies Measures<Measure>,
  }))
  return allocateToCostCenters(rows, assignments, MEASURES)
}

/** An allocation line as the analytics `Totals` (strings, as rows come from PostgreSQL). */
export function linesAsTotals(lines: Map<string | null, Measures<Measure>>): Map<string | null, analytics.Totals> {
  return new Map(
    [...lines].map(([id, m]) => [
      id,
      {
        costUsd: nanoToUsd(m.cost),
        runs: m.runs.toString(),
        errors: m.errors.toString(),
        inputTokens: m.inputTokens.toString(),
        outputTokens: m.outputTokens.toString(),
        cachedInputTokens: m.cachedInputTokens.toString(),
        cacheWriteTokens: m.cacheWriteTokens.toString(),
        reasoningTokens: m.reasoningTokens.toString(),
        latencyMsSum: m.latencyMsSum.toString(),
        unpricedRuns: m.unpricedRuns.toString(),
      },
    ]),
  )
}
