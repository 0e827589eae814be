import type { UsageSlice } from '@costwise/core'
import { sql } from 'kysely'
import type { Db } from '../client'
import type { RecommendationKind, RecommendationStatus } from '../schema'

type Executor = Db

// ── What the engine reads ────────────────────────────────────────────────────────────────────────────────

/** A slice (core's `UsageSlice`) as the database answers it: the count and the cost as text, converted by the caller. */
export type UsageSliceRow = Omit<UsageSlice, 'toolCalls' | 'runs' | 'costNano'> & {
  toolCalls: Record<string, number>
  runs: string
  costUsd: string
}

/**
 * The team's usage rows over [from, to), counted together where they price identically: same prompt, key,
 * feature, model, status, UTC day, token counts, processing tier, batch flag and tool calls (the raw log, because
 * exact re-pricing needs each row's usage; grouping keeps repeated shapes to one line). Sums are exact numeric.
 */
export async function usageSlices(db: Executor, teamId: string, from: Date, to: Date): Promise<UsageSliceRow[]> {
  const { rows } = await sql<UsageSliceRow>`
    select prompt_id as "promptId", api_key_id as "apiKeyId", feature, model, status, priced,
      to_char((occurred_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day,
      input_tokens as "inputTokens", output_tokens as "outputTokens", cached_input_tokens as "cachedInputTokens",
      cache_write_tokens as "cacheWriteTokens", reasoning_tokens as "reasoningTokens",
      audio_input_tokens as "audioInputTokens", image_input_tokens as "imageInputTokens",
      service_tier as "serviceTier", batch, tool_calls as "toolCalls",
      count(*)::text as runs, sum(cost_usd)::text as "costUsd"
    from token_usage_logs
    where team_id = ${teamId} and occurred_at >= ${from} and occurred_at < ${to}
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17`.execute(db)
  return rows
}

export interface BlockedRunRow {
  promptId: string
  model: string
  occurredAt: Date
  metadata: Record<string, unknown>
}

/** Runs of saved prompts that a hard budget refused, with the refusal's details (kept in the row's metadata). */
export async function blockedPromptRuns(db: Executor, teamId: string, from: Date, to: Date): Promise<BlockedRunRow[]> {
  const rows = await db
    .selectFrom('token_usage_logs')
    .select(['prompt_id', 'model', 'occurred_at', 'metadata'])
    .where('team_id', '=', teamId)
    .where('status', '=', 'blocked')
    .where('prompt_id', 'is not', null)
    .where('occurred_at', '>=', from)
    .where('occurred_at', '<', to)
    .orderBy('occurred_at')
    .limit(10_000)
    .execute()
  return rows.map((r) => ({ promptId: r.prompt_id!, model: r.model, occurredAt: r.occurred_at, metadata: r.metadata }))
}

/** Calls per 15-minute slot for each API key and model (the `api` feature), from the 15-minute rollup. */
export async function apiKeySlotRuns(db: Executor, teamId: string, from: Date, to: Date) {
  const { rows } = await sql<{ apiKeyId: string; model: string; slotRuns: string[] }>`
    select api_key_id as "apiKeyId", model, array_agg(runs::text order by slot) as "slotRuns"
    from (
      select api_key_id, model, slot, sum(runs) as runs
      from usage_rollup_15min
      where team_id = ${teamId} and slot >= ${from} and slot < ${to} and api_key_id is not null and feature = 'api'
      group by 1, 2, 3
    ) s
    group by 1, 2`.execute(db)
  return rows.map((r) => ({ apiKeyId: r.apiKeyId, model: r.model, slotRuns: r.slotRuns.map(Number) }))
}

// ── Stored recommendations ───────────────────────────────────────────────────────────────────────────────

export interface RecommendationValues {
  kind: RecommendationKind
  fingerprint: string
  promptId: string | null
  apiKeyId: string | null
  model: string | null
  suggestedModel: string | null
  suggestedMaxOutputTokens: number | null
  monthlySavingsUsd: string
  evidence: Record<string, unknown>
  baselineCostUsd: string | null
  baselineRuns: number | null
}

