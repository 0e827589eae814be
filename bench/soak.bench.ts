/**
 * Soak: a steady mixed load against the real web server (production build) for 10 minutes, sampling every 10 s:
 * the server's RSS, event-loop delay (p99), database pool use, and the p99 of the requests in that window.
 *
 *   cd bench && npx tsx soak.bench.ts                 (10 minutes)
 *   SOAK_SECONDS=60 npx tsx soak.bench.ts             (a short run)
 *
 * The mix, from 8 closed-loop clients: 60 % POST /api/usage/track, 20 % reserve then track (settling it),
 * 15 % GET /api/usage/stats, 5 % GET /api/usage/export (CSV of a second team's fixed 5,000 rows, so each
 * export is the same work however long the soak runs). Figures (BRIEF, "The bar"; issue 9):
 *   - RSS growth after warm-up (first minute, or the first sixth of a short run)   target < 10 %
 *   - pool exhaustion: requests refused because no connection came within the pool's 5 s timeout (503)  target zero
 *     (also shown: windows with the pool at its maximum and callers queued for a connection — queueing, not failure)
 *   - p99 stability: the worst window's p99 over the median window's p99            target < 2×
 *   - errors (any non-2xx)                                                          target zero
 * The load generator is this process; the server and PostgreSQL are other processes on the same 2 cores.
 */
import { cpuSince, cpuSnapshot, noiseMeter, postmasterPid, type Groups } from './lib/cpu'
import { addBudget, createTeamFixture, usageEvent as event } from './lib/fixtures'
import { runBench } from './lib/cleanup'
import { Api, expectStatus } from './lib/http'
import { startBenchDb } from './lib/pg'
import { readMemory } from './lib/rss'
import { below, figure, header, int, ms, percentile, zero } from './lib/report'
import { childPids, startWebServer } from './lib/web'

const B = 'soak'
const SECONDS = Number(process.env.SOAK_SECONDS ?? 600)
const SAMPLE_SECONDS = 10
const WARMUP_SECONDS = Math.min(60, Math.round(SECONDS / 6))
const CLIENTS = 8
const EXPORT_ROWS = 5000

/** One value of a Prometheus text metric (first line matching name and labels). */
function metric(text: string, name: string, labels = ''): number {
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith(`${name}${labels} `) || (labels === '' && !l.startsWith(`${name}{`) && l.startsWith(`${name} `)),
    )
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : Number.NaN
}

interface Sample {
  at: number
  /** Every request's latency in the window (so windows can be pooled). */
  latencies: number[]
  /** CPU the web tier and PostgreSQL spent per request in the window: the work, whatever else runs. */
  cpuMsPerRequest: number
  /** Share of the machine's cores that other processes (not this bench's) used in the window. */
  othersPct: number
  rssMb: number
  heapMb: number
  loopP99Ms: number
  poolTotal: number
  poolMax: number
  poolWaitedMax: number
  requests: number
  p99Ms: number
  errors: number
}

