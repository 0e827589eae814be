import {
  addDays,
  forecastPeriod,
  isValidTimeZone,
  suggestBudgetLimit,
  SUGGESTION_LOOKBACK,
  type BudgetPeriod,
  nanoToUsd,
  periodKey,
  periodWindow,
  usdToNano,
  type DailyTotal,
  type PeriodForecast,
} from '@costwise/core'
import { alerts, budgets, jobs, spend, type Db, type UsageBudget } from '@costwise/db'
import { DateTime } from 'luxon'
import { z } from 'zod'
import { toBudgetView } from './budgets'
import type { TeamRef } from './recommendations'

/** Days of history a forecast learns from (8 weeks: the weekday pattern and a 28-day trend). */
const HISTORY_DAYS = 56

export const forecastSchema = z.object({
  team: z.object({
    /** End of the team's current month (exclusive), as an instant. */
    periodEnd: z.string(),
    projectedCostUsd: z.string(),
    lowUsd: z.string(),
    highUsd: z.string(),
    spentUsd: z.string(),
  }),
  budgets: z.array(
    z.object({
      budgetId: z.string(),
      projectedCostUsd: z.string(),
      lowUsd: z.string(),
      highUsd: z.string(),
      /** The local day the budget is expected to run out at this rate; null when it lasts the period. */
      exhaustsOn: z.string().nullable(),
      spentUsd: z.string(),
      limitUsd: z.string(),
      /** The last day the projection covers (the period's last day; 90 days ahead for a total budget). */
      lastDay: z.string(),
    }),
  ),
})
export type ForecastView = z.infer<typeof forecastSchema>

const localMidnight = (day: string, zone: string) => DateTime.fromISO(day, { zone }).startOf('day').toJSDate()

/** Share of a usual day's spend (last 28 days) that falls before this time of day, in the zone. */
async function elapsedShare(db: Db, teamId: string, zone: string, now: Date): Promise<number> {
  const today = periodKey('day', now, zone)
  const rows = await spend.spendByTimeOfDay(db, teamId, {
    timeZone: zone,
    from: localMidnight(addDays(today, -28), zone),
    to: localMidnight(today, zone),
  })
  const local = DateTime.fromJSDate(now, { zone })
  const slotNow = local.hour * 4 + Math.floor(local.minute / 15)
  let before = 0n
  let all = 0n
  for (const r of rows) {
    const cost = usdToNano(r.costUsd)
    all += cost
    if (r.slotOfDay < slotNow) before += cost
  }
  if (all === 0n) return (local.hour * 60 + local.minute) / 1440
  return Number((before * 10_000n) / all) / 10_000
}

async function history(db: Db, teamId: string, zone: string, now: Date, scope: spend.SpendScope = {}) {
  const today = periodKey('day', now, zone)
  const rows = await spend.dailySpend(db, teamId, {
    timeZone: zone,
    from: localMidnight(addDays(today, -HISTORY_DAYS), zone),
    to: localMidnight(addDays(today, 1), zone),
    scope,
  })
  const days: DailyTotal[] = rows.map((r) => ({ day: r.day, costNano: usdToNano(r.costUsd) }))
  // Complete days before today; days without spend are zeros from the first day with any, up to yesterday.
  const past = days.filter((d) => d.day < today)
  const yesterday = addDays(today, -1)
  if (past.length > 0 && past[past.length - 1]!.day < yesterday) past.push({ day: yesterday, costNano: 0n })
  return { today, past, all: days }
}

function money(f: PeriodForecast) {
  return { projectedCostUsd: nanoToUsd(f.projectedNano), lowUsd: nanoToUsd(f.lowNano), highUsd: nanoToUsd(f.highNano) }
}

type Shares = Map<string, Promise<number>>

/** A period's forecast for one scope: its daily history in the zone, what it spent so far, and its limit. */
async function forecastScope(
  db: Db,
  team: TeamRef,
  input: {
    zone: string
    period: BudgetPeriod
    scope: spend.SpendScope
    spentNano: bigint | null
    limitNano?: bigint | null
  },
  now: Date,
  shares: Shares = new Map(),
) {
  const { zone } = input
  if (!shares.has(zone)) shares.set(zone, elapsedShare(db, team.id, zone, now))
  const [{ today, past, all }, share] = await Promise.all([
    history(db, team.id, zone, now, input.scope),
    shares.get(zone)!,
  ])
  const window = periodWindow(input.period, now, zone)
  const startDay = periodKey('day', window.start, zone)
  const spentNano = input.spentNano ?? all.filter((d) => d.day >= startDay).reduce((s, d) => s + d.costNano, 0n)
  const forecast = forecastPeriod({
    history: past,
    today,
    todayElapsed: share,
    periodEnd: window.end ? periodKey('day', window.end, zone) : null,
    spentNano,
    limitNano: input.limitNano ?? null,
  })
  return { forecast, window }
}

