import {
  APPLICABLE_KINDS,
  AppError,
  MEASURED_KINDS,
  RECOMMENDATION_RULES,
  describeRecommendation,
  detectRecommendations,
  mulDivRoundHalfUp,
  nanoToUsd,
  percentOf,
  periodKey,
  periodWindow,
  promptTokenFacts,
  recommendationKindSchema,
  recommendationStatusSchema,
  usdToNano,
  type BlockedRun,
  type PromptFacts,
  type UsageSlice,
} from '@costwise/core'
import { analytics, audit, prompts, recommendations, type Db } from '@costwise/db'
import { z } from 'zod'
import { auditBy } from '../audit'
import { commaList } from './analytics'
import type { TeamScope } from '../trpc'
import { loadTeamPricing } from './pricing'
import { changePromptIn } from './prompts'

/** What a refresh or a job needs of a team: its id and time zone (the worker has no caller). */
export type TeamRef = Pick<TeamScope, 'id' | 'timeZone'>

const DAY_MS = 86_400_000

function roomOf(metadata: Record<string, unknown>): { estimatedInputTokens: number | null; roomNano: bigint | null } {
  const estimated = typeof metadata.estimatedInputTokens === 'number' ? metadata.estimatedInputTokens : null
  const budget = (
    metadata.details as
      { budget?: { limitUsd?: unknown; spentUsd?: unknown; reservedUsd?: unknown } } | null | undefined
  )?.budget
  try {
    if (
      budget &&
      typeof budget.limitUsd === 'string' &&
      typeof budget.spentUsd === 'string' &&
      typeof budget.reservedUsd === 'string'
    ) {
      const room = usdToNano(budget.limitUsd) - usdToNano(budget.spentUsd) - usdToNano(budget.reservedUsd)
      return { estimatedInputTokens: estimated, roomNano: room > 0n ? room : 0n }
    }
  } catch {
    // metadata written by a client, not the gateway: the room is unknown
  }
  return { estimatedInputTokens: estimated, roomNano: null }
}

/**
 * Recomputes a team's recommendations and prompt scores from its last 30 days (docs/recommendations.md) and
 * stores them in one transaction: new findings open, open ones updated, ones no longer found removed; applied
 * and dismissed ones are left as decided. Safe to run concurrently (serialised per team).
 */
export async function refreshRecommendations(db: Db, team: TeamRef, now = new Date()): Promise<{ found: number }> {
  const to = now
  const from = new Date(now.getTime() - RECOMMENDATION_RULES.windowDays * DAY_MS)
  const [sliceRows, blockedRows, keySlots, promptRecords, pricing] = await Promise.all([
    recommendations.usageSlices(db, team.id, from, to),
    recommendations.blockedPromptRuns(db, team.id, from, to),
    recommendations.apiKeySlotRuns(db, team.id, from, to),
    prompts.listPromptRecords(db, team.id, 1000),
    loadTeamPricing(db, team.id),
  ])
  const slices: UsageSlice[] = sliceRows.map((r) => ({ ...r, runs: Number(r.runs), costNano: usdToNano(r.costUsd) }))
  const promptFacts: PromptFacts[] = []
  for (const p of promptRecords) {
    promptFacts.push({
      id: p.id,
      name: p.name,
      model: p.model,
      maxOutputTokens: p.maxOutputTokens,
      ...(await promptTokenFacts(p)),
    })
  }
  const blocked: BlockedRun[] = blockedRows.map((b) => ({
    promptId: b.promptId,
    model: b.model,
    at: b.occurredAt,
    ...roomOf(b.metadata),
  }))
  const result = detectRecommendations({
    from,
    to,
    slices,
    prompts: promptFacts,
    blocked,
    keyActivity: keySlots,
    pricing,
  })

  await db.transaction().execute(async (trx) => {
    await recommendations.lockTeamRecommendations(trx, team.id)
    await recommendations.replaceOpenRecommendations(
      trx,
      team.id,
      result.recommendations.map((r) => ({
        kind: r.kind,
        fingerprint: r.fingerprint,
        promptId: r.promptId,
        apiKeyId: r.apiKeyId,
        model: r.model,
        suggestedModel: r.suggestedModel,
        suggestedMaxOutputTokens: r.suggestedMaxOutputTokens,
        monthlySavingsUsd: nanoToUsd(r.monthlySavingsNano),
        evidence: r.evidence,
        baselineCostUsd: r.baseline ? nanoToUsd(r.baseline.costNano) : null,
        baselineRuns: r.baseline?.runs ?? null,
      })),
      now,
    )
    await recommendations.replaceScores(
      trx,
      team.id,
      result.scores.map((s) => ({
        promptId: s.promptId,
        score: s.score,
        components: { ...s.components },
        runs: s.runs,
      })),
      now,
    )
  })
  return { found: result.recommendations.length }
}

const usd = z.string()

