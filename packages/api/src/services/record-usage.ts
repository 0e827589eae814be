import { createHash, randomUUID } from 'node:crypto'
import { AppError, calculateCost, localDayOf, nanoToUsd, periodWindow, resolveModel, usdToNano } from '@costwise/core'
import { budgetApplies } from '@costwise/core/budgets/scope'
import { budgets, tracking, usage, type Db, type NewUsageLog, type UsageBudget } from '@costwise/db'
import { teamPricing } from './pricing'
import type { TeamScope } from '../trpc'
import { raiseCrossedAlerts } from './budget-alerts'
import { toBudgetStatus } from './budget-status'
import type { BudgetStatus, TrackBatchResult, TrackEvent, TrackResult } from './tracking.types'
import { assertModelsAllowed } from './model-access'
import { costCentersByCode } from './cost-center-codes'

const FUTURE_SLACK_MS = 5 * 60_000
/**
 * The first instant an event of this team may carry: the start of the UTC month its retention reaches back to.
 * Older usage would be archived (or is gone) already; year 1 or 1970 is a bug in the caller, not a call.
 */
function oldestAllowed(team: TeamScope, now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - team.retentionMonths, 1))
}

/** JSON with object keys sorted, so the same event always hashes the same (metadata is at most 10 deep). */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/** SHA-256 of the event as sent (without its key): what a reused idempotency key is compared by. */
function requestHash(event: TrackEvent): string {
  const { idempotencyKey: _key, ...rest } = event
  return createHash('sha256').update(canonicalJson(rest)).digest('hex')
}

function keyReused(field: string, key: string): AppError {
  return new AppError(
    'IDEMPOTENCY_KEY_REUSED',
    `${field}: "${key.length > 60 ? `${key.slice(0, 60)}…` : key}" was already used for a different event. Send a new key for a new event, or resend the original event unchanged.`,
    { field },
  )
}

export interface Prepared {
  index: number
  event: TrackEvent
  row: NewUsageLog & { id: string }
  costNano: bigint
  /** Set for events with an idempotency key. */
  hash?: string
  /** Where the idempotency key sits in the caller's own request (`idempotencyKey`, or `events.3.idempotencyKey`). */
  keyField?: string
  /** Set when an earlier event of the same batch carries the same key. */
  duplicateOf?: number
}

function budgetWindow(budget: UsageBudget, teamTimeZone: string, now: Date) {
  return periodWindow(budget.period, now, budget.time_zone ?? teamTimeZone)
}

function scopeOf(b: UsageBudget) {
  return { scope: b.scope, userId: b.scope_user_id, apiKeyId: b.scope_api_key_id, promptId: b.scope_prompt_id }
}

/** The 15-minute slot of a timestamp (UTC-aligned, like the rollup's `date_bin`). */
function slotOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 900_000) * 900_000)
}

/**
 * Records usage events for a team: validates references, prices each event on the server (the caller never
 * sets a cost), and in ONE transaction writes the rows, claims idempotency keys, adds to the daily and 15-minute
 * rollups, settles reservations, charges the budgets that apply and creates alerts for thresholds crossed,
 * enqueuing their notification jobs. A retried event (same idempotency key) returns the first result with
 * `duplicate: true` and counts nothing twice. Unknown models are recorded unpriced and reported back.
 */
export async function recordUsage(
  db: Db,
  team: TeamScope,
  events: TrackEvent[],
  now = new Date(),
): Promise<TrackResult[]> {
  if (events.length === 0) return []
  const prepared = await prepareUsage(db, team, events, now)
  return (await commitUsage(db, team, [prepared], now))[0]!
}

/** A batch's results with each budget's status once, at the top (see `trackBatchResultSchema`). */
export function toBatchResult(results: TrackResult[]): TrackBatchResult {
  const budgets = new Map<string, BudgetStatus>()
  return {
    results: results.map(({ budgets: applicable, ...result }) => {
      for (const status of applicable) budgets.set(status.id, status)
      return { ...result, budgetIds: applicable.map((b) => b.id) }
    }),
    budgets: [...budgets.values()],
  }
}

/**
 * Checks and prices one caller's events (references in the team, allowed models, times) without writing:
 * throws the caller's own error (naming `events.N.field` in a batch). The rows carry the caller's identity.
 */
