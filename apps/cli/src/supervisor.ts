import { spawn, type ChildProcess } from 'node:child_process'

export interface SupervisedSpec {
  name: string
  /** node arguments (loader flags, then the script). */
  args: string[]
  cwd: string
  env: NodeJS.ProcessEnv
}

export interface SupervisorOptions {
  log(line: string): void
  /** First restart delay; doubles per crash in a row up to `maxBackoffMs`. */
  initialBackoffMs?: number
  maxBackoffMs?: number
  /** A child that ran this long before dying starts the backoff over. */
  healthyAfterMs?: number
  /** Asked when a child dies; false leaves it dead (e.g. it never got ready: a bad port, a bad config). */
  shouldRestart?: () => boolean
}

export interface Supervised {
  readonly name: string
  readonly child: ChildProcess
  readonly restarts: number
  /** SIGTERM, then SIGKILL when it is still running after `timeoutMs`. No restart after this. */
  stop(timeoutMs: number): Promise<void>
  /** SIGKILL now (a second Ctrl-C). */
  kill(): void
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `killed by ${signal}` : `exit code ${code}`
}

function exitedPromise(child: ChildProcess): Promise<void> {
  // A child killed by a signal has exitCode === null and signalCode set: it has exited all the same.
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => child.once('exit', () => resolve()))
}

/**
 * Runs a Node child and restarts it when it dies (crash, kill -9, OOM), with exponential backoff, logging each
 * death and restart. Children get their own process group (a Ctrl-C reaches only the supervisor, which stops
 * them in order) and an IPC channel, so they stop by themselves if the supervisor disappears.
 */
export function supervise(spec: SupervisedSpec, options: SupervisorOptions): Supervised {
  const initial = options.initialBackoffMs ?? 250
  const max = options.maxBackoffMs ?? 10_000
  const healthyAfter = options.healthyAfterMs ?? 30_000
  let stopping = false
  let restarts = 0
  let crashesInARow = 0
  let timer: NodeJS.Timeout | null = null
  let child!: ChildProcess

  const launch = () => {
    const startedAt = Date.now()
    child = spawn(process.execPath, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    child.on('error', (error) => options.log(`${spec.name}: could not start (${error.message})`))
    child.once('exit', (code, signal) => {
      if (stopping) return
      if (options.shouldRestart && !options.shouldRestart()) {
        options.log(`The ${spec.name} stopped (${describeExit(code, signal)}).`)
        return
      }
      crashesInARow = Date.now() - startedAt >= healthyAfter ? 1 : crashesInARow + 1
      const delay = Math.min(max, initial * 2 ** (crashesInARow - 1))
      options.log(
        `The ${spec.name} stopped unexpectedly (${describeExit(code, signal)}); restarting it in ${delay} ms.`,
      )
      timer = setTimeout(() => {
        timer = null
        if (stopping) return
        restarts += 1
        launch()
        options.log(`The ${spec.name} was restarted (pid ${child.pid}, restart #${restarts}).`)
      }, delay)
    })
  }
  launch()

  return {
    name: spec.name,
    get child() {
      return child
    },
    get restarts() {
      return restarts
    },
    async stop(timeoutMs) {
      stopping = true
      if (timer) clearTimeout(timer)
      const current = child
      const exited = exitedPromise(current)
      if (current.exitCode === null && current.signalCode === null) current.kill('SIGTERM')
      const force = setTimeout(() => {
        options.log(`The ${spec.name} did not stop within ${timeoutMs / 1000} s; killing it.`)
        current.kill('SIGKILL')
      }, timeoutMs)
      await exited
      clearTimeout(force)
    },
    kill() {
      stopping = true
      if (timer) clearTimeout(timer)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    },
  }
}
