import { backtestMonthEnd, createRng, nanoToUsdNumber, normal, syntheticSeries, usdToNano } from '@costwise/core'
import { alerts, budgets, jobs, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { sql } from 'kysely'
import { DateTime } from 'luxon'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPrompt } from './prompts'
import { makeTeam } from '../testing/histories'
import { detectSpendAnomalies } from './anomalies'
import { checkForecastAlerts, forecastTeam, suggestBudget } from './forecast'
import { recordUsage } from './record-usage'
import type { TrackEvent } from './tracking.types'

let t: TestDb
let db: Db

beforeAll(async () => {
  t = await createTestDb()
  db = t.db
})
afterAll(async () => t?.destroy())

/** Output tokens of gpt-4o ($10 per 1M) that cost `usd`, and what they cost exactly. */
const gpt4oOutput = (usd: number) => {
  const tokens = Math.max(1, Math.round((usd / 10) * 1e6))
  return { tokens, costNano: BigInt(tokens) * 10_000n }
}

describe('forecasts on a steady upward trend', () => {
  // 150 days of a trend (half to one and a half times $5/day), of which the first 132 are history at NOW.
  const series = syntheticSeries('trend', { seed: 7, days: 150, base: 5, firstDay: '2026-07-05' })
  const NOW = new Date('2026-11-14T00:30:00Z')
  const days = series.map((p) => ({ day: p.day, ...gpt4oOutput(nanoToUsdNumber(p.costNano)) }))
  let scope: Awaited<ReturnType<typeof makeTeam>>

  beforeAll(async () => {
    scope = await makeTeam(db, 'trend-team')
    const events: TrackEvent[] = days
      .filter((d) => d.day < '2026-11-14')
      .map((d) => ({
        model: 'gpt-4o',
        inputTokens: 0,
        outputTokens: d.tokens,
        occurredAt: `${d.day}T12:00:00Z`,
        feature: 'api',
      }))
    for (let i = 0; i < events.length; i += 500) await recordUsage(db, scope.asKey, events.slice(i, i + 500), NOW)
  })

  it('lands within the error the backtest states for trend series, and its interval holds the actual month', async () => {
    const stated = Math.max(
      ...[1, 2, 3].map((seed) => backtestMonthEnd(syntheticSeries('trend', { seed, days: 150 })).p90Ape),
    )
    const forecast = await forecastTeam(db, scope.asOwner, NOW)
    const actual = days
      .filter((d) => d.day >= '2026-11-01' && d.day < '2026-12-01')
      .reduce((s, d) => s + d.costNano, 0n)
    const spent = days.filter((d) => d.day >= '2026-11-01' && d.day < '2026-11-14').reduce((s, d) => s + d.costNano, 0n)
    expect(forecast.team.periodEnd).toBe('2026-12-01T00:00:00.000Z')
    expect(usdToNano(forecast.team.spentUsd)).toBe(spent)
    const projected = usdToNano(forecast.team.projectedCostUsd)
    const error = Math.abs(nanoToUsdNumber(projected - actual)) / nanoToUsdNumber(actual)
    expect(error).toBeLessThanOrEqual(stated)
    expect(usdToNano(forecast.team.lowUsd) <= actual && actual <= usdToNano(forecast.team.highUsd)).toBe(true)
    // A flat projection of the last 28 days would have missed the growth.
    expect(projected).toBeGreaterThan(spent + (spent * 17n) / 13n)
  })

  it('says when a budget runs out, and alerts once per period before it does', async () => {
    const forecast = await forecastTeam(db, scope.asOwner, NOW)
    const projected = usdToNano(forecast.team.projectedCostUsd)
    const spent = usdToNano(forecast.team.spentUsd)
    const limit = spent + ((projected - spent) * 6n) / 10n
    const budget = await budgets.insertBudget(
      db,
      scope.team.id,
      {
        name: 'November',
        scope: 'team',
        scopeUserId: null,
        scopeApiKeyId: null,
        scopePromptId: null,
        period: 'month',
        timeZone: null,
        limitUsd: (Number(limit) / 1e9).toFixed(9),
        mode: 'soft',
        thresholds: [50, 80, 100],
        active: true,
      },
      { start: new Date('2026-11-01T00:00:00Z'), spentUsd: forecast.team.spentUsd },
    )
    const withBudget = await forecastTeam(db, scope.asOwner, NOW)
    const view = withBudget.budgets.find((b) => b.budgetId === budget.id)!
    expect(view.exhaustsOn! > '2026-11-14' && view.exhaustsOn! < '2026-11-30').toBe(true)
    expect(view.projectedCostUsd).toBe(withBudget.team.projectedCostUsd)

    const created = await checkForecastAlerts(db, scope.asOwner, NOW)
    expect(created).toHaveLength(1)
    expect(await checkForecastAlerts(db, scope.asOwner, new Date(NOW.getTime() + 3_600_000))).toEqual([])
    const { items } = await alerts.listAlerts(db, scope.team.id, { limit: 10 })
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({
      kind: 'budget_forecast',
      budgetId: budget.id,
      details: { exhaustsOn: view.exhaustsOn, budgetName: 'November' },
    })
    expect(await queuedAlertIds()).toContain(created[0])
  })

  it('suggests a limit from past months, explained', async () => {
    const s = await suggestBudget(db, scope.asOwner, { scope: 'team', period: 'month' }, NOW)
    // July is partial (from the 5th) and counts; the trend makes October the largest month.
    const october = days.filter((d) => d.day.startsWith('2026-10')).reduce((sum, d) => sum + d.costNano, 0n)
    expect(s.basis).toBe('history')
    expect(s.baseUsd).toBe((Number(october) / 1e9).toFixed(9).replace(/0+$/, '').replace(/\.$/, ''))
    expect(usdToNano(s.limitUsd!)).toBeGreaterThanOrEqual((october * 120n) / 100n)
    expect(s.explanation).toMatch(/^In 95% of the last \d+ months spend stayed at or under \$/)
    const total = await suggestBudget(db, scope.asOwner, { scope: 'team', period: 'total' }, NOW)
    expect(total).toMatchObject({ limitUsd: null, basis: 'none' })
  })
})