async function forecastBudget(db: Db, team: TeamRef, b: UsageBudget, now: Date, shares: Shares) {
  const view = toBudgetView(b, team.timeZone, now)
  const { forecast: f, window } = await forecastScope(
    db,
    team,
    {
      zone: b.time_zone ?? team.timeZone,
      period: b.period,
      scope: { userId: b.scope_user_id, apiKeyId: b.scope_api_key_id, promptId: b.scope_prompt_id },
      spentNano: usdToNano(view.spentUsd),
      limitNano: usdToNano(view.limitUsd),
    },
    now,
    shares,
  )
  return {
    budget: b,
    periodStart: window.start,
    forecast: f,
    view: {
      budgetId: b.id,
      ...money(f),
      exhaustsOn: f.exhaustsOn,
      spentUsd: view.spentUsd,
      limitUsd: view.limitUsd,
      lastDay: f.lastDay,
    },
  }
}

/**
 * The team's month-end spend and every active budget's period-end spend, projected from daily totals in
 * their time zone (core `forecastPeriod`, docs/forecast.md), with a 90 % interval and the day each budget is
 * expected to run out.
 */
export async function forecastTeam(db: Db, team: TeamRef, now = new Date()): Promise<ForecastView> {
  const detailed = await forecastDetailed(db, team, now)
  return { team: detailed.team, budgets: detailed.budgets.map((b) => b.view) }
}

async function forecastDetailed(db: Db, team: TeamRef, now: Date) {
  const shares: Shares = new Map()
  const [{ forecast: f, window: month }, active] = await Promise.all([
    forecastScope(db, team, { zone: team.timeZone, period: 'month', scope: {}, spentNano: null }, now, shares),
    budgets.listActiveBudgets(db, team.id),
  ])
  const perBudget = await Promise.all(active.map((b) => forecastBudget(db, team, b, now, shares)))
  return {
    team: { periodEnd: month.end!.toISOString(), ...money(f), spentUsd: nanoToUsd(f.spentNano) },
    budgets: perBudget,
  }
}

/**
 * Predictive alerts: a budget whose forecast reaches its limit before its period ends gets one alert per
 * period ("at this rate it runs out on …"), notified by a job enqueued in the same transaction. A budget that
 * already reached its limit is left to its threshold alerts.
 */
export async function checkForecastAlerts(db: Db, team: TeamRef, now = new Date()): Promise<string[]> {
  const { budgets: forecasts } = await forecastDetailed(db, team, now)
  const created: string[] = []
  for (const { budget, periodStart, forecast, view } of forecasts) {
    if (!forecast.exhaustsOn || usdToNano(view.spentUsd) >= usdToNano(view.limitUsd)) continue
    const id = await db.transaction().execute(async (trx) => {
      const alertId = await alerts.insertInsightAlert(trx, {
        teamId: team.id,
        kind: 'budget_forecast',
        budgetId: budget.id,
        dedupeKey: `forecast:${budget.id}:${periodStart.toISOString()}`,
        periodStart,
        level: 'warning',
        spentUsd: view.projectedCostUsd,
        limitUsd: view.limitUsd,
        details: {
          budgetName: budget.name,
          period: budget.period,
          exhaustsOn: forecast.exhaustsOn,
          spentUsd: view.spentUsd,
          projectedCostUsd: view.projectedCostUsd,
          lowUsd: view.lowUsd,
          highUsd: view.highUsd,
          lastDay: view.lastDay,
        },
      })
      if (alertId) await jobs.enqueueAlertNotify(trx, { teamId: team.id, alertId })
      return alertId
    })
    if (id) created.push(id)
  }
  return created
}