await runBench(async () => {
  header(`soak: mixed load for ${SECONDS} s (track, reserve/settle, stats, export), sampled every ${SAMPLE_SECONDS} s`)
  const pg = await startBenchDb(B)
  const f = await createTeamFixture(pg.db, { slug: 'soak-team', users: 2, prompts: 4 })
  await addBudget(pg.db, f, {
    name: 'Team monthly (hard)',
    scope: 'team',
    period: 'month',
    limitUsd: '100000000',
    mode: 'hard',
  })
  await addBudget(pg.db, f, {
    name: 'User monthly (soft)',
    scope: 'user',
    userId: f.userIds[0],
    period: 'month',
    limitUsd: '50000000',
    mode: 'soft',
  })
  const exporter = await createTeamFixture(pg.db, { slug: 'soak-export', users: 1, prompts: 1 })
  const web = await startWebServer(B, pg.url)
  const api = new Api(web.baseUrl, f.key, CLIENTS)
  const exportApi = new Api(web.baseUrl, exporter.key, 2)
  for (let b = 0; b < EXPORT_ROWS / 1000; b++) {
    const res = await exportApi.post('/api/usage/track/batch', {
      events: Array.from({ length: 1000 }, () => event(exporter)),
    })
    expectStatus(res, 200, 'seed the export team')
  }

  const ops: { weight: number; name: string; call: () => Promise<void> }[] = [
    {
      weight: 60,
      name: 'track',
      call: async () => expectStatus(await api.post('/api/usage/track', event(f)), 200, 'track'),
    },
    {
      weight: 20,
      name: 'reserve+settle',
      call: async () => {
        const reserved = await api.post('/api/usage/reserve', {
          model: 'gpt-4o-mini',
          inputTokens: 800,
          maxOutputTokens: 300,
          userId: f.userIds[0],
        })
        expectStatus(reserved, 200, 'reserve')
        expectStatus(
          await api.post(
            '/api/usage/track',
            event(f, { model: 'gpt-4o-mini', reservationId: reserved.json.reservationId }),
          ),
          200,
          'settle',
        )
      },
    },
    {
      weight: 15,
      name: 'stats',
      call: async () => {
        const res = await api.get('/api/usage/stats?groupBy=model')
        const text = await res.body.text()
        if (res.statusCode !== 200) throw new Error(`stats: HTTP ${res.statusCode} ${text.slice(0, 200)}`)
      },
    },
    {
      weight: 5,
      name: 'export',
      call: async () => {
        const res = await exportApi.get('/api/usage/export?format=csv')
        let lines = 0
        for await (const chunk of res.body) for (const byte of chunk as Buffer) if (byte === 10) lines++
        if (res.statusCode !== 200 || lines !== EXPORT_ROWS + 1)
          throw new Error(`export: HTTP ${res.statusCode}, ${lines} lines`)
      },
    },
  ]
  const pick = (i: number) => {
    let r = (i * 37) % 100
    for (const op of ops) {
      if (r < op.weight) return op
      r -= op.weight
    }
    return ops[0]!
  }

  let window: number[] = []
  let windowErrors = 0
  let totalErrors = 0
  let unavailable = 0
  const firstErrors: string[] = []
  const samples: Sample[] = []
  const started = performance.now()
  const end = started + SECONDS * 1000

  // The web tier (cluster primary and its server processes) and PostgreSQL with its backends.
  const groups: Groups = {
    web: { pid: web.pid, withChildren: true },
    postgres: { pid: postmasterPid(pg.dataDir), withChildren: true },
  }
  let cpuBefore = cpuSnapshot(groups)
  let noise = noiseMeter()
  const sampler = (async () => {
    for (let next = started + SAMPLE_SECONDS * 1000; next <= end + 1; next += SAMPLE_SECONDS * 1000) {
      await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())))
      const res = await fetch(`${web.baseUrl}/metrics`)
      const text = await res.text()
      const latencies = window
      const errors = windowErrors
      window = []
      windowErrors = 0
      const cpu = cpuSince(cpuBefore, groups)
      const others = noise().othersPct
      cpuBefore = cpuSnapshot(groups)
      noise = noiseMeter()
      // The server processes' memory (the cluster primary only starts and stops them).
      const rssMb = [web.pid, ...childPids(web.pid)].reduce(
        (sum, pid) => sum + (readMemory(pid)?.rssMb ?? Number.NaN),
        0,
      )
      const s: Sample = {
        at: Math.round((performance.now() - started) / 1000),
        latencies,
        cpuMsPerRequest: (cpu.web! + cpu.postgres!) / Math.max(1, latencies.length),
        othersPct: others,
        rssMb,
        heapMb: metric(text, 'nodejs_heap_size_used_bytes') / 2 ** 20,
        loopP99Ms: metric(text, 'nodejs_eventloop_lag_p99_seconds') * 1000,
        poolTotal: metric(text, 'costwise_db_pool_connections', '{state="total"}'),
        poolMax: metric(text, 'costwise_db_pool_connections', '{state="max"}'),
        poolWaitedMax: metric(text, 'costwise_db_pool_waiting_max'),
        requests: latencies.length,
        p99Ms: percentile(latencies, 99),
        errors,
      }
      samples.push(s)
      console.log(
        `${String(s.at).padStart(4)} s  rss ${s.rssMb.toFixed(0)} MB  heap ${s.heapMb.toFixed(0)} MB  loop p99 ${ms(s.loopP99Ms)}  ` +
          `pool ${s.poolTotal}/${s.poolMax} (waited max ${s.poolWaitedMax})  ${int(s.requests / SAMPLE_SECONDS)} req/s  p99 ${ms(s.p99Ms)}  ` +
          `CPU/request ${ms(s.cpuMsPerRequest)}  others ${s.othersPct.toFixed(0)} %  errors ${s.errors}`,
      )
    }
  })()

  let i = 0
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < end) {
        const op = pick(i++)
        const t = performance.now()
        try {
          await op.call()
          window.push(performance.now() - t)
        } catch (error) {
          windowErrors++
          totalErrors++
          if (error instanceof Error && error.message.includes('HTTP 503')) unavailable++
          if (firstErrors.length < 5)
            firstErrors.push(`${op.name}: ${error instanceof Error ? error.message : String(error)}`)
        }
      }
    }),
  )
  await sampler
  for (const e of firstErrors) console.log(`# error: ${e}`)

  const afterWarmup = samples.filter((s) => s.at > WARMUP_SECONDS)
  const base = afterWarmup[0]!
  const last = samples.at(-1)!
  const growth = ((last.rssMb - base.rssMb) / base.rssMb) * 100
  const p99s = afterWarmup.map((s) => s.p99Ms)
  const medianP99 = percentile(p99s, 50)
  const worstP99 = Math.max(...p99s)
  const requests = samples.reduce((n, s) => n + s.requests, 0)
  console.log(
    `# ${int(requests)} requests in ${SECONDS} s (${int(requests / SECONDS)} req/s); warm-up ${WARMUP_SECONDS} s; RSS ${base.rssMb.toFixed(0)} → ${last.rssMb.toFixed(0)} MB (max ${Math.max(...afterWarmup.map((s) => s.rssMb)).toFixed(0)})`,
  )
  figure(B, 'RSS growth after warm-up', growth, `${growth.toFixed(1)} %`, below(10, '< 10 %'))
  const atMax = afterWarmup.filter((s) => s.poolTotal >= s.poolMax).length
  const queued = Math.max(...afterWarmup.map((s) => s.poolWaitedMax))
  console.log(
    `# pool: at its maximum (${last.poolMax}) in ${atMax} of ${afterWarmup.length} windows; at most ${queued} callers queued for a connection at once`,
  )
  figure(B, 'pool exhaustion: no connection within 5 s (503)', unavailable, int(unavailable), zero())
  // p99 at the end against p99 at the start, like with like: equal stretches (a third of the run after warm-up,
  // at least one window each), every request in them pooled. Beside it, what the machine did meanwhile: the CPU
  // the web tier and PostgreSQL spent per request (our work, which other load does not change) and the share of
  // the cores other processes took (which stretches every latency when the bench gets less CPU).
  const stretch = Math.max(1, Math.floor(afterWarmup.length / 3))
  const startWindows = afterWarmup.slice(0, stretch)
  const endWindows = afterWarmup.slice(-stretch)
  const pooled = (ws: Sample[]) =>
    percentile(
      ws.flatMap((w) => w.latencies),
      99,
    )
  const mean = (ws: Sample[], f: (w: Sample) => number) => ws.reduce((sum, w) => sum + f(w), 0) / ws.length
  const cpuPer = (ws: Sample[]) =>
    ws.reduce((sum, w) => sum + w.cpuMsPerRequest * w.requests, 0) /
    Math.max(
      1,
      ws.reduce((n, w) => n + w.requests, 0),
    )
  const [p99Start, p99End] = [pooled(startWindows), pooled(endWindows)]
  const [cpuStart, cpuEnd] = [cpuPer(startWindows), cpuPer(endWindows)]
  const [othersStart, othersEnd] = [mean(startWindows, (w) => w.othersPct), mean(endWindows, (w) => w.othersPct)]
  const span = (ws: Sample[]) => `${ws[0]!.at - SAMPLE_SECONDS}–${ws.at(-1)!.at} s`
  console.log(
    `# start ${span(startWindows)}, end ${span(endWindows)}: other processes took ${othersStart.toFixed(0)} % → ${othersEnd.toFixed(0)} % of the cores`,
  )
  figure(
    B,
    'p99, end over start (equal stretches after warm-up)',
    p99End / p99Start,
    `${ms(p99Start)} → ${ms(p99End)} (${(p99End / p99Start).toFixed(2)}×)`,
    below(2, '< 2×'),
  )
  // On a shared machine a request waits for CPU: with a share s of the cores left to this bench, latency grows
  // about as 1/s. Scaled by the share left, the two stretches compare like with like (a model, stated as such).
  const [leftStart, leftEnd] = [100 - othersStart, 100 - othersEnd]
  const scaled = (p99End * leftEnd) / (p99Start * leftStart)
  figure(
    B,
    'p99 × CPU share left to the bench, end over start',
    scaled,
    `${ms(p99Start)} at ${leftStart.toFixed(0)} % → ${ms(p99End)} at ${leftEnd.toFixed(0)} % (${scaled.toFixed(2)}×)`,
    below(2, '< 2×'),
  )
  figure(
    B,
    'web + PostgreSQL CPU per request, end over start',
    cpuEnd / cpuStart,
    `${ms(cpuStart)} → ${ms(cpuEnd)} (${(cpuEnd / cpuStart).toFixed(2)}×)`,
    below(1.2, '< 1.2× (no drift in the work; background CPU is spread over fewer requests when the bench is starved)'),
  )
  figure(
    B,
    'p99 per 10 s window: median / worst',
    worstP99 / medianP99,
    `${ms(medianP99)} / ${ms(worstP99)} (worst ${(worstP99 / medianP99).toFixed(2)}× median)`,
  )
  figure(
    B,
    'event-loop delay p99 (worst window)',
    Math.max(...afterWarmup.map((s) => s.loopP99Ms)),
    ms(Math.max(...afterWarmup.map((s) => s.loopP99Ms))),
  )
  figure(B, 'errors (non-2xx or failed checks)', totalErrors, int(totalErrors), zero())
})
