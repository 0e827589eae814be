import {
  calculateCost,
  localDayOf,
  nanoToUsd,
  periodWindow,
  rangeInstants,
  usdToNano,
  type PricingContext,
  type ServiceTier,
  type ToolCalls,
} from '@costwise/core'
import { budgets, teams, tracking, usage, type Db } from '@costwise/db'
import { loadTeamPricing } from './pricing'

export interface RepriceChange {
  team: string
  model: string
  rows: number
  beforeUsd: string
  afterUsd: string
}

export interface RepriceResult {
  examined: number
  /** Rows whose price (version or cost) changed. */
  changed: number
  /** Rows that were unpriced and now have a price. */
  repriced: number
  /** Rows that still (or now) have no price. */
  stillUnpriced: number
  /** Total cost after minus before, exact. */
  deltaUsd: string
  /** Per team and model: rows changed and their cost before and after. */
  changes: RepriceChange[]
  /** Teams whose rollups and budgets were restated. */
  teams: string[]
}

interface Options {
  teamId?: string
  /** Start (inclusive) and end (exclusive) of the window; all time when left out. */
  start?: Date
  end?: Date
  unpricedOnly?: boolean
  batchSize?: number
}

/**
 * Re-prices usage rows exactly: each row of the window is priced again with the team's prices as they are now
 * (catalogue, imported versions, custom prices, discounts, mappings) at the time the call was made. Rows whose
 * price version or cost changed are updated; then the daily and 15-minute rollups of the days they fall on are
 * rebuilt and every budget's spend in its current period is restated from the rows, so dashboards and budgets
 * agree with the rows to the nano-dollar. Running it twice changes nothing the second time.
 */
export async function repriceWindow(db: Db, options: Options = {}): Promise<RepriceResult> {
  const batchSize = options.batchSize ?? 1000
  const start = options.start ?? new Date(0)
  const end = options.end ?? new Date(Date.now() + 24 * 3_600_000)
  const result: RepriceResult = {
    examined: 0,
    changed: 0,
    repriced: 0,
    stillUnpriced: 0,
    deltaUsd: '0',
    changes: [],
    teams: [],
  }
  const touched = new Map<string, { min: Date; max: Date }>()
  const pricingByTeam = new Map<string, PricingContext>()
  const changes = new Map<string, { team: string; model: string; rows: number; before: bigint; after: bigint }>()
  let delta = 0n
  let after: { occurredAt: Date; id: string } | null = null
  for (;;) {
    const rows = await tracking.listUsageForRepricing(db, {
      teamId: options.teamId,
      start,
      end,
      limit: batchSize,
      after,
      unpricedOnly: options.unpricedOnly,
    })
    if (rows.length === 0) break
    const last = rows[rows.length - 1]!
    after = { occurredAt: last.occurred_at, id: last.id }
    const pending: {
      row: Parameters<typeof tracking.updateUsagePrice>[1]
      price: Parameters<typeof tracking.updateUsagePrice>[2]
    }[] = []
    for (const row of rows) {
      result.examined++
      let pricing = pricingByTeam.get(row.team_id)
      if (!pricing) {
        pricing = await loadTeamPricing(db, row.team_id)
        pricingByTeam.set(row.team_id, pricing)
      }
      const cost = calculateCost(
        row.model,
        {
          inputTokens: row.input_tokens,
          outputTokens: row.output_tokens,
          cachedInputTokens: row.cached_input_tokens,
          cacheWriteTokens: row.cache_write_tokens,
          reasoningTokens: row.reasoning_tokens,
          audioInputTokens: row.audio_input_tokens,
          imageInputTokens: row.image_input_tokens,
          toolCalls: (row.tool_calls ?? {}) as ToolCalls,
        },
        row.occurred_at,
        { ...pricing, batch: row.batch, serviceTier: (row.service_tier ?? 'default') as ServiceTier },
      )
      if (!cost.priced) result.stillUnpriced++
      const before = usdToNano(row.cost_usd)
      const same =
        cost.priced === row.priced &&
        (cost.versionId ?? null) === (row.price_version ?? null) &&
        cost.totalNano === before
      if (same) continue
      result.changed++
      if (cost.priced && !row.priced) result.repriced++
      delta += cost.totalNano - before
      const model = cost.model ?? row.resolved_model ?? row.model
      const key = `${row.team_id}|${model}`
      const change = changes.get(key) ?? { team: row.team_id, model, rows: 0, before: 0n, after: 0n }
      change.rows++
      change.before += before
      change.after += cost.totalNano
      changes.set(key, change)
      const span = touched.get(row.team_id)
      touched.set(row.team_id, {
        min: span && span.min < row.occurred_at ? span.min : row.occurred_at,
        max: span && span.max > row.occurred_at ? span.max : row.occurred_at,
      })
      pending.push({
        row: { teamId: row.team_id, occurredAt: row.occurred_at, id: row.id },
        price: {
          priced: cost.priced,
          resolvedModel: cost.model,
          priceVersion: cost.versionId,
          costUsd: nanoToUsd(cost.totalNano),
          unpricedReason: cost.unpricedReason,
        },
      })
    }
    if (pending.length) {
      await db.transaction().execute(async (trx) => {
        for (const p of pending) await tracking.updateUsagePrice(trx, p.row, p.price)
      })
    }
  }

  const slugs = new Map<string, string>()
  for (const [teamId, span] of touched) {
    const team = await teams.findTeamById(db, teamId)
    if (!team) continue
    slugs.set(teamId, team.slug)
    result.teams.push(team.slug)
    await db.transaction().execute(async (trx) => {
      const { start: first, end: last } = rangeInstants(
        { from: localDayOf(team.timeZone, span.min), to: localDayOf(team.timeZone, span.max) },
        team.timeZone,
      )
      await usage.rebuildRollups(trx, { teamId, timeZone: team.timeZone, start: first, end: last })
      const now = new Date()
      for (const budget of await budgets.listActiveBudgets(trx, teamId)) {
        const window = periodWindow(budget.period, now, budget.time_zone ?? team.timeZone)
        const scope = {
          scope: budget.scope,
          userId: budget.scope_user_id,
          apiKeyId: budget.scope_api_key_id,
          promptId: budget.scope_prompt_id,
        }
        const spent = await budgets.spendInWindow(trx, teamId, scope, window.start, window.end)
        await budgets.restateSpend(trx, budget.id, window.start, spent)
      }
    })
  }
  result.deltaUsd = nanoToUsd(delta)
  result.changes = [...changes.values()]
    .map((c) => ({
      team: slugs.get(c.team) ?? c.team,
      model: c.model,
      rows: c.rows,
      beforeUsd: nanoToUsd(c.before),
      afterUsd: nanoToUsd(c.after),
    }))
    .sort((a, b) => a.team.localeCompare(b.team) || a.model.localeCompare(b.model))
  return result
}

/**
 * Prices usage rows recorded before their model had a price (a new model, an imported price, a team's custom
 * price or mapping added later), then rebuilds the rollups of the days they fall on and restates the budgets'
 * current spend. Rows still without a price stay unpriced.
 */
export async function repriceUnpriced(
  db: Db,
  options: { teamId?: string; batchSize?: number } = {},
): Promise<RepriceResult> {
  return repriceWindow(db, { ...options, unpricedOnly: true })
}
