import { calculateCost, nanoToUsd, periodWindow } from '@costwise/core'
import { budgets, prices, teams, tracking, usage, type Db } from '@costwise/db'
import { DateTime } from 'luxon'

export interface RepriceResult {
  examined: number
  repriced: number
  stillUnpriced: number
  teams: string[]
}

/**
 * Prices usage rows recorded before their model had a price (a new model, or a team's custom price added
 * later), then rebuilds the rollups of the days they fall on and restates the budgets' current spend —
 * so dashboards and budgets see the new costs. Rows still without a price stay unpriced.
 */
export async function repriceUnpriced(db: Db, options: { teamId?: string; batchSize?: number } = {}): Promise<RepriceResult> {
  const batchSize = options.batchSize ?? 1000
  const result: RepriceResult = { examined: 0, repriced: 0, stillUnpriced: 0, teams: [] }
  const touched = new Map<string, { min: Date; max: Date }>()
  const overridesByTeam = new Map<string, Awaited<ReturnType<typeof prices.listTeamPriceOverrides>>>()
  let after: { occurredAt: Date; id: string } | null = null
  for (;;) {
    const rows = await tracking.listUnpricedUsage(db, { teamId: options.teamId, limit: batchSize, after })
    if (rows.length === 0) break
    const last = rows[rows.length - 1]!
    after = { occurredAt: last.occurred_at, id: last.id }
    for (const row of rows) {
      result.examined++
      let overrides = overridesByTeam.get(row.team_id)
      if (!overrides) {
        overrides = await prices.listTeamPriceOverrides(db, row.team_id)
        overridesByTeam.set(row.team_id, overrides)
      }
      const cost = calculateCost(
        row.model,
        {
          inputTokens: row.input_tokens,
          outputTokens: row.output_tokens,
          cachedInputTokens: row.cached_input_tokens,
          cacheWriteTokens: row.cache_write_tokens,
          reasoningTokens: row.reasoning_tokens,
        },
        row.occurred_at,
        { overrides },
      )
      if (!cost.priced || !cost.versionId) {
        result.stillUnpriced++
        continue
      }
      await tracking.setUsagePrice(
        db,
        { teamId: row.team_id, occurredAt: row.occurred_at, id: row.id },
        { resolvedModel: cost.model, priceVersion: cost.versionId, costUsd: nanoToUsd(cost.totalNano) },
      )
      result.repriced++
      const span = touched.get(row.team_id)
      touched.set(row.team_id, {
        min: span && span.min < row.occurred_at ? span.min : row.occurred_at,
        max: span && span.max > row.occurred_at ? span.max : row.occurred_at,
      })
    }
  }
  for (const [teamId, span] of touched) {
    const team = await teams.findTeamById(db, teamId)
    if (!team) continue
    result.teams.push(team.slug)
    const start = DateTime.fromJSDate(span.min, { zone: team.timeZone }).startOf('day').toJSDate()
    const end = DateTime.fromJSDate(span.max, { zone: team.timeZone }).startOf('day').plus({ days: 1 }).toJSDate()
    await usage.rebuildRollups(db, { teamId, timeZone: team.timeZone, start, end })
    const now = new Date()
    for (const budget of await budgets.listActiveBudgets(db, teamId)) {
      const window = periodWindow(budget.period, now, budget.time_zone ?? team.timeZone)
      const scope = { scope: budget.scope, userId: budget.scope_user_id, apiKeyId: budget.scope_api_key_id, promptId: budget.scope_prompt_id }
      const spent = await budgets.spendInWindow(db, teamId, scope, window.start, window.end)
      await budgets.restateSpend(db, budget.id, window.start, spent)
    }
  }
  return result
}