export const recommendationViewSchema = z.object({
  id: z.string(),
  kind: recommendationKindSchema,
  status: recommendationStatusSchema,
  promptId: z.string().optional(),
  apiKeyId: z.string().optional(),
  model: z.string().optional(),
  suggestedModel: z.string().optional(),
  suggestedMaxOutputTokens: z.number().optional(),
  monthlySavingsUsd: usd,
  evidence: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  // Beyond the contract's fields: what to show and what happened since.
  title: z.string(),
  summary: z.string(),
  promptName: z.string().optional(),
  apiKeyName: z.string().optional(),
  applicable: z.boolean(),
  snoozedUntil: z.string().optional(),
  appliedAt: z.string().optional(),
  dismissedAt: z.string().optional(),
  /** After Apply: the prompt's runs since, against its cost per run before (null until measurable). */
  realised: z
    .object({ runs: z.number(), savedUsd: usd, savedThisMonthUsd: usd, baselineCostPerRunUsd: usd })
    .nullable(),
})
export type RecommendationView = z.infer<typeof recommendationViewSchema>

export const recommendationListSchema = z.object({
  items: z.array(recommendationViewSchema),
  summary: z.object({
    /** Realised savings of applied recommendations this month (team's time zone), and this month's spend. */
    savedThisMonthUsd: usd,
    spendThisMonthUsd: usd,
    /** saved ÷ (spend + saved): how much lower this month's spend is than it would have been. */
    savedPercent: z.number(),
    /** What the open recommendations would save in a month. */
    openMonthlySavingsUsd: usd,
    month: z.string(),
  }),
})

export const listInputSchema = z.object({
  status: commaList(recommendationStatusSchema, 3),
  includeSnoozed: z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean()).default(false),
})

/** saved = runs × (baseline cost ÷ baseline runs) − their cost, exactly (one rounding, half up). */
function savedOf(
  row: { runs: string; costUsd: string } | undefined,
  baseline: { costUsd: string; runs: number },
): bigint {
  if (!row || row.runs === '0') return 0n
  return (
    mulDivRoundHalfUp(BigInt(row.runs), usdToNano(baseline.costUsd), BigInt(baseline.runs)) - usdToNano(row.costUsd)
  )
}

/** The team's recommendations with their words, realised savings since Apply, and this month's totals. */
export async function listRecommendationViews(
  db: Db,
  team: TeamRef,
  input: z.output<typeof listInputSchema> = { includeSnoozed: false },
  now = new Date(),
): Promise<z.infer<typeof recommendationListSchema>> {
  const month = periodWindow('month', now, team.timeZone)
  const monthDay = periodKey('month', now, team.timeZone)
  const today = periodKey('day', now, team.timeZone)
  const [rows, sinceApplied, thisMonth, totals] = await Promise.all([
    recommendations.listRecommendations(db, team.id, {
      status: input.status,
      includeSnoozed: input.includeSnoozed,
      now,
    }),
    recommendations.runsSinceApplied(db, team.id, MEASURED_KINDS, new Date(0), now),
    recommendations.runsSinceApplied(db, team.id, MEASURED_KINDS, month.start, now),
    analytics.totals(db, team.id, { kind: 'days', fromDay: monthDay, toDay: today }, {}),
  ])
  const all = new Map(sinceApplied.map((r) => [r.id, r]))
  const month_ = new Map(thisMonth.map((r) => [r.id, r]))
  let savedThisMonth = 0n
  let openSavings = 0n
  const items = rows.map((r): RecommendationView => {
    const words = describeRecommendation(r, { prompt: r.promptName, apiKey: r.apiKeyName })
    const measured = r.status === 'applied' && r.baselineCostUsd !== null && (r.baselineRuns ?? 0) > 0 && all.has(r.id)
    let realised: RecommendationView['realised'] = null
    if (measured) {
      const baseline = { costUsd: r.baselineCostUsd!, runs: r.baselineRuns! }
      const monthSaved = savedOf(month_.get(r.id), baseline)
      savedThisMonth += monthSaved
      realised = {
        runs: Number(all.get(r.id)!.runs),
        savedUsd: nanoToUsd(savedOf(all.get(r.id), baseline)),
        savedThisMonthUsd: nanoToUsd(monthSaved),
        baselineCostPerRunUsd: nanoToUsd(mulDivRoundHalfUp(usdToNano(baseline.costUsd), 1n, BigInt(baseline.runs))),
      }
    }
    if (r.status === 'open') openSavings += usdToNano(r.monthlySavingsUsd)
    return {
      id: r.id,
      kind: r.kind,
      status: r.status,
      ...(r.promptId ? { promptId: r.promptId } : {}),
      ...(r.apiKeyId ? { apiKeyId: r.apiKeyId } : {}),
      ...(r.model ? { model: r.model } : {}),
      ...(r.suggestedModel ? { suggestedModel: r.suggestedModel } : {}),
      ...(r.suggestedMaxOutputTokens ? { suggestedMaxOutputTokens: r.suggestedMaxOutputTokens } : {}),
      monthlySavingsUsd: nanoToUsd(usdToNano(r.monthlySavingsUsd)),
      evidence: r.evidence,
      createdAt: r.createdAt.toISOString(),
      ...words,
      ...(r.promptName ? { promptName: r.promptName } : {}),
      ...(r.apiKeyName ? { apiKeyName: r.apiKeyName } : {}),
      applicable: r.status === 'open' && APPLICABLE_KINDS.includes(r.kind) && r.promptId !== null,
      ...(r.snoozedUntil && r.snoozedUntil > now ? { snoozedUntil: r.snoozedUntil.toISOString() } : {}),
      ...(r.appliedAt ? { appliedAt: r.appliedAt.toISOString() } : {}),
      ...(r.dismissedAt ? { dismissedAt: r.dismissedAt.toISOString() } : {}),
      realised,
    }
  })
  const spend = usdToNano(totals.costUsd)
  return {
    items,
    summary: {
      savedThisMonthUsd: nanoToUsd(savedThisMonth),
      spendThisMonthUsd: nanoToUsd(spend),
      savedPercent: percentOf(savedThisMonth, spend + savedThisMonth),
      openMonthlySavingsUsd: nanoToUsd(openSavings),
      month: monthDay.slice(0, 7),
    },
  }
}