export const suggestionInputSchema = z
  .object({
    scope: z.enum(['team', 'user', 'api_key', 'prompt']).default('team'),
    userId: z.uuid('userId must be a UUID').optional(),
    apiKeyId: z.uuid('apiKeyId must be a UUID').optional(),
    promptId: z.uuid('promptId must be a UUID').optional(),
    period: z.enum(['day', 'week', 'month', 'total']).default('month'),
    timeZone: z.string().max(100).optional(),
  })
  .refine((b) => b.scope !== 'user' || b.userId, { message: 'userId is required for a user budget', path: ['userId'] })
  .refine((b) => b.scope !== 'api_key' || b.apiKeyId, {
    message: 'apiKeyId is required for an API key budget',
    path: ['apiKeyId'],
  })
  .refine((b) => b.scope !== 'prompt' || b.promptId, {
    message: 'promptId is required for a prompt budget',
    path: ['promptId'],
  })

export const suggestionSchema = z.object({
  /** The suggested limit, or null when there is nothing to go on (explained). */
  limitUsd: z.string().nullable(),
  basis: z.enum(['history', 'forecast', 'none']),
  baseUsd: z.string().nullable(),
  headroomPct: z.number(),
  explanation: z.string(),
  /** Spend of each complete past period looked at, oldest first. */
  pastPeriods: z.array(z.object({ start: z.string(), costUsd: z.string() })),
})

/**
 * A limit for a budget being created, from the scope's recent usage: the p95 of its last complete periods plus
 * headroom (core `suggestBudgetLimit`), or this period's forecast when there is little history.
 */
export async function suggestBudget(
  db: Db,
  team: TeamRef,
  input: z.output<typeof suggestionInputSchema>,
  now = new Date(),
) {
  const zone = input.timeZone && isValidTimeZone(input.timeZone) ? input.timeZone : team.timeZone
  const scope = {
    userId: input.scope === 'user' ? input.userId : null,
    apiKeyId: input.scope === 'api_key' ? input.apiKeyId : null,
    promptId: input.scope === 'prompt' ? input.promptId : null,
  }
  if (input.period === 'total') {
    return {
      limitUsd: null,
      basis: 'none' as const,
      baseUsd: null,
      headroomPct: 0,
      explanation:
        'A total budget never resets, so there are no past periods to learn from: set what you are willing to spend in all.',
      pastPeriods: [],
    }
  }
  const lookback = SUGGESTION_LOOKBACK[input.period]
  const windows: { start: Date; end: Date }[] = []
  let cursor = periodWindow(input.period, now, zone)
  for (let i = 0; i < lookback; i++) {
    const prev = periodWindow(input.period, new Date(cursor.start.getTime() - 1), zone)
    windows.unshift({ start: prev.start, end: prev.end! })
    cursor = prev
  }
  const rows = await spend.dailySpend(db, team.id, {
    timeZone: zone,
    from: windows[0]!.start,
    to: windows[windows.length - 1]!.end,
    scope,
  })
  const totals = new Map<string, bigint>(windows.map((w) => [periodKey(input.period, w.start, zone), 0n]))
  for (const r of rows) {
    const key = periodKey(input.period, localMidnight(r.day, zone), zone)
    if (totals.has(key)) totals.set(key, totals.get(key)! + usdToNano(r.costUsd))
  }
  // Periods before the scope's first spend are not "zero months"; leave them out.
  const series = [...totals.values()]
  const firstSpend = series.findIndex((t) => t > 0n)
  const past = firstSpend < 0 ? [] : series.slice(firstSpend)
  const { forecast } = await forecastScope(db, team, { zone, period: input.period, scope, spentNano: null }, now)
  const suggestion = suggestBudgetLimit({
    period: input.period,
    pastTotals: past,
    projectedNano: forecast.projectedNano,
  })
  const pastPeriods = [...totals].map(([start, cost]) => ({ start, costUsd: nanoToUsd(cost) }))
  if (!suggestion) {
    return {
      limitUsd: null,
      basis: 'none' as const,
      baseUsd: null,
      headroomPct: 0,
      explanation:
        'No usage in this scope yet, so there is nothing to suggest from: start with a small limit and raise it once you see the spend.',
      pastPeriods,
    }
  }
  return {
    limitUsd: nanoToUsd(suggestion.limitNano),
    basis: suggestion.basis,
    baseUsd: nanoToUsd(suggestion.baseNano),
    headroomPct: suggestion.headroomPct,
    explanation: suggestion.explanation,
    pastPeriods,
  }
}
