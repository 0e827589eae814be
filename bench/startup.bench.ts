/**
 * Start-up time and idle memory of the production web tier, as `cli start` runs it (the compiled build under
 * plain node), next to the same tier under the tsx loader (how it ran before issue 16's item 4): from spawn to
 * the first healthy /healthz, the CPU the tier spent getting there (the figure that holds on a shared machine),
 * and each web process's RSS right after start-up and after a first page and API call.
 *
 *   cd bench && npx tsx startup.bench.ts        (build first: npx pnpm@10 build)
 */
import { runBench } from './lib/cleanup'
import { cpuSnapshot } from './lib/cpu'
import { startBenchDb } from './lib/pg'
import { readMemory } from './lib/rss'
import { below, figure, header, ms, summarize } from './lib/report'
import { childPids, startWebServer } from './lib/web'

const RUNS = 3

await runBench(async () => {
  header('web tier start-up and idle RSS: compiled JavaScript (no TypeScript loader) vs the tsx loader')
  const pg = await startBenchDb('startup')
  for (const tsx of [false, true]) {
    const how = tsx ? 'tsx loader (before)' : 'compiled'
    const startup: number[] = []
    const cpu: number[] = []
    const idle: number[] = []
    const warm: number[] = []
    for (let i = 0; i < RUNS; i++) {
      const web = await startWebServer(`startup-${i}`, pg.url, { env: { WEB_CONCURRENCY: '1' }, tsx })
      startup.push(web.startupMs)
      cpu.push([...cpuSnapshot({ web: { pid: web.pid, withChildren: true } }).web!.values()].reduce((a, b) => a + b, 0))
      // The primary (cluster.js) is first; the serving process is the last one.
      idle.push(web.idleRssMb.at(-1)!)
      for (const path of ['/login', '/api/openapi.json', '/healthz'])
        await (await fetch(`${web.baseUrl}${path}`)).arrayBuffer()
      warm.push(Math.max(...servingPids(web.pid).map((pid) => readMemory(pid)?.rssMb ?? 0)))
      await web.stop()
    }
    const s = summarize(startup)
    const c = summarize(cpu)
    figure(
      'startup',
      `${how}: start-up to /healthz, 1 process (median)`,
      s.p50,
      `${ms(s.p50)} (runs: ${startup.map(ms).join(', ')})`,
    )
    figure(
      'startup',
      `${how}: CPU spent starting (primary + server, median)`,
      c.p50,
      `${ms(c.p50)} (runs: ${cpu.map(ms).join(', ')})`,
    )
    const idleMax = Math.max(...idle)
    figure(
      'startup',
      `${how}: idle RSS of the web process (worst)`,
      idleMax,
      `${idleMax.toFixed(0)} MB (runs: ${idle.map((r) => r.toFixed(0)).join(', ')} MB)`,
      below(150, '< 150 MB'),
    )
    const warmMax = Math.max(...warm)
    figure('startup', `${how}: RSS after a first page + OpenAPI doc (worst)`, warmMax, `${warmMax.toFixed(0)} MB`)
  }
  const two = await startWebServer('startup-2p', pg.url, { env: { WEB_CONCURRENCY: '2' } })
  await two.stop()
  const servers = two.idleRssMb.slice(1)
  figure('startup', 'compiled, WEB_CONCURRENCY=2: start-up to /healthz', two.startupMs, ms(two.startupMs))
  figure(
    'startup',
    'compiled, WEB_CONCURRENCY=2: idle RSS per web process (worst)',
    Math.max(...servers),
    `${servers.map((r) => r.toFixed(0)).join(' + ')} MB; primary ${two.idleRssMb[0]!.toFixed(0)} MB`,
    below(150, '< 150 MB'),
  )
})

/** The serving processes of a tier: the cluster primary's children, or the process itself when it has none. */
function servingPids(parent: number): number[] {
  const children = childPids(parent)
  return children.length > 0 ? children : [parent]
}