export async function prepareUsage(
  db: Db,
  team: TeamScope,
  events: TrackEvent[],
  now = new Date(),
  /** The team's prompt and member ids among those the events name, when the caller looked them up already. */
  known?: KnownReferences,
): Promise<Prepared[]> {
  assertModelsAllowed(
    team,
    events.map((e) => e.model),
  )

  // References must belong to the caller's team.
  const centerCodes = [...new Set(events.flatMap((e) => (e.costCenter ? [e.costCenter] : [])))]
  const [{ prompts: knownPrompts, users: knownUsers }, pricing, centers] = await Promise.all([
    known ?? lookUpReferences(db, team.id, [events]),
    teamPricing(db, team.id),
    costCentersByCode(db, team.id, centerCodes),
  ])
  const prepared: Prepared[] = []
  const firstByKey = new Map<string, number>()
  const oldest = oldestAllowed(team, now)
  const fieldOf = (index: number, name: string) => (events.length > 1 ? `events.${index}.${name}` : name)
  events.forEach((event, index) => {
    const at = event.occurredAt ? new Date(event.occurredAt) : now
    const field = (name: string) => fieldOf(index, name)
    if (Number.isNaN(at.getTime()) || at < oldest) {
      throw new AppError(
        'BAD_INPUT',
        `${field('occurredAt')}: must be on or after ${oldest.toISOString()} (your team keeps usage ${team.retentionMonths} months).`,
        { field: field('occurredAt') },
      )
    }
    if (at.getTime() > now.getTime() + FUTURE_SLACK_MS) {
      throw new AppError('BAD_INPUT', `${field('occurredAt')} is in the future; send the time the call happened.`, {
        field: field('occurredAt'),
      })
    }
    if (event.promptId && !knownPrompts.has(event.promptId)) {
      throw new AppError('BAD_INPUT', `${field('promptId')}: no prompt with this id in your team.`, {
        field: field('promptId'),
      })
    }
    if (event.userId && !knownUsers.has(event.userId)) {
      throw new AppError('BAD_INPUT', `${field('userId')}: this user is not a member of your team.`, {
        field: field('userId'),
      })
    }
    const center = event.costCenter ? centers.get(event.costCenter) : undefined
    if (event.costCenter && (!center || center.archived)) {
      const why = center ? 'is archived' : 'is not one of your team’s cost centres'
      throw new AppError(
        'BAD_INPUT',
        `${field('costCenter')}: "${event.costCenter}" ${why}; send the code of an active cost centre (Team → Cost centres).`,
        {
          field: field('costCenter'),
        },
      )
    }
    const tokens = {
      inputTokens: event.inputTokens,
      outputTokens: event.outputTokens,
      cachedInputTokens: event.cachedInputTokens ?? 0,
      cacheWriteTokens: event.cacheWriteTokens ?? 0,
      reasoningTokens: event.reasoningTokens ?? 0,
      audioInputTokens: event.audioInputTokens ?? 0,
      imageInputTokens: event.imageInputTokens ?? 0,
      toolCalls: event.toolCalls ?? {},
    }
    const cost = calculateCost(event.model, tokens, at, {
      ...pricing,
      batch: event.batch ?? false,
      serviceTier: event.serviceTier,
    })
    const provider = cost.provider ?? resolveModel(event.model)?.provider ?? event.provider ?? 'unknown'
    const id = randomUUID()
    const row: NewUsageLog & { id: string } = {
      id,
      team_id: team.id,
      occurred_at: at,
      idempotency_key: event.idempotencyKey ?? null,
      user_id: event.userId ?? team.userId,
      api_key_id: team.apiKeyId,
      prompt_id: event.promptId ?? null,
      reservation_id: event.reservationId ?? null,
      provider,
      model: event.model,
      resolved_model: cost.model,
      price_version: cost.versionId,
      priced: cost.priced,
      feature: event.feature ?? (team.apiKeyId ? 'api' : 'other'),
      status: event.status ?? 'ok',
      input_tokens: tokens.inputTokens,
      output_tokens: tokens.outputTokens,
      cached_input_tokens: tokens.cachedInputTokens,
      cache_write_tokens: tokens.cacheWriteTokens,
      reasoning_tokens: tokens.reasoningTokens,
      audio_input_tokens: tokens.audioInputTokens,
      image_input_tokens: tokens.imageInputTokens,
      service_tier: event.serviceTier ?? null,
      batch: event.batch ?? false,
      tool_calls: JSON.stringify(tokens.toolCalls),
      unpriced_reason: cost.unpricedReason,
      cost_usd: nanoToUsd(cost.totalNano),
      latency_ms: event.latencyMs ?? null,
      metadata: event.metadata ?? {},
      tags: event.tags ?? {},
      cost_center_id: center?.id ?? null,
    }
    const item: Prepared = { index, event, row, costNano: cost.totalNano }
    if (event.idempotencyKey) {
      item.hash = requestHash(event)
      item.keyField = field('idempotencyKey')
      const first = firstByKey.get(event.idempotencyKey)
      if (first !== undefined) {
        if (prepared[first]!.hash !== item.hash) throw keyReused(field('idempotencyKey'), event.idempotencyKey)
        item.duplicateOf = first
      } else firstByKey.set(event.idempotencyKey, index)
    }
    prepared.push(item)
  })
  return prepared
}