const notFound = () => new AppError('NOT_FOUND', 'No recommendation with this id in your team.', { field: 'id' })

async function lockOpen(trx: Db, team: TeamScope, id: string) {
  const rec = await recommendations.findRecommendation(trx, team.id, id, { forUpdate: true })
  if (!rec) throw notFound()
  if (rec.status !== 'open') {
    throw new AppError('CONFLICT', `This recommendation was ${rec.status} already.`, {
      field: 'id',
      details: { status: rec.status },
    })
  }
  return rec
}

/**
 * Apply: makes the change on the prompt as a new version (switch the model, set max output tokens, turn on
 * caching guidance), marks the recommendation applied and writes the audit row, in one transaction. From then on the prompt's runs
 * are measured against its cost per run before (realised savings).
 */
export async function applyRecommendation(db: Db, team: TeamScope, id: string, now = new Date()) {
  await db.transaction().execute(async (trx) => {
    const rec = await lockOpen(trx, team, id)
    if (!APPLICABLE_KINDS.includes(rec.kind) || !rec.promptId) {
      throw new AppError(
        'BAD_INPUT',
        `A ${rec.kind} recommendation has no automatic change; follow its steps, then dismiss it.`,
        { field: 'id' },
      )
    }
    const current = await prompts.findPrompt(trx, team.id, rec.promptId)
    if (!current)
      throw new AppError('NOT_FOUND', 'The prompt this recommendation is about was deleted.', { field: 'id' })
    const patch =
      rec.kind === 'cheaper_model'
        ? { model: rec.suggestedModel! }
        : rec.kind === 'max_tokens'
          ? { maxOutputTokens: rec.suggestedMaxOutputTokens! }
          : { caching: true }
    const changed = await changePromptIn(trx, team, rec.promptId, patch, { source: 'apply', recommendationId: rec.id })
    await recommendations.markApplied(trx, team.id, rec.id, {
      at: now,
      userId: team.userId,
      version: changed.version === current.version ? null : changed.version,
    })
    await audit.record(trx, {
      ...auditBy(team),
      action: 'recommendation.applied',
      target: { type: 'prompt', id: rec.promptId },
      before: Object.fromEntries(Object.keys(patch).map((k) => [k, current[k as keyof typeof patch]])),
      after: { ...patch, recommendationId: rec.id, kind: rec.kind, version: changed.version },
    })
  })
  return findView(db, team, id, now)
}

export async function dismissRecommendation(db: Db, team: TeamScope, id: string, now = new Date()) {
  await db.transaction().execute(async (trx) => {
    await lockOpen(trx, team, id)
    await recommendations.markDismissed(trx, team.id, id, now)
  })
  return findView(db, team, id, now)
}

export async function snoozeRecommendation(db: Db, team: TeamScope, id: string, days: number, now = new Date()) {
  await db.transaction().execute(async (trx) => {
    await lockOpen(trx, team, id)
    await recommendations.snooze(trx, team.id, id, new Date(now.getTime() + days * DAY_MS), now)
  })
  return findView(db, team, id, now)
}

/** A dismissed recommendation, back to open. */
export async function reopenRecommendation(db: Db, team: TeamScope, id: string, now = new Date()) {
  await db.transaction().execute(async (trx) => {
    const rec = await recommendations.findRecommendation(trx, team.id, id, { forUpdate: true })
    if (!rec) throw notFound()
    if (rec.status !== 'dismissed')
      throw new AppError('CONFLICT', `Only a dismissed recommendation can be reopened; this one is ${rec.status}.`, {
        field: 'id',
      })
    await recommendations.reopen(trx, team.id, id, now)
  })
  return findView(db, team, id, now)
}

async function findView(db: Db, team: TeamRef, id: string, now: Date): Promise<RecommendationView> {
  const list = await listRecommendationViews(db, team, { includeSnoozed: true }, now)
  const view = list.items.find((r) => r.id === id)
  if (!view) throw notFound()
  return view
}
