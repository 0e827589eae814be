/**
 * Tracking + budget check per call, over HTTP on loopback, against the real web server (production build).
 *
 *   cd bench && npx tsx track.bench.ts          (≈ 1 minute)
 *
 * The team has a hard monthly team budget and a soft monthly user budget, and every event names that user,
 * so every call charges both budgets (and the daily and hourly rollups) in its transaction. Events carry an
 * idempotency key, as a retry-safe client sends them. Figures (BRIEF, "The bar"):
 *   - POST /api/usage/track, one client, sequential: p50 / p99        target p99 < 10 ms
 *   - POST /api/usage/track, 16 concurrent clients for 10 s: events/s target ≥ 2,000 events/s
 *   - POST /api/usage/reserve then /api/usage/track (settling it): p50 / p99 of the pair
 *   - POST /api/usage/track/batch, 1,000-event batches: events/s      target ≥ 20,000 events/s
 * The load generator is this process; the server and PostgreSQL are other processes on the same 2 cores.
 */
import os from 'node:os'
import { benchGroups, cpuCeilings, cpuSince, cpuSnapshot, describeCpu } from './lib/cpu'
import { addBudget, createTeamFixture, usageEvent as event } from './lib/fixtures'
import { runBench } from './lib/cleanup'
import { Api, expectStatus } from './lib/http'
import { sustained } from './lib/load'
import { startBenchDb, type BenchDb } from './lib/pg'
import { atLeast, below, figure, header, int, ms, summarize, timeEach } from './lib/report'
import { startWebServer } from './lib/web'

const B = 'track'
const SEQUENTIAL_CALLS = Number(process.env.TRACK_CALLS ?? 3000)
const WARMUP_CALLS = 500
const CONCURRENCY = 16
const LOAD_SECONDS = Number(process.env.TRACK_LOAD_SECONDS ?? 10)
const PAIRS = 1000
const BATCH_SIZE = 1000
const BATCH_SECONDS = Number(process.env.TRACK_BATCH_SECONDS ?? 10)

async function usageRows(pg: BenchDb, teamId: string): Promise<number> {
  const [row] = await pg.query<{ n: string }>('select count(*) as n from token_usage_logs where team_id = $1', [teamId])
  return Number(row!.n)
}

