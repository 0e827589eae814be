/**
 * CSV export of 1 M usage rows over HTTP: GET /api/usage/export?from&to on the real web server.
 *
 *   cd bench && npx tsx export.bench.ts          (≈ 1.5 minutes)
 *
 * 1 M rows of one team over the last 30 days (generated inside PostgreSQL, bench/lib/seed.ts). The body is
 * streamed and counted (rows must be exactly 1 M); the server's resident memory is sampled from
 * /proc/<pid>/status every 20 ms while it streams. BRIEF's bar: < 5 s, < 200 MB RSS (flat memory).
 * Measured as a plain HTTP client (curl) asks for it — no Accept-Encoding; a browser download asks for gzip,
 * which the server's compression middleware then applies: printed too, for information. Also for information:
 * a slow client (reading 2 MB/s, as over a modest link) for 8 s — does the server hold memory flat by waiting
 * for it (backpressure)? — and whether the COPY stops when that client goes away; and the plan of the COPY's query.
 */
import { resolveRange } from '@costwise/api/services/analytics'
import { copyUsageCsv } from '@costwise/db'
import { periodWindow, rangeInstants } from '@costwise/core'
import { Pool } from 'undici'
import { onCleanup, runBench } from './lib/cleanup'
import { benchGroups, cpuSince, cpuSnapshot, describeCpu } from './lib/cpu'
import { createTeamFixture } from './lib/fixtures'
import { startBenchDb } from './lib/pg'
import { below, figure, header, int, percentile } from './lib/report'
import { readMemory, sampleRss } from './lib/rss'
import { seedUsage } from './lib/seed'
import { recordStatements } from './lib/statements'
import { startWebServer } from './lib/web'

const B = 'export'
const ROWS = Number(process.env.EXPORT_ROWS ?? 1_000_000)
const RUNS = Number(process.env.EXPORT_RUNS ?? 3)
const SLOW_BYTES_PER_SECOND = 2e6

interface Download {
  seconds: number
  firstByteMs: number
  bytes: number
  lines: number
  peakRssMb: number
  status: number
  encoding: string | null
}

async function download(
  http: Pool,
  path: string,
  key: string,
  pid: number,
  headers: Record<string, string> = {},
): Promise<Download> {
  const rss = sampleRss(pid, 20)
  const started = performance.now()
  const res = await http.request({ path, method: 'GET', headers: { authorization: `Bearer ${key}`, ...headers } })
  const firstByteMs = performance.now() - started
  let bytes = 0
  let lines = 0
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    bytes += chunk.length
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++
  }
  const seconds = (performance.now() - started) / 1000
  const { peakMb } = rss.stop()
  const encoding = res.headers['content-encoding']
  return {
    seconds,
    firstByteMs,
    bytes,
    lines,
    peakRssMb: peakMb,
    status: res.statusCode,
    encoding: typeof encoding === 'string' ? encoding : null,
  }
}

