/**
 * One place for "undo what this bench started": servers, Postgres, data folders. Cleanups run last-in
 * first-out, once, whether the bench ends normally, throws, or is interrupted (Ctrl-C, SIGTERM).
 */
import os from 'node:os'
import { noiseMeter } from './cpu'

type Cleanup = () => Promise<void> | void

const stack: { label: string; fn: Cleanup }[] = []
let running: Promise<void> | null = null

export function onCleanup(label: string, fn: Cleanup): void {
  stack.push({ label, fn })
}

export function runCleanups(): Promise<void> {
  running ??= (async () => {
    while (stack.length > 0) {
      const { label, fn } = stack.pop()!
      try {
        await fn()
      } catch (error) {
        console.error(`cleanup "${label}" failed:`, error instanceof Error ? error.message : error)
      }
    }
  })()
  return running
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up…`)
    void runCleanups().finally(() => process.exit(130))
  })
}

/**
 * With BENCH_WAIT_QUIET=<minutes>, waits (up to that long) for the machine's 1-minute load average to drop below
 * 1 per 2 cores before starting: on a shared machine, other jobs otherwise make every figure pessimistic.
 */
async function waitForQuiet(): Promise<void> {
  const minutes = Number(process.env.BENCH_WAIT_QUIET ?? 0)
  if (!minutes) return
  const limit = os.cpus().length / 2
  const deadline = Date.now() + minutes * 60_000
  let said = false
  while (os.loadavg()[0]! >= limit && Date.now() < deadline) {
    if (!said)
      console.log(`# waiting for a quieter machine (load average ${os.loadavg()[0]!.toFixed(1)}, want < ${limit})…`)
    said = true
    await new Promise((r) => setTimeout(r, 5000))
  }
}

/** Runs a bench's main function, then always cleans up; exits non-zero on failure. */
export async function runBench(main: () => Promise<void>): Promise<void> {
  await waitForQuiet()
  const started = performance.now()
  const noise = noiseMeter()
  const load = os.loadavg()[0]!
  let failed = false
  try {
    await main()
  } catch (error) {
    failed = true
    console.error('bench failed:', error)
  }
  const n = noise() // before the cleanups stop Postgres and the server, whose CPU counts as this bench's
  await runCleanups()
  console.log(
    `# finished in ${((performance.now() - started) / 1000).toFixed(1)} s; machine CPU ${n.machinePct.toFixed(0)} % busy, ` +
      `this bench ${n.ownPct.toFixed(0)} %, other processes ${n.othersPct.toFixed(0)} % (load average at start ${load.toFixed(1)})` +
      (n.othersPct > 10 ? ' — the machine was shared: figures are pessimistic' : ''),
  )
  process.exit(failed ? 1 : 0)
}
