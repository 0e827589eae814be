/**
 * Ingest through `recordUsage` in-process (no HTTP): 1,000-event batches vs single-event calls.
 *
 *   cd bench && npx tsx ingest.bench.ts          (≈ 1 minute)
 *
 * Same team as track.bench.ts: a hard team budget and a soft user budget that every event charges, daily
 * and hourly rollups, idempotency keys. What HTTP adds is the difference between this and track.bench.ts.
 * Also prints the SQL statements per event and where the CPU goes (this process vs PostgreSQL), which is
 * what bounds throughput on 2 cores.
 */
import { recordUsage } from '@costwise/api'
import { periodKey } from '@costwise/core'
import { runBench } from './lib/cleanup'
import { benchGroups, cpuCeilings, cpuSince, cpuSnapshot, describeCpu } from './lib/cpu'
import { addBudget, createTeamFixture, usageEvent as event } from './lib/fixtures'
import { sustained } from './lib/load'
import { startBenchDb } from './lib/pg'
import { atLeast, figure, header, int, ms, summarize, timeEach } from './lib/report'
import { countStatements } from './lib/statements'
import { sampleWaits } from './lib/waits'

const B = 'ingest'
const SINGLE_CALLS = Number(process.env.INGEST_SINGLE_CALLS ?? 2000)
const CONCURRENCY = 16
const SECONDS = Number(process.env.INGEST_SECONDS ?? 10)
const BATCH_SIZE = 1000