/** Serialises refreshes of one team (two at once would race on the same fingerprints). */
export async function lockTeamRecommendations(db: Executor, teamId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`recommendations:${teamId}`}, 0))`.execute(db)
}

/**
 * Writes what a refresh found: a new fingerprint becomes an open recommendation; an open one gets the new
 * figures; applied and dismissed ones keep their state (and their figures from when they were decided).
 * Open recommendations the refresh no longer finds are removed. Call inside a transaction.
 */
export async function replaceOpenRecommendations(
  db: Executor,
  teamId: string,
  found: RecommendationValues[],
  now: Date,
): Promise<void> {
  for (const r of found) {
    await db
      .insertInto('recommendations')
      .values({
        team_id: teamId,
        kind: r.kind,
        fingerprint: r.fingerprint,
        prompt_id: r.promptId,
        api_key_id: r.apiKeyId,
        model: r.model,
        suggested_model: r.suggestedModel,
        suggested_max_output_tokens: r.suggestedMaxOutputTokens,
        monthly_savings_usd: r.monthlySavingsUsd,
        evidence: JSON.stringify(r.evidence),
        baseline_cost_usd: r.baselineCostUsd,
        baseline_runs: r.baselineRuns,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc
          .columns(['team_id', 'fingerprint'])
          .doUpdateSet((eb) => ({
            suggested_model: eb.ref('excluded.suggested_model'),
            suggested_max_output_tokens: eb.ref('excluded.suggested_max_output_tokens'),
            monthly_savings_usd: eb.ref('excluded.monthly_savings_usd'),
            evidence: eb.ref('excluded.evidence'),
            baseline_cost_usd: eb.ref('excluded.baseline_cost_usd'),
            baseline_runs: eb.ref('excluded.baseline_runs'),
            updated_at: now,
          }))
          .where('recommendations.status', '=', 'open'),
      )
      .execute()
  }
  let stale = db.deleteFrom('recommendations').where('team_id', '=', teamId).where('status', '=', 'open')
  if (found.length > 0)
    stale = stale.where(
      'fingerprint',
      'not in',
      found.map((r) => r.fingerprint),
    )
  await stale.execute()
}

const recommendationColumns = [
  'r.id',
  'r.kind',
  'r.status',
  'r.fingerprint',
  'r.prompt_id as promptId',
  'p.name as promptName',
  'r.api_key_id as apiKeyId',
  'k.name as apiKeyName',
  'r.model',
  'r.suggested_model as suggestedModel',
  'r.suggested_max_output_tokens as suggestedMaxOutputTokens',
  'r.monthly_savings_usd as monthlySavingsUsd',
  'r.evidence',
  'r.baseline_cost_usd as baselineCostUsd',
  'r.baseline_runs as baselineRuns',
  'r.snoozed_until as snoozedUntil',
  'r.applied_at as appliedAt',
  'r.applied_by as appliedBy',
  'r.applied_version as appliedVersion',
  'r.dismissed_at as dismissedAt',
  'r.created_at as createdAt',
  'r.updated_at as updatedAt',
] as const

function selectRecommendations(db: Executor) {
  return db
    .selectFrom('recommendations as r')
    .leftJoin('prompts as p', (j) => j.onRef('p.id', '=', 'r.prompt_id').onRef('p.team_id', '=', 'r.team_id'))
    .leftJoin('api_keys as k', 'k.id', 'r.api_key_id')
    .select(recommendationColumns)
}

export type RecommendationRow = Awaited<ReturnType<ReturnType<typeof selectRecommendations>['executeTakeFirstOrThrow']>>

/**
 * A team's recommendations, the largest savings first. `status` filters; snoozed open ones are left out
 * unless `includeSnoozed`.
 */
export async function listRecommendations(
  db: Executor,
  teamId: string,
  options: { status?: RecommendationStatus[]; includeSnoozed?: boolean; now: Date; limit?: number },
): Promise<RecommendationRow[]> {
  let query = selectRecommendations(db).where('r.team_id', '=', teamId)
  if (options.status?.length) query = query.where('r.status', 'in', options.status)
  if (!options.includeSnoozed)
    query = query.where((eb) => eb.or([eb('r.snoozed_until', 'is', null), eb('r.snoozed_until', '<=', options.now)]))
  return query
    .orderBy('r.monthly_savings_usd', 'desc')
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id')
    .limit(options.limit ?? 200)
    .execute()
}

export async function findRecommendation(
  db: Executor,
  teamId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
) {
  let query = selectRecommendations(db).where('r.team_id', '=', teamId).where('r.id', '=', id)
  if (options.forUpdate) query = query.forUpdate('r')
  return query.executeTakeFirst()
}

export async function markApplied(
  db: Executor,
  teamId: string,
  id: string,
  input: { at: Date; userId: string | null; version: number | null },
): Promise<void> {
  await db
    .updateTable('recommendations')
    .set({
      status: 'applied',
      applied_at: input.at,
      applied_by: input.userId,
      applied_version: input.version,
      snoozed_until: null,
      updated_at: input.at,
    })
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .execute()
}

export async function markDismissed(db: Executor, teamId: string, id: string, at: Date): Promise<void> {
  await db
    .updateTable('recommendations')
    .set({ status: 'dismissed', dismissed_at: at, snoozed_until: null, updated_at: at })
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .execute()
}

export async function snooze(db: Executor, teamId: string, id: string, until: Date, at: Date): Promise<void> {
  await db
    .updateTable('recommendations')
    .set({ snoozed_until: until, updated_at: at })
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .execute()
}

/** Back to open (a dismissed one reconsidered, or an applied one whose change was reverted). */
export async function reopen(db: Executor, teamId: string, id: string, at: Date): Promise<void> {
  await db
    .updateTable('recommendations')
    .set({
      status: 'open',
      applied_at: null,
      applied_by: null,
      applied_version: null,
      dismissed_at: null,
      snoozed_until: null,
      updated_at: at,
    })
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .execute()
}

// ── Realised savings ────────────────────────────────────────────────────────────────────────────────────

export interface RealisedRow {
  id: string
  runs: string
  costUsd: string
}

/**
 * For each applied recommendation with a baseline, the prompt's billed runs (ok or failed) and their cost in
 * [max(applied_at, from), min(next applied change on the same prompt, to)): each run after an Apply is measured
 * against the latest Apply before it, so two Applies on one prompt never count a run twice.
 */
export async function runsSinceApplied(
  db: Executor,
  teamId: string,
  kinds: readonly RecommendationKind[],
  from: Date,
  to: Date,
): Promise<RealisedRow[]> {
  if (kinds.length === 0) return []
  const { rows } = await sql<RealisedRow>`
    with applied as (
      select id, prompt_id, applied_at,
        lead(applied_at) over (partition by prompt_id order by applied_at, id) as superseded_at
      from recommendations
      where team_id = ${teamId} and status = 'applied' and prompt_id is not null
        and kind = any(${kinds as RecommendationKind[]}::text[]) and baseline_runs > 0
    )
    select a.id, count(u.id)::text as runs, coalesce(sum(u.cost_usd), 0)::text as "costUsd"
    from applied a
    left join token_usage_logs u on u.team_id = ${teamId} and u.prompt_id = a.prompt_id
      and u.status in ('ok', 'error')
      and u.occurred_at >= greatest(a.applied_at, ${from}::timestamptz)
      and u.occurred_at < least(coalesce(a.superseded_at, 'infinity'::timestamptz), ${to}::timestamptz)
    group by a.id`.execute(db)
  return rows
}

// ── Efficiency scores ───────────────────────────────────────────────────────────────────────────────────

export async function replaceScores(
  db: Executor,
  teamId: string,
  scores: { promptId: string; score: number; components: Record<string, number>; runs: number }[],
  now: Date,
): Promise<void> {
  await db.deleteFrom('prompt_scores').where('team_id', '=', teamId).execute()
  if (scores.length === 0) return
  await db
    .insertInto('prompt_scores')
    .values(
      scores.map((s) => ({
        team_id: teamId,
        prompt_id: s.promptId,
        score: s.score,
        components: JSON.stringify(s.components),
        runs: s.runs,
        computed_at: now,
      })),
    )
    .execute()
}

export async function listScores(db: Executor, teamId: string, promptIds?: string[]) {
  let query = db
    .selectFrom('prompt_scores')
    .select(['prompt_id', 'score', 'components', 'runs', 'computed_at'])
    .where('team_id', '=', teamId)
  if (promptIds) {
    if (promptIds.length === 0) return []
    query = query.where('prompt_id', 'in', promptIds)
  }
  const rows = await query.execute()
  return rows.map((r) => ({
    promptId: r.prompt_id,
    score: r.score,
    components: r.components,
    runs: r.runs,
    computedAt: r.computed_at,
  }))
}
