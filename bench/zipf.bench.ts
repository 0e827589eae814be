/**
 * Many teams at once, Zipf-distributed: where one machine breaks (docs/decisions/006-scale-out.md).
 *
 *   cd bench && npx tsx zipf.bench.ts          (≈ 1–2 minutes; ZIPF_TEAMS, ZIPF_S, ZIPF_STAGE_SECONDS, WEB_CONCURRENCY)
 *
 * ZIPF_TEAMS teams (default 200), each with its own API key and a hard monthly team budget. Every request picks
 * its team by a Zipf law (exponent ZIPF_S, default 1.1: the busiest team sends ~15 % of the traffic, the median
 * one a fraction of a percent), as a multi-tenant installation sees it. Open-loop stages at rising offered rates
 * (events/s) send single `POST /api/usage/track` calls on a schedule, whatever the answers' speed, so queueing
 * shows in the latency instead of slowing the generator; the run stops at the first stage whose p99 passes
 * 10 ms or which falls behind its rate by more than 10 %. Prints, per stage: offered and achieved events/s,
 * p50/p99, errors.
 */
import { randomUUID } from 'node:crypto'
import { Pool } from 'undici'
import { addBudget, createTeamFixture, MODELS, type TeamFixture } from './lib/fixtures'
import { onCleanup, runBench } from './lib/cleanup'
import { startBenchDb } from './lib/pg'
import { figure, header, int, ms, summarize } from './lib/report'
import { startWebServer } from './lib/web'

const B = 'zipf'
const TEAMS = Number(process.env.ZIPF_TEAMS ?? 200)
const S = Number(process.env.ZIPF_S ?? 1.1)
const STAGE_SECONDS = Number(process.env.ZIPF_STAGE_SECONDS ?? 5)
const RATES = (process.env.ZIPF_RATES ?? '250,500,1000,1500,2000,3000,4000').split(',').map(Number)
const CONNECTIONS = 64

/** The cumulative Zipf distribution over ranks 1…n; `pick()` draws a rank (0-based) by binary search. */
function zipf(n: number, s: number) {
  const weights = Array.from({ length: n }, (_, i) => 1 / (i + 1) ** s)
  const total = weights.reduce((a, b) => a + b, 0)
  const cdf: number[] = []
  let acc = 0
  for (const w of weights) cdf.push((acc += w / total))
  return {
    share: (rank: number) => weights[rank]! / total,
    pick() {
      const u = Math.random()
      let lo = 0
      let hi = n - 1
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        if (cdf[mid]! < u) lo = mid + 1
        else hi = mid
      }
      return lo
    },
  }
}

await runBench(async () => {
  header(`${TEAMS} teams, Zipf s=${S}, open-loop single tracked calls until p99 > 10 ms`)
  const pg = await startBenchDb(B)
  const fixtures: TeamFixture[] = []
  for (let i = 0; i < TEAMS; i++) {
    const f = await createTeamFixture(pg.db, { slug: `zipf-${i}`, users: 1 })
    await addBudget(pg.db, f, {
      name: 'Team monthly (hard)',
      scope: 'team',
      period: 'month',
      limitUsd: '10000000',
      mode: 'hard',
    })
    fixtures.push(f)
  }
  const web = await startWebServer(B, pg.url)
  const http = new Pool(web.baseUrl, { connections: CONNECTIONS, pipelining: 1, keepAliveTimeout: 60_000 })
  onCleanup('close HTTP connections', () => http.close())
  const dist = zipf(TEAMS, S)
  console.log(
    `# busiest team ${(dist.share(0) * 100).toFixed(1)} % of traffic, 10th ${(dist.share(9) * 100).toFixed(2)} %, median ${(dist.share(TEAMS / 2) * 100).toFixed(3)} %`,
  )
  const run = randomUUID().slice(0, 8)
  let seq = 0

  const call = async (): Promise<boolean> => {
    const f = fixtures[dist.pick()]!
    const i = seq++
    const res = await http.request({
      path: '/api/usage/track',
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${f.key}` },
      body: JSON.stringify({
        model: MODELS[i % MODELS.length],
        inputTokens: 400 + (i % 1200),
        outputTokens: 50 + (i % 400),
        idempotencyKey: `${run}-${i}`,
      }),
    })
    await res.body.arrayBuffer()
    return res.statusCode === 200
  }

  // Warm every team's caches (key, team, prices) once.
  await Promise.all(fixtures.map(() => call()))

  let best = 0
  for (const rate of RATES) {
    const latencies: number[] = []
    let errors = 0
    const inFlight: Promise<void>[] = []
    const started = performance.now()
    const total = Math.round(rate * STAGE_SECONDS)
    for (let n = 0; n < total; n++) {
      const due = started + (n * 1000) / rate
      const wait = due - performance.now()
      if (wait > 1) await new Promise((r) => setTimeout(r, wait))
      const t = performance.now()
      inFlight.push(
        call().then(
          (ok) => {
            latencies.push(performance.now() - t)
            if (!ok) errors++
          },
          () => {
            errors++
          },
        ),
      )
    }
    await Promise.all(inFlight)
    const elapsed = (performance.now() - started) / 1000
    const achieved = total / elapsed
    const lat = summarize(latencies)
    console.log(
      `# offered ${int(rate)}/s → achieved ${int(achieved)} events/s, p50 ${ms(lat.p50)}, p99 ${ms(lat.p99)}, errors ${errors}`,
    )
    const broke = lat.p99 > 10 || achieved < rate * 0.9 || errors > 0
    if (!broke) best = achieved
    if (broke) break
  }
  figure(B, `${TEAMS} Zipf teams: highest rate with p99 < 10 ms`, best, `${int(best)} events/s`)
  const [{ n }] = (await pg.query<{ n: string }>('select count(*) as n from token_usage_logs')) as [{ n: string }]
  console.log(`# check: ${int(Number(n))} rows recorded`)
})