await runBench(async () => {
  header(`CSV export of ${int(ROWS)} rows over HTTP (GET /api/usage/export)`)
  const pg = await startBenchDb(B)
  await pg.query("alter system set max_wal_size = '16GB'")
  await pg.query('select pg_reload_conf()')
  const f = await createTeamFixture(pg.db, { users: 10, prompts: 20, timeZone: 'Europe/Berlin' })
  const range = resolveRange({}, f.scope.timeZone) // the default 30 local days, ending today
  const start = new Date(
    periodWindow('day', new Date(`${range.from}T12:00:00Z`), f.scope.timeZone).start.getTime() + 60_000,
  )
  const end = new Date(Date.now() - 60_000)
  const t = performance.now()
  await seedUsage(pg, f, { rows: ROWS, start, end, offset: 0 })
  await pg.query('analyze token_usage_logs')
  console.log(
    `# ${int(ROWS)} rows written over ${range.from} … ${range.to} (${f.scope.timeZone}) in ${((performance.now() - t) / 1000).toFixed(0)} s`,
  )

  const web = await startWebServer(B, pg.url)
  const http = new Pool(web.baseUrl, { connections: 1, bodyTimeout: 120_000 })
  onCleanup('close HTTP connections', () => http.close())
  const path = `/api/usage/export?from=${range.from}&to=${range.to}`

  // Warm the route (and the server's code paths) on a one-day export first.
  const warm = await download(http, `/api/usage/export?from=${range.to}&to=${range.to}`, f.key, web.pid)
  if (warm.status !== 200) throw new Error(`export answered HTTP ${warm.status}`)
  const idle = readMemory(web.pid)!
  console.log(
    `# server RSS before the export: ${idle.rssMb.toFixed(0)} MB (after a one-day warm-up export of ${int(warm.lines - 1)} rows)`,
  )

  const groups = benchGroups(web.pid, pg.dataDir)
  const runs: Download[] = []
  for (let i = 0; i < RUNS; i++) {
    const cpu = cpuSnapshot(groups)
    const d = await download(http, path, f.key, web.pid)
    if (d.status !== 200) throw new Error(`export answered HTTP ${d.status}`)
    if (d.lines - 1 !== ROWS) throw new Error(`the CSV has ${d.lines - 1} rows, expected ${ROWS}`)
    runs.push(d)
    console.log(
      `# run ${i + 1}: ${d.seconds.toFixed(2)} s, first byte after ${d.firstByteMs.toFixed(0)} ms, ${(d.bytes / 1e6).toFixed(0)} MB ` +
        `(${(d.bytes / 1e6 / d.seconds).toFixed(0)} MB/s), ${int(d.lines - 1)} rows + header, server peak RSS ${d.peakRssMb.toFixed(0)} MB`,
    )
    console.log(`#   ${describeCpu(cpuSince(cpu, groups), ROWS / 100_000, d.seconds, '100,000 rows')}`)
  }

  // A slow client (2 MB/s, a modest link) for 8 s, then it goes away.
  const before = readMemory(web.pid)!.rssMb
  const slowRss = sampleRss(web.pid, 50)
  const slow = await http.request({ path, method: 'GET', headers: { authorization: `Bearer ${f.key}` } })
  const slowStart = performance.now()
  let slowBytes = 0
  for await (const chunk of slow.body as AsyncIterable<Buffer>) {
    slowBytes += chunk.length
    const elapsed = (performance.now() - slowStart) / 1000
    const ahead = slowBytes / SLOW_BYTES_PER_SECOND - elapsed
    if (ahead > 0) await new Promise((r) => setTimeout(r, ahead * 1000))
    if (elapsed > 8) break
  }
  slow.body.destroy()
  const slowPeak = slowRss.stop().peakMb
  await new Promise((r) => setTimeout(r, 1500))
  const copies = await pg.query<{ n: string }>(
    "select count(*) as n from pg_stat_activity where query ilike 'copy (%' and state = 'active'",
  )
  const stillCopying = Number(copies[0]!.n)
  console.log(
    `# slow client (${SLOW_BYTES_PER_SECOND / 1e6} MB/s, ${(slowBytes / 1e6).toFixed(0)} MB in 8 s, then gone): server RSS ${before.toFixed(0)} → peak ${slowPeak.toFixed(0)} MB ` +
      `(+${(slowPeak - before).toFixed(0)} MB); COPY still running 1.5 s after the client left: ${stillCopying ? 'yes' : 'no'}`,
  )

  // What a browser gets: it asks for gzip, and the app's compression middleware compresses the stream.
  const gz = await download(http, path, f.key, web.pid, { 'accept-encoding': 'gzip' })
  console.log(
    `# with Accept-Encoding: gzip (a browser download): ${gz.seconds.toFixed(2)} s, ${(gz.bytes / 1e6).toFixed(0)} MB ` +
      `${gz.encoding ?? 'uncompressed'}, server peak RSS ${gz.peakRssMb.toFixed(0)} MB`,
  )
  const hwm = readMemory(web.pid)!.hwmMb

  // The COPY's query and its plan (the app's own text, captured in this process).
  const window = rangeInstants(range, f.scope.timeZone)
  const statements = await recordStatements(async () => {
    const stream = await copyUsageCsv(pg.db, { teamId: f.scope.id, from: window.start, to: window.end, filters: {} })
    for await (const _chunk of stream) {
      // drained, so the pooled connection comes back clean
    }
  })
  const inner = /copy \((select .*)\) to stdout/is.exec(
    statements.find((st) => /^copy/i.test(st.text))?.text ?? '',
  )?.[1]
  if (inner) {
    const plan = await pg.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${inner}`)
    console.log(
      `# EXPLAIN ANALYZE of the export's query (${inner.replace(/\s+/g, ' ').slice(0, 90)}… order by occurred_at, id):`,
    )
    for (const row of plan.slice(0, 14)) console.log(`#   ${row['QUERY PLAN']}`)
    if (plan.some((row) => /Sort Key: \(to_char/.test(row['QUERY PLAN']))) {
      console.log(
        '# note: ORDER BY occurred_at binds to the select-list alias (the to_char() text), not the column, so PostgreSQL ' +
          'sorts every row (on disk) before the first byte instead of reading the (team_id, occurred_at, id) index in order',
      )
    }
  }

  console.log('')
  const seconds = percentile(
    runs.map((r) => r.seconds),
    50,
  )
  const peak = Math.max(...runs.map((r) => r.peakRssMb))
  figure(
    B,
    `export ${int(ROWS)} rows over HTTP (median of ${RUNS})`,
    seconds,
    `${seconds.toFixed(2)} s`,
    below(5, '< 5 s'),
  )
  figure(
    B,
    'export: server peak RSS while streaming',
    peak,
    `${peak.toFixed(0)} MB (idle ${idle.rssMb.toFixed(0)} MB)`,
    below(200, '< 200 MB'),
  )
  figure(
    B,
    'export: time to first byte (median)',
    percentile(
      runs.map((r) => r.firstByteMs),
      50,
    ),
    `${percentile(
      runs.map((r) => r.firstByteMs),
      50,
    ).toFixed(0)} ms`,
  )
  figure(
    B,
    'export with gzip (browser download)',
    gz.seconds,
    `${gz.seconds.toFixed(2)} s, peak RSS ${gz.peakRssMb.toFixed(0)} MB`,
    below(5, '< 5 s'),
  )
  figure(B, 'export: server VmHWM (whole life, incl. start-up)', hwm, `${hwm.toFixed(0)} MB`)
  figure(
    B,
    'export to a 2 MB/s client: server peak RSS',
    slowPeak,
    `${slowPeak.toFixed(0)} MB (+${(slowPeak - before).toFixed(0)} MB in 8 s)`,
    below(200, '< 200 MB'),
  )
  figure(
    B,
    'export: server RSS growth while streaming (fast client)',
    peak - idle.rssMb,
    `+${(peak - idle.rssMb).toFixed(0)} MB`,
  )
})
