/**
 * One place for "undo what this bench started": servers, Postgres, data folders. Cleanups run last-in
 * first-out, once, whether the bench ends normally, throws, or is interrupted (Ctrl-C, SIGTERM).
 */
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

/** Runs a bench's main function, then always cleans up; exits non-zero on failure. */
export async function runBench(main: () => Promise<void>): Promise<void> {
  const started = performance.now()
  let failed = false
  try {
    await main()
  } catch (error) {
    failed = true
    console.error('bench failed:', error)
  } finally {
    await runCleanups()
  }
  console.log(`# finished in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  process.exit(failed ? 1 : 0)
}
