/**
 * Starts the real web server (apps/web/build/node/cluster.js → server.js: the compiled production build, plain
 * node, no TypeScript loader) in its own process, so the load generator
 * (this process) and the server don't share an event loop. Logs go to a file, as in production.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readMemory } from './rss'
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'
import { onCleanup } from './cleanup'
import { REPO_ROOT, freePort } from './pg'

const WEB_DIR = path.join(REPO_ROOT, 'apps/web')
const BUILD = path.join(WEB_DIR, 'build/server/index.js')
const WEB_MAIN = path.join(WEB_DIR, 'build/node/cluster.js')

export interface WebServer {
  baseUrl: string
  pid: number
  child: ChildProcess
  logFile: string
  /** From spawn to the first healthy /healthz. */
  startupMs: number
  /** RSS of each process of the tier right after start-up: the cluster's primary first, then its workers. */
  idleRssMb: number[]
  stop(): Promise<void>
}

function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full))
    else newest = Math.max(newest, statSync(full).mtimeMs)
  }
  return newest
}

/**
 * Throws with the fix when the production build is missing or predates a route (e.g. the REST routes): the
 * server would answer those paths with the 404 page. Notes when the app's source changed after the build.
 */
export function checkWebBuild(): void {
  const fix = `build it first: cd ${REPO_ROOT} && npx --yes pnpm@10 build`
  if (!existsSync(BUILD) || !existsSync(WEB_MAIN)) throw new Error(`apps/web/build is missing; ${fix}`)
  const built = readFileSync(BUILD, 'utf8')
  const missing = readdirSync(path.join(WEB_DIR, 'app/routes'))
    .filter((f) => /\.(tsx?|jsx?)$/.test(f) && !/\.test\./.test(f))
    .map((f) => `routes/${f.replace(/\.(tsx?|jsx?)$/, '')}`)
    .filter((id) => !built.includes(JSON.stringify(id)))
  if (missing.length > 0) throw new Error(`apps/web/build is older than the app (no ${missing.join(', ')}); ${fix}`)
  if (newestMtime(path.join(WEB_DIR, 'app')) > statSync(BUILD).mtimeMs) {
    console.log(
      '# note: apps/web/app changed after the last build (the server runs packages/*/build and the Remix build: rebuild)',
    )
  }
}

export async function startWebServer(
  name: string,
  databaseUrl: string,
  options: {
    env?: Record<string, string>
    nodeArgs?: string[]
    /** Run the TypeScript sources under the tsx loader instead of the compiled build (the "before" of startup.bench.ts). */
    tsx?: boolean
  } = {},
): Promise<WebServer> {
  checkWebBuild()
  const port = await freePort()
  const logFile = path.join(REPO_ROOT, '.data', `bench-${name}-${process.pid}-web.log`)
  const logFd = openSync(logFile, 'w')
  // WEB_CONCURRENCY processes behind one port (apps/web/cluster.ts); 1 (the default here) serves in one process.
  const processes = options.env?.WEB_CONCURRENCY ?? process.env.WEB_CONCURRENCY ?? '1'
  const main = options.tsx ? ['--import', import.meta.resolve('tsx'), 'cluster.ts'] : ['--conditions=built', WEB_MAIN]
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...main], {
    cwd: WEB_DIR,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      // The app's cap (env.server.ts allows at most 10,000,000 a minute): effectively no limit for a bench.
      RATE_LIMIT_PER_MINUTE: '10000000',
      WEB_CONCURRENCY: processes,
      ...options.env,
    },
    stdio: ['ignore', logFd, logFd],
  })
  closeSync(logFd)
  let exited = false
  const exitPromise = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())))
  const stop = async () => {
    if (exited) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    await exitPromise
    clearTimeout(timer)
  }
  onCleanup('delete the web server log', () => rmSync(logFile, { force: true }))
  onCleanup('stop the web server', stop)

  const baseUrl = `http://127.0.0.1:${port}`
  const started = performance.now()
  for (;;) {
    if (exited) throw new Error(`the web server exited during start-up:\n${tail(logFile)}`)
    try {
      const res = await fetch(`${baseUrl}/healthz`)
      await res.arrayBuffer()
      if (res.ok) break
    } catch {
      /* not listening yet */
    }
    // (Generous: on a shared machine with a load average of 40+ on 2 cores, start-up alone has taken over 60 s.)
    if (performance.now() - started > 180_000)
      throw new Error(`the web server did not answer /healthz within 180 s:\n${tail(logFile)}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  // Idle memory of every process of the web tier (the cluster's primary and its workers, or the one server).
  const pids = [child.pid!, ...childPids(child.pid!)]
  const rss = pids.map((pid) => readMemory(pid)?.rssMb ?? 0)
  const startupMs = performance.now() - started
  console.log(
    `# web server (${options.tsx ? 'cluster.ts → server.ts under tsx' : 'build/node/cluster.js → server.js, compiled, no loader'}, WEB_CONCURRENCY=${processes}) pid ${child.pid} on ${baseUrl}, up in ${(startupMs / 1000).toFixed(1)} s; idle RSS ${rss.map((r) => `${r.toFixed(0)} MB`).join(' + ')}`,
  )
  return { baseUrl, pid: child.pid!, child, logFile, startupMs, idleRssMb: rss, stop }
}

export function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
  } catch {
    return '(no log)'
  }
}

/** The direct children of `parent` (e.g. the server processes under apps/web/cluster.ts). */
export function childPids(parent: number): number[] {
  const out: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent) out.push(Number(entry))
    } catch {
      /* gone */
    }
  }
  return out
}