describe('spend anomalies', () => {
  const ZONE = 'Europe/Berlin'
  // "Now" is five past midnight on 18 November, Berlin time: the 17th is the last complete day.
  const NOW = DateTime.fromISO('2026-11-18T00:05:00', { zone: ZONE }).toJSDate()
  const FIRST = DateTime.fromISO('2026-09-16T00:00:00', { zone: ZONE })

  /** Nine weeks of hourly traffic: office hours busier; a prompt on its own model; `spike` multiplies its 17 Nov. */
  async function loadTraffic(slug: string, seed: number, spike: number) {
    const scope = await makeTeam(db, slug, ZONE)
    const prompt = await createPrompt(db, scope.asOwner, {
      name: 'Digest writer',
      model: 'claude-haiku-4-5',
      systemMessage: '',
      userMessage: '{{text}}',
      variables: {},
      maxOutputTokens: 500,
      caching: false,
    })
    const rng = createRng(seed)
    const events: TrackEvent[] = []
    for (let h = FIRST; h.plus({ minutes: 20 }) < DateTime.fromJSDate(NOW, { zone: ZONE }); h = h.plus({ hours: 1 })) {
      const busy = h.weekday < 6 && h.hour >= 9 && h.hour < 18 ? 1 : 0.2
      const noise = () => Math.exp(0.25 * normal(rng) - 0.03)
      const factor = h.toISODate() === '2026-11-17' ? spike : 1
      const at = h.plus({ minutes: 20 }).toUTC().toISO()!
      events.push({
        model: 'gpt-4o-mini',
        inputTokens: 0,
        outputTokens: Math.round(1_500_000 * busy * noise()),
        occurredAt: at,
        feature: 'api',
      })
      events.push({
        model: 'claude-haiku-4-5',
        inputTokens: 0,
        outputTokens: Math.round(60_000 * busy * noise() * factor),
        occurredAt: at,
        promptId: prompt.id,
        feature: 'api',
      })
    }
    for (let i = 0; i < events.length; i += 1000) await recordUsage(db, scope.asKey, events.slice(i, i + 1000), NOW)
    return { ...scope, promptId: prompt.id }
  }

  it('alerts once on a 10× day, naming the prompt that drove it and linking to the filtered usage page', async () => {
    const team = await loadTraffic('spiky', 3, 10)
    const created = await detectSpendAnomalies(db, team.asOwner, NOW)
    expect(created).toHaveLength(1)
    const { items } = await alerts.listAlerts(db, team.team.id, { limit: 10 })
    expect(items[0]).toMatchObject({
      kind: 'spend_anomaly',
      budgetId: null,
      details: {
        scope: 'team',
        link: `/dashboard/usage?from=2026-11-17&to=2026-11-17&promptId=${team.promptId}`,
      },
    })
    const details = items[0]!.details as { title: string; drivers: { scope: string; id: string; name: string }[] }
    expect(details.drivers[0]).toMatchObject({ scope: 'prompt', id: team.promptId, name: 'Digest writer' })
    expect(details.title).toMatch(
      /^The team spent \$[\d,.]+ in (2026-11-17|the hour from 23:00 on 2026-11-17), usually \$[\d,.]+, driven by prompt “Digest writer”/,
    )
    // Once per anomaly: the next hour's run finds the same day and makes nothing new.
    expect(await detectSpendAnomalies(db, team.asOwner, new Date(NOW.getTime() + 3_600_000))).toEqual([])
    expect(await queuedAlertIds()).toContain(created[0])
  })

  it('finds nothing in the same traffic without the spike (false positives counted over a week of hourly runs)', async () => {
    const team = await loadTraffic('calm', 3, 1)
    const found: string[] = []
    for (let h = 0; h < 7 * 24; h += 3)
      found.push(...(await detectSpendAnomalies(db, team.asOwner, new Date(NOW.getTime() - h * 3_600_000))))
    expect(found).toEqual([])
    const count = await sql<{
      n: string
    }>`select count(*)::text as n from usage_alerts where team_id = ${team.team.id}`.execute(db)
    expect(count.rows[0]!.n).toBe('0')
  })
})

/** The alert ids waiting in notification jobs (batch jobs keyed per team: several alerts share one job). */
async function queuedAlertIds(): Promise<string[]> {
  return (await jobs.listPendingJobs(db, 'alert__notify')).flatMap((j) =>
    (Array.isArray(j.payload) ? j.payload : [j.payload]).map((p: { alertId: string }) => p.alertId),
  )
}