export interface KnownReferences {
  prompts: Set<string>
  users: Set<string>
}

/** Which prompt and user ids named by these events belong to the team (two queries, whatever the count). */
export async function lookUpReferences(db: Db, teamId: string, eventLists: TrackEvent[][]): Promise<KnownReferences> {
  const events = eventLists.flat()
  const promptIds = [...new Set(events.flatMap((e) => (e.promptId ? [e.promptId] : [])))]
  const userIds = [...new Set(events.flatMap((e) => (e.userId ? [e.userId] : [])))]
  const [prompts, users] = await Promise.all([
    tracking.teamPromptIds(db, teamId, promptIds),
    tracking.teamMemberIds(db, teamId, userIds),
  ])
  return { prompts, users }
}

/**
 * Writes prepared events of one team — one caller's, or several callers' gathered by group commit — in ONE
 * transaction, and answers each caller's events in order. Idempotency keys are claimed across the whole
 * group (a key sent by two callers at once is recorded once; the second gets `duplicate: true`).
 */
export async function commitUsage(
  db: Db,
  team: Pick<TeamScope, 'id' | 'timeZone'>,
  callers: Prepared[][],
  now = new Date(),
): Promise<TrackResult[][]> {
  // One list with group-wide indices; a key seen earlier in the group makes a later event its duplicate.
  const prepared: Prepared[] = []
  const firstByKey = new Map<string, number>()
  for (const list of callers) {
    const offset = prepared.length
    for (const p of list) {
      const index = offset + p.index
      const item: Prepared = {
        ...p,
        index,
        duplicateOf: p.duplicateOf === undefined ? undefined : offset + p.duplicateOf,
      }
      const key = p.event.idempotencyKey
      if (key && item.duplicateOf === undefined) {
        const first = firstByKey.get(key)
        // Another caller of the group sent this key for a different event: refused (the group then retries each
        // caller alone, so only the one that reused the key gets the error).
        if (first !== undefined && prepared[first]!.hash !== item.hash)
          throw keyReused(item.keyField ?? 'idempotencyKey', key)
        if (first !== undefined) item.duplicateOf = first
        else firstByKey.set(key, index)
      }
      prepared.push(item)
    }
  }

  const results = await db.transaction().execute(async (trx) => {
    // 1. Idempotency: claim keys; events whose key was claimed earlier are answered from the first row.
    const keyed = prepared.filter((p) => p.event.idempotencyKey && p.duplicateOf === undefined)
    const claimed = await tracking.claimIdempotencyKeys(
      trx,
      team.id,
      keyed.map((p) => ({
        key: p.event.idempotencyKey!,
        usageLogId: p.row.id,
        occurredAt: p.row.occurred_at as Date,
        requestHash: p.hash!,
      })),
    )
    const earlierKeys = keyed.filter((p) => !claimed.has(p.event.idempotencyKey!)).map((p) => p.event.idempotencyKey!)
    const earlier = new Map(
      (await tracking.findUsageByKeys(trx, team.id, earlierKeys)).map((r) => [r.idempotencyKey, r]),
    )
    // A key first used for another event: refuse (the transaction rolls back; nothing of this call is kept).
    for (const p of keyed) {
      const previous = earlier.get(p.event.idempotencyKey!)
      if (previous?.requestHash && previous.requestHash !== p.hash)
        throw keyReused(p.keyField ?? 'idempotencyKey', p.event.idempotencyKey!)
    }
    const fresh = prepared.filter(
      (p) => p.duplicateOf === undefined && (!p.event.idempotencyKey || claimed.has(p.event.idempotencyKey)),
    )

    // 2. The rows and the rollups.
    await usage.insertUsageRows(
      trx,
      fresh.map((p) => p.row),
    )
    // The local day of each event, computed once per 15-minute slot (every zone's day starts on a slot).
    const dayOfSlot = new Map<number, string>()
    const localDay = (at: Date) => {
      const slot = slotOf(at).getTime()
      let day = dayOfSlot.get(slot)
      if (day === undefined) {
        day = localDayOf(team.timeZone, at)
        dayOfSlot.set(slot, day)
      }
      return day
    }
    await tracking.addToRollup(trx, 'daily', rollupDeltas(fresh, localDay))
    await tracking.addToRollup(trx, '15min', rollupDeltas(fresh, slotOf))

    // 3. Reservations: release what they set aside; their budgets are charged the actual cost below.
    const reservationIds = [...new Set(fresh.flatMap((p) => (p.event.reservationId ? [p.event.reservationId] : [])))]
    const held = await budgets.lockHeldReservations(trx, team.id, reservationIds)
    const releaseByBudget = new Map<string, { amount: bigint; periodStart: Date }[]>()
    for (const r of held) {
      for (const item of r.items) {
        const list = releaseByBudget.get(item.budget_id) ?? []
        list.push({ amount: usdToNano(item.amount_usd), periodStart: item.period_start })
        releaseByBudget.set(item.budget_id, list)
      }
    }
    const actualByReservation = new Map<string, { cost: bigint; usageLogId: string }>()
    for (const p of fresh) {
      if (!p.event.reservationId) continue
      const prev = actualByReservation.get(p.event.reservationId)
      actualByReservation.set(p.event.reservationId, {
        cost: (prev?.cost ?? 0n) + p.costNano,
        usageLogId: prev?.usageLogId ?? p.row.id,
      })
    }
    await budgets.markReservations(
      trx,
      held.map((r) => {
        const actual = actualByReservation.get(r.id)
        return {
          id: r.id,
          status: 'settled' as const,
          actualUsd: actual ? nanoToUsd(actual.cost) : null,
          usageLogId: actual?.usageLogId ?? null,
        }
      }),
    )

    // 4. Budgets, last and in one statement: the hot rows stay locked only until the commit that follows.
    const active = await budgets.listActiveBudgets(trx, team.id)
    const charges: { budget: UsageBudget; id: string; currentStart: Date; spentUsd: string; releaseUsd: string }[] = []
    for (const budget of active) {
      const window = budgetWindow(budget, team.timeZone, now)
      const inWindow = (at: Date) => at >= window.start && (window.end === null || at < window.end)
      let spend = 0n
      let covers = false
      for (const p of fresh) {
        if (
          !budgetApplies(scopeOf(budget), {
            userId: p.row.user_id ?? null,
            apiKeyId: p.row.api_key_id ?? null,
            promptId: p.row.prompt_id ?? null,
          })
        )
          continue
        covers = true
        if (inWindow(p.row.occurred_at as Date)) spend += p.costNano
      }
      const releases = (releaseByBudget.get(budget.id) ?? []).filter(
        (r) => r.periodStart.getTime() === window.start.getTime(),
      )
      const release = releases.reduce((s, r) => s + r.amount, 0n)
      if (!covers && release === 0n) continue
      charges.push({
        budget,
        id: budget.id,
        currentStart: window.start,
        spentUsd: nanoToUsd(spend),
        releaseUsd: nanoToUsd(release),
      })
    }
    const states = await budgets.chargeBudgets(trx, charges)
    const statusByBudget = new Map<string, BudgetStatus>()
    for (const [i, state] of states.entries()) {
      const budget = charges[i]!.budget
      statusByBudget.set(budget.id, toBudgetStatus(state))

      // 5. Alerts for thresholds this charge crossed, notified by jobs enqueued in this same transaction.
      await raiseCrossedAlerts(trx, {
        teamId: team.id,
        budgetId: budget.id,
        periodStart: state.periodStart,
        thresholds: state.thresholds,
        limitUsd: state.limitUsd,
        spentBeforeUsd: state.spentBeforeUsd,
        spentUsd: state.spentUsd,
      })
    }

    // 6. One result per event, in order.
    const byIndex = new Map(prepared.map((p) => [p.index, p]))
    return prepared.map((p): TrackResult => {
      const source = p.duplicateOf !== undefined ? byIndex.get(p.duplicateOf)! : p
      const key = source.event.idempotencyKey
      const previous = key && !claimed.has(key) ? earlier.get(key) : undefined
      if (previous) {
        return {
          id: previous.id,
          costUsd: nanoToUsd(usdToNano(previous.costUsd)),
          duplicate: true,
          unpriced: !previous.priced,
          model: null,
          priceVersion: null,
          unpricedReason: null,
          budgets: [],
        }
      }
      const applicable = active
        .filter((b) =>
          budgetApplies(scopeOf(b), {
            userId: source.row.user_id ?? null,
            apiKeyId: source.row.api_key_id ?? null,
            promptId: source.row.prompt_id ?? null,
          }),
        )
        .flatMap((b) => statusByBudget.get(b.id) ?? [])
      return {
        id: source.row.id,
        costUsd: nanoToUsd(source.costNano),
        duplicate: p.duplicateOf !== undefined,
        unpriced: !source.row.priced,
        model: source.row.resolved_model ?? null,
        priceVersion: source.row.price_version ?? null,
        unpricedReason: source.row.unpriced_reason ?? null,
        budgets: applicable,
      }
    })
  })
  const answers: TrackResult[][] = []
  let at = 0
  for (const list of callers) {
    answers.push(results.slice(at, at + list.length))
    at += list.length
  }
  return answers
}