await runBench(async () => {
  header('tracking + budget check over HTTP (POST /api/usage/track, /track/batch, /reserve)')
  const pg = await startBenchDb(B)
  const f = await createTeamFixture(pg.db, { users: 2, prompts: 4 })
  await addBudget(pg.db, f, {
    name: 'Team monthly (hard)',
    scope: 'team',
    period: 'month',
    limitUsd: '10000000',
    mode: 'hard',
  })
  await addBudget(pg.db, f, {
    name: 'User monthly (soft)',
    scope: 'user',
    userId: f.userIds[0],
    period: 'month',
    limitUsd: '5000000',
    mode: 'soft',
  })
  const web = await startWebServer(B, pg.url)
  const one = new Api(web.baseUrl, f.key, 1)
  const many = new Api(web.baseUrl, f.key, CONCURRENCY)
  const groups = benchGroups(web.pid, pg.dataDir)

  const track = async (api: Api) => {
    const res = await api.post('/api/usage/track', event(f))
    expectStatus(res, 200, 'track')
    if (res.json.budgets.length !== 2)
      throw new Error(`expected both budgets to be charged, got ${JSON.stringify(res.json.budgets)}`)
    return 1
  }

  // 1. Sequential latency.
  for (let i = 0; i < WARMUP_CALLS; i++) await track(one)
  let cpu = cpuSnapshot(groups)
  const t0 = performance.now()
  const single = summarize(await timeEach(SEQUENTIAL_CALLS, () => track(one)))
  console.log(
    `# ${int(SEQUENTIAL_CALLS)} sequential calls after ${WARMUP_CALLS} warm-up: p50 ${ms(single.p50)}, p95 ${ms(single.p95)}, p99 ${ms(single.p99)}, max ${ms(single.max)}`,
  )
  console.log(`#   ${describeCpu(cpuSince(cpu, groups), SEQUENTIAL_CALLS, (performance.now() - t0) / 1000)}`)

  // 2. Sustained throughput, 16 clients.
  await Promise.all(Array.from({ length: CONCURRENCY }, () => track(many))) // open the connections
  cpu = cpuSnapshot(groups)
  const load = await sustained(CONCURRENCY, LOAD_SECONDS, () => track(many))
  const loadLat = summarize(load.latencies)
  console.log(
    `# ${CONCURRENCY} clients × ${LOAD_SECONDS} s: ${int(load.units)} events, latency under load p50 ${ms(loadLat.p50)}, p99 ${ms(loadLat.p99)}`,
  )
  const loadCpu = cpuSince(cpu, groups)
  const ceiling = cpuCeilings(loadCpu, load.units)
  console.log(`#   ${describeCpu(loadCpu, load.units, load.elapsed)}`)
  console.log(
    `#   CPU alone caps this at ${int(ceiling.server!)} events/s (one Node process: 1 core) and ${int(ceiling.machine)} events/s ` +
      `(server + PostgreSQL + client on ${os.cpus().length} cores); below that, the budget rows' locks serialize the calls`,
  )

  // 3. reserve → track (settle) pairs, sequential.
  const pair = async () => {
    const reserved = await one.post('/api/usage/reserve', {
      model: 'gpt-4o-mini',
      inputTokens: 800,
      maxOutputTokens: 400,
      userId: f.userIds[0],
    })
    expectStatus(reserved, 200, 'reserve')
    const tracked = await one.post(
      '/api/usage/track',
      event(f, {
        model: 'gpt-4o-mini',
        inputTokens: 800,
        outputTokens: 250,
        reservationId: reserved.json.reservationId,
      }),
    )
    expectStatus(tracked, 200, 'track (settle)')
  }
  for (let i = 0; i < 100; i++) await pair()
  const pairs = summarize(await timeEach(PAIRS, pair))
  const [held] = await pg.query<{ n: string }>("select count(*) as n from budget_reservations where status = 'held'")
  if (Number(held!.n) !== 0) throw new Error(`${held!.n} reservations were left held after settling`)

  // 4. Batches of 1,000 events: one client, then 4 concurrent clients.
  const batchApi = new Api(web.baseUrl, f.key, 4)
  const batch = async () => {
    const events = Array.from({ length: BATCH_SIZE }, () => event(f))
    const res = await batchApi.post('/api/usage/track/batch', { events })
    expectStatus(res, 200, 'track/batch')
    if (res.json.results.length !== BATCH_SIZE) throw new Error('a batch answered the wrong number of results')
    return BATCH_SIZE
  }
  await batch()
  cpu = cpuSnapshot(groups)
  const batchOne = await sustained(1, BATCH_SECONDS, batch)
  const batchUsed = cpuSince(cpu, groups)
  const batchCpu = describeCpu(batchUsed, batchOne.units / BATCH_SIZE, batchOne.elapsed, '1,000-event batch')
  const batchCeiling = cpuCeilings(batchUsed, batchOne.units)
  const batchFour = await sustained(4, BATCH_SECONDS, batch)
  console.log(
    `# batches: 1 client ${int(batchOne.units / BATCH_SIZE)} batches (p50 ${ms(summarize(batchOne.latencies).p50)} each); ` +
      `4 clients ${int(batchFour.units / BATCH_SIZE)} batches (p50 ${ms(summarize(batchFour.latencies).p50)} each)`,
  )
  console.log(`#   1 client: ${batchCpu}`)

  // Every answered event is a row, and both budgets were charged exactly what the rows cost.
  const expected =
    WARMUP_CALLS +
    SEQUENTIAL_CALLS +
    CONCURRENCY +
    load.units +
    (100 + PAIRS) * 1 +
    BATCH_SIZE +
    batchOne.units +
    batchFour.units
  const rows = await usageRows(pg, f.scope.id)
  if (rows !== expected) throw new Error(`expected ${expected} usage rows, found ${rows}`)
  const [check] = await pg.query<{ logged: string; team: string; usr: string; reserved: string }>(
    `select (select sum(cost_usd) from token_usage_logs where team_id = $1) as logged,
            (select spent_usd from usage_budgets where team_id = $1 and scope = 'team') as team,
            (select spent_usd from usage_budgets where team_id = $1 and scope = 'user') as usr,
            (select sum(reserved_usd) from usage_budgets where team_id = $1) as reserved`,
    [f.scope.id],
  )
  const exact = check!.logged === check!.team && check!.logged === check!.usr && Number(check!.reserved) === 0
  console.log(
    `# check: ${int(rows)} rows recorded; budgets charged exactly the logged cost ($${check!.logged}): ${exact ? 'yes' : 'NO'}`,
  )
  if (!exact) throw new Error(`budgets disagree with the log: ${JSON.stringify(check)}`)

  console.log('')
  figure(B, 'track, 1 client sequential: p50', single.p50, ms(single.p50))
  figure(B, 'track, 1 client sequential: p99', single.p99, ms(single.p99), below(10, '< 10 ms'))
  figure(
    B,
    `track, ${CONCURRENCY} clients sustained ${LOAD_SECONDS} s`,
    load.perSecond,
    `${int(load.perSecond)} events/s`,
    atLeast(2000, '≥ 2,000 events/s'),
  )
  figure(B, `track, ${CONCURRENCY} clients: p99 under load`, loadLat.p99, ms(loadLat.p99))
  figure(
    B,
    'track: server CPU per event (noise-free)',
    loadCpu.server! / load.units,
    `${(loadCpu.server! / load.units).toFixed(2)} ms → ≤ ${int(ceiling.server!)} events/s per Node process`,
  )
  figure(B, 'reserve → track pair: p50', pairs.p50, ms(pairs.p50))
  figure(B, 'reserve → track pair: p99', pairs.p99, ms(pairs.p99), below(20, '< 20 ms (2 calls × 10 ms)'))
  figure(
    B,
    'track/batch ×1,000, 1 client',
    batchOne.perSecond,
    `${int(batchOne.perSecond)} events/s`,
    atLeast(20000, '≥ 20,000 events/s'),
  )
  figure(
    B,
    'track/batch ×1,000, 4 clients',
    batchFour.perSecond,
    `${int(batchFour.perSecond)} events/s`,
    atLeast(20000, '≥ 20,000 events/s'),
  )
  figure(
    B,
    'track/batch: server CPU per 1,000 events (noise-free)',
    batchUsed.server! / (batchOne.units / BATCH_SIZE),
    `${(batchUsed.server! / (batchOne.units / BATCH_SIZE)).toFixed(0)} ms → ≤ ${int(batchCeiling.server!)} events/s per Node process`,
  )
})
