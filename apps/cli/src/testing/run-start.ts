import { spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { postmasterPidOf } from '@costwise/db/embedded'
import { freePort } from '@costwise/db/testing/ports'

// `cli start` as a real child process, for the shutdown and crash tests: its own process group (so a test can
// signal the group, as a terminal's Ctrl-C does, or the top process alone, as a process manager may), its output
// collected, and a view of the process tree to prove nothing is left behind.

const repoRootHere = path.resolve(import.meta.dirname, '../../../..')
// The built CLI, as `pnpm cli start` runs it: plain node, @costwise/* packages from their build/ folders.
const main = path.join(repoRootHere, 'apps/cli/build/main.js')
const repoRoot = repoRootHere

const BUILT = [
  'apps/web/build/server/index.js',
  'apps/web/build/node/cluster.js',
  'apps/worker/build/main.js',
  'apps/cli/build/main.js',
]

/** `cli start` runs the production build: without it these tests fail and say how to make it (never skip). */
export function requireWebBuild(): void {
  const missing = BUILT.filter((file) => !existsSync(path.join(repoRoot, file)))
  if (missing.length > 0) {
    throw new Error(
      `${missing.join(', ')} not built: run \`npx pnpm@10 exec turbo run build --filter=@costwise/web --filter=@costwise/cli\` first (\`npm test\` does).`,
    )
  }
}

export interface RunningStart {
  child: ChildProcess
  port: number
  pgPort: number
  dataDir: string
  url: string
  /** postgres://… of the app database on the embedded cluster. */
  databaseUrl: string
  output(): string
  /** Resolves with (code, signal) when the start command has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

export async function until<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown = null
  for (;;) {
    try {
      const value = await fn()
      if (value) return value
    } catch (error) {
      lastError = error
    }
    if (Date.now() > deadline)
      throw new Error(`Timed out waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** A fresh data folder that the `postgres` user can enter (mkdtemp makes it private to us). */
export function tempDataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'costwise-start-'))
  chmodSync(dir, 0o755)
  return dir
}

export async function startCli(
  options: { dataDir?: string; env?: Record<string, string> } = {},
): Promise<RunningStart> {
  const dataDir = options.dataDir ?? tempDataDir()
  const port = await freePort()
  const pgPort = await freePort()
  let output = ''
  const child = spawn(process.execPath, ['--conditions=built', main, 'start'], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DATABASE_URL: '',
      COSTWISE_DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(pgPort),
      PORT: String(port),
      HOST: '127.0.0.1',
      COSTWISE_SKIP_SEED: '1',
      LOG_LEVEL: 'warn',
      OPENAI_API_KEY: '',
      SMTP_URL: '',
      WORKER_CONCURRENCY: '2',
      ...options.env,
    },
  })
  child.stdout!.on('data', (c: Buffer) => (output += c.toString('utf8')))
  child.stderr!.on('data', (c: Buffer) => (output += c.toString('utf8')))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  )
  const running: RunningStart = {
    child,
    port,
    pgPort,
    dataDir,
    url: `http://127.0.0.1:${port}`,
    databaseUrl: `postgres://postgres:postgres@127.0.0.1:${pgPort}/costwise`,
    output: () => output,
    exited,
  }
  const ready = until('cli start to be ready', () => output.includes('Costwise is running at'), 180_000)
  await Promise.race([
    ready,
    exited.then(() => {
      throw new Error(`cli start exited before it was ready:\n${output}`)
    }),
  ])
  return running
}

interface ProcInfo {
  pid: number
  ppid: number
  state: string
  cmdline: string
}

function readProc(pid: number): ProcInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name is in parentheses and may contain spaces; fields after it are space-separated.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()
    return { pid, state: rest[0]!, ppid: Number(rest[1]), cmdline }
  } catch {
    return null
  }
}

function allProcs(): ProcInfo[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => readProc(Number(d)) ?? [])
}

/** `pid` and every process below it. */
export function processTree(pid: number): ProcInfo[] {
  const procs = allProcs()
  const tree: ProcInfo[] = []
  const queue = [pid]
  while (queue.length) {
    const p = queue.shift()!
    const info = procs.find((x) => x.pid === p)
    if (info) tree.push(info)
    for (const c of procs.filter((x) => x.ppid === p)) queue.push(c.pid)
  }
  return tree
}

/** Alive (a zombie, exited but not yet reaped, counts as gone). */
export function isAlive(pid: number): boolean {
  const info = readProc(pid)
  return info !== null && info.state !== 'Z'
}

/** The postmaster's pid from its pid file (null when it isn't running). */
export function postmasterPid(dataDir: string): number | null {
  return postmasterPidOf(path.join(dataDir, 'postgres'))
}

/** Every process `cli start` runs: itself, web, worker, and PostgreSQL with its backends (its own group). */
export function startProcesses(run: RunningStart): ProcInfo[] {
  const pg = postmasterPid(run.dataDir)
  return [...processTree(run.child.pid!), ...(pg ? processTree(pg) : [])]
}

/** The supervised child running `script` (e.g. 'server.js' for the web, 'worker/build/main.js' for the worker). */
export function childRunning(run: RunningStart, marker: string): ProcInfo | undefined {
  return processTree(run.child.pid!).find((p) => p.pid !== run.child.pid && p.cmdline.includes(marker))
}