function rollupDeltas(rows: Prepared[], bucketOf: (at: Date) => string | Date): tracking.RollupDelta[] {
  const map = new Map<string, tracking.RollupDelta & { costNano: bigint }>()
  for (const { row, costNano } of rows) {
    const bucket = bucketOf(row.occurred_at as Date)
    const key = [
      typeof bucket === 'string' ? bucket : bucket.toISOString(),
      row.model,
      row.provider,
      row.prompt_id,
      row.user_id,
      row.api_key_id,
      row.feature,
      row.status,
      row.cost_center_id,
    ].join('|')
    const d = map.get(key) ?? {
      teamId: row.team_id,
      bucket,
      model: row.model,
      provider: row.provider,
      promptId: row.prompt_id ?? null,
      userId: row.user_id ?? null,
      apiKeyId: row.api_key_id ?? null,
      feature: row.feature ?? 'api',
      status: row.status ?? 'ok',
      costCenterId: row.cost_center_id ?? null,
      runs: 0,
      inputTokens: 0n,
      outputTokens: 0n,
      cachedInputTokens: 0n,
      cacheWriteTokens: 0n,
      reasoningTokens: 0n,
      costUsd: '0',
      costNano: 0n,
      latencyMsSum: 0n,
      unpricedRuns: 0,
    }
    d.runs += 1
    d.inputTokens += BigInt(row.input_tokens)
    d.outputTokens += BigInt(row.output_tokens)
    d.cachedInputTokens += BigInt(row.cached_input_tokens ?? 0)
    d.cacheWriteTokens += BigInt(row.cache_write_tokens ?? 0)
    d.reasoningTokens += BigInt(row.reasoning_tokens ?? 0)
    d.costNano += costNano
    d.latencyMsSum += BigInt(row.latency_ms ?? 0)
    if (!row.priced) d.unpricedRuns += 1
    map.set(key, d)
  }
  return [...map.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, { costNano, ...d }]) => ({ ...d, costUsd: nanoToUsd(costNano) }))
}