await runBench(async () => {
  header('batched ingest through recordUsage, in-process (no HTTP)')
  const pg = await startBenchDb(B, { poolSize: 20 })
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
  const groups = benchGroups(null, pg.dataDir, 'node (recordUsage)')
  const statements = countStatements()
  const single = () => recordUsage(pg.db, f.scope, [event(f)]).then(() => 1)
  const batch = () =>
    recordUsage(
      pg.db,
      f.scope,
      Array.from({ length: BATCH_SIZE }, () => event(f)),
    ).then(() => BATCH_SIZE)

  // Single events, one caller.
  for (let i = 0; i < 300; i++) await single()
  let cpu = cpuSnapshot(groups)
  let s0 = statements.read()
  const t0 = performance.now()
  const singleLat = summarize(await timeEach(SINGLE_CALLS, single))
  const singleSecs = (performance.now() - t0) / 1000
  const perEventStatements = (statements.read() - s0) / SINGLE_CALLS
  console.log(
    `# single events, 1 caller: ${int(SINGLE_CALLS)} calls, p50 ${ms(singleLat.p50)}, p99 ${ms(singleLat.p99)}; ${perEventStatements.toFixed(1)} SQL statements per call`,
  )
  console.log(`#   ${describeCpu(cpuSince(cpu, groups), SINGLE_CALLS, singleSecs)}`)

  // Single events, 16 callers.
  cpu = cpuSnapshot(groups)
  const waits = sampleWaits(pg.url, `bench-${B}`)
  const many = await sustained(CONCURRENCY, SECONDS, single)
  const manyCpu = cpuSince(cpu, groups)
  const waited = await waits.stop()
  console.log(
    `# single events, ${CONCURRENCY} callers × ${SECONDS} s: ${int(many.units)} events, p50 ${ms(summarize(many.latencies).p50)}, p99 ${ms(summarize(many.latencies).p99)}`,
  )
  console.log(`#   ${describeCpu(manyCpu, many.units, many.elapsed)}`)
  console.log(
    `#   CPU alone would allow ${int(1000 / (manyCpu['node (recordUsage)']! / many.units))} events/s in this Node process and ` +
      `${int(cpuCeilings(manyCpu, many.units).machine)} events/s on the machine; what the ${CONCURRENCY} sessions were doing, on average:`,
  )
  for (const w of waited) console.log(`#     ${w.avgSessions.toFixed(1).padStart(4)} sessions: ${w.what}`)

  // 1,000-event batches, 1 and 2 callers.
  await batch()
  cpu = cpuSnapshot(groups)
  s0 = statements.read()
  const b1 = await sustained(1, SECONDS, batch)
  const b1Cpu = cpuSince(cpu, groups)
  const batchStatements = (statements.read() - s0) / (b1.units / BATCH_SIZE)
  console.log(
    `# batches of ${BATCH_SIZE}, 1 caller: ${int(b1.units / BATCH_SIZE)} batches, p50 ${ms(summarize(b1.latencies).p50)} each; ${batchStatements.toFixed(1)} SQL statements per batch`,
  )
  console.log(`#   ${describeCpu(b1Cpu, b1.units / 1000, b1.elapsed, '1,000 events')}`)
  cpu = cpuSnapshot(groups)
  const b2 = await sustained(2, SECONDS, batch)
  console.log(
    `# batches of ${BATCH_SIZE}, 2 callers: ${int(b2.units / BATCH_SIZE)} batches, p50 ${ms(summarize(b2.latencies).p50)} each`,
  )
  console.log(`#   ${describeCpu(cpuSince(cpu, groups), b2.units / 1000, b2.elapsed, '1,000 events')}`)

  // What one event's local-day bucket costs in JS (recordUsage computes it per event for the daily rollup).
  const at = new Date()
  for (let i = 0; i < 500; i++) periodKey('day', at, f.scope.timeZone)
  const c0 = process.cpuUsage() // CPU time, not wall time: unaffected by other load on the machine
  for (let i = 0; i < 5000; i++) periodKey('day', at, f.scope.timeZone)
  const c1 = process.cpuUsage(c0)
  const keyUs = (c1.user + c1.system) / 5000
  console.log(
    `# periodKey('day', …, '${f.scope.timeZone}') costs ${keyUs.toFixed(0)} µs of CPU per call: ${((keyUs * BATCH_SIZE) / 1000).toFixed(0)} ms of every ${BATCH_SIZE}-event batch`,
  )

  const expected = 300 + SINGLE_CALLS + many.units + BATCH_SIZE + b1.units + b2.units
  const [row] = await pg.query<{ n: string }>('select count(*) as n from token_usage_logs where team_id = $1', [
    f.scope.id,
  ])
  if (Number(row!.n) !== expected) throw new Error(`expected ${expected} rows, found ${row!.n}`)
  console.log(`# check: ${int(expected)} rows recorded`)

  console.log('')
  const best = Math.max(b1.perSecond, b2.perSecond)
  figure(B, 'recordUsage single event, 1 caller: p50', singleLat.p50, ms(singleLat.p50))
  figure(
    B,
    'recordUsage single event, 1 caller',
    SINGLE_CALLS / singleSecs,
    `${int(SINGLE_CALLS / singleSecs)} events/s`,
  )
  figure(
    B,
    `recordUsage single event, ${CONCURRENCY} callers`,
    many.perSecond,
    `${int(many.perSecond)} events/s`,
    atLeast(2000, '≥ 2,000 events/s'),
  )
  figure(
    B,
    'recordUsage ×1,000 batch, 1 caller',
    b1.perSecond,
    `${int(b1.perSecond)} events/s`,
    atLeast(20000, '≥ 20,000 events/s'),
  )
  figure(
    B,
    'recordUsage ×1,000 batch, 2 callers',
    b2.perSecond,
    `${int(b2.perSecond)} events/s`,
    atLeast(20000, '≥ 20,000 events/s'),
  )
  figure(
    B,
    'batch vs single (16 callers)',
    best / many.perSecond,
    `${(best / many.perSecond).toFixed(1)}× the events/s`,
  )
  const nodeMs = b1Cpu['node (recordUsage)']! / (b1.units / BATCH_SIZE)
  figure(
    B,
    'recordUsage ×1,000: Node CPU per batch (noise-free)',
    nodeMs,
    `${nodeMs.toFixed(0)} ms, of which periodKey ≈ ${((keyUs * BATCH_SIZE) / 1000).toFixed(0)} ms`,
  )
})
