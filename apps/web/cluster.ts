import cluster, { type Worker } from 'node:cluster'
import { fileURLToPath } from 'node:url'

// The web tier on every core: WEB_CONCURRENCY processes (default: one per core) running server.ts share PORT
// through node:cluster. Nothing that must agree lives in one process's memory (rate limits in PostgreSQL,
// caches invalidated by LISTEN/NOTIFY), so any process may answer any request. This primary only starts them
// and stops them: on SIGTERM/SIGINT (or when `cli start`'s supervisor goes away) it stops them gracefully and
// exits when they have. One restart policy: when a process dies unexpectedly, the others are stopped and the
// primary ends the same way (exit code or signal), so the supervisor restarts the whole tier with its backoff.

const { env } = await import('./app/env.server').catch((error: unknown) => {
  if (error instanceof Error && error.name === 'EnvError') {
    console.error(error.message)
    process.exit(1)
  }
  throw error
})
const { logger } = await import('./app/logger.server')

const serverScript = fileURLToPath(
  new URL(`./server${import.meta.url.endsWith('.js') ? '.js' : '.ts'}`, import.meta.url),
)
cluster.setupPrimary({ exec: serverScript, args: [] })

let stopping = false
const alive = () => Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && !w.isDead())

/** Stops every web process gracefully (each finishes its requests in flight), then `after`. */
function stopAll(after: () => void): void {
  const timer = setTimeout(after, 15_000)
  timer.unref()
  void Promise.all(
    alive().map(
      (w) =>
        new Promise((resolve) => {
          w.once('exit', resolve)
          w.process.kill('SIGTERM')
        }),
    ),
  ).then(after)
}

for (let i = 0; i < env.WEB_CONCURRENCY; i++) {
  const worker = cluster.fork()
  worker.once('exit', (code, signal) => {
    if (stopping) return
    stopping = true
    logger.error({ pid: worker.process.pid, code, signal }, 'a web process died; stopping the others')
    stopAll(() => {
      if (signal) process.kill(process.pid, signal)
      process.exit(code || 1)
    })
  })
}
let listening = 0
cluster.on('listening', () => {
  if (++listening === env.WEB_CONCURRENCY)
    logger.info({ processes: env.WEB_CONCURRENCY, port: env.PORT }, 'web processes listening')
})

const shutdown = (reason: string) => {
  if (stopping) return
  stopping = true
  logger.info({ reason }, 'stopping the web processes')
  stopAll(() => process.exit(0))
}
process.once('SIGTERM', () => shutdown('SIGTERM'))
process.once('SIGINT', () => shutdown('SIGINT'))
// Started by `cli start` (an IPC channel): when the supervisor is gone, so are we — no orphan holding the port.
if (process.send) process.on('disconnect', () => shutdown('supervisor gone'))
