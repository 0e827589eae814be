/**
 * Forecast backtest: how far off the month-end projection is, per series type and on the demo team's data.
 *
 *   cd bench && npx tsx forecast.bench.ts
 *
 * For every whole calendar month after a 28-day warm-up, and every day of that month, the projection made at the
 * start of that day from everything before it (core `forecastPeriod`, docs/forecast.md) is compared with what
 * the month cost. Reported per series: MAPE (mean absolute percentage error), MAPE of forecasts made on the
 * 15th, p90 of the error (the error the forecast stays within 9 times in 10 — "the error the backtest states"),
 * and how often the 90 % interval held the actual total.
 *
 * Synthetic series (core `syntheticSeries`, 180 days, 12 % day-to-day noise, five seeds each): flat, trend
 * (linear growth from 0.5× to 1.5×), weekly (weekends at 35 %), step (×1.8 at 60 % of the series). The demo
 * data is the seeded demo team (`db/seed.ts`, 180 days here), read back as daily totals in its time zone.
 * Also times a forecast and a recommendation refresh on the demo team (informational).
 */
import { hashPassword } from '@costwise/api'
import { forecastTeam } from '@costwise/api/services/forecast'
import { refreshRecommendations } from '@costwise/api/services/recommendations'
import {
  backtestMonthEnd,
  periodKey,
  SERIES_KINDS,
  syntheticSeries,
  usdToNano,
  type BacktestResult,
  type DailyTotal,
} from '@costwise/core'
import { spend, teams } from '@costwise/db'
import { seedDemo } from '@costwise/seed'
import { DateTime } from 'luxon'
import { runBench } from './lib/cleanup'
import { startBenchDb } from './lib/pg'
import { figure, header, ms, summarize, timeEach } from './lib/report'

const B = 'forecast'
const SEEDS = [1, 2, 3, 4, 5]
const pct = (x: number) => `${(x * 100).toFixed(1)} %`

function report(label: string, results: BacktestResult[]): void {
  const mean = (f: (r: BacktestResult) => number) => results.reduce((s, r) => s + f(r), 0) / results.length
  const origins = results.reduce((s, r) => s + r.origins, 0)
  const months = results.reduce((s, r) => s + r.months, 0)
  const p90 = Math.max(...results.map((r) => r.p90Ape))
  figure(
    B,
    `${label}: MAPE / mid-month MAPE / p90 error / 90 % interval held`,
    p90,
    `${pct(mean((r) => r.mape))} / ${pct(mean((r) => r.midMonthMape))} / ${pct(p90)} / ${pct(mean((r) => r.coverage))}  (${months} months, ${origins} forecasts)`,
  )
}

await runBench(async () => {
  header('Forecast backtest: month-end projection error')
  for (const kind of SERIES_KINDS) {
    report(
      `synthetic ${kind}`,
      SEEDS.map((seed) => backtestMonthEnd(syntheticSeries(kind, { seed, days: 180 }))),
    )
  }

  const pg = await startBenchDb(B)
  const seeded = await seedDemo(pg.db, { hashPassword, days: 180 })
  const team = (await teams.findTeamById(pg.db, seeded.teamId))!
  const zone = team.timeZone
  const now = new Date()
  const today = periodKey('day', now, zone)
  const rows = await spend.dailySpend(pg.db, team.id, {
    timeZone: zone,
    from: DateTime.fromISO(today, { zone }).minus({ days: 200 }).toJSDate(),
    to: DateTime.fromISO(today, { zone }).toJSDate(),
  })
  const demo: DailyTotal[] = rows.map((r) => ({ day: r.day, costNano: usdToNano(r.costUsd) }))
  console.log(`# demo team: ${seeded.usageRows.toLocaleString('en-US')} usage rows over ${demo.length} days (${zone})`)
  report('demo team (weekday rhythm, growth, noise)', [backtestMonthEnd(demo)])

  const forecastTimes = await timeEach(20, () => forecastTeam(pg.db, team, now))
  const f = summarize(forecastTimes)
  figure(B, 'GET /api/forecast on the demo team (service): p50 / p95', f.p95, `${ms(f.p50)} / ${ms(f.p95)}`)
  const refreshTimes = await timeEach(5, () => refreshRecommendations(pg.db, team, now))
  const r = summarize(refreshTimes)
  figure(B, 'recommendation refresh on the demo team: first / median', r.p50, `${ms(refreshTimes[0]!)} / ${ms(r.p50)}`)
})
