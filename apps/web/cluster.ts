import cluster, { type Worker } from 'node:cluster'
import { fileURLToPath } from 'node:url'

// The web tier on every core: WEB_CONCURRENCY processes (default: one per core) share PORT through
// node:cluster. Each is the whole server (server.ts); nothing that must agree lives in one process's memory
// (rate limits in PostgreSQL, caches invalidated by LISTEN/NOTIFY). This primary only starts them, starts a
// new one when one dies, and on SIGTERM/SIGINT stops them all gracefully and exits when they have.
// With WEB_CONCURRENCY=1 the server runs in this process, as `server.ts` would.

const { env } = await import('./app/env.server').catch((error: unknown) => {
  if (error instanceof Error && error.name === 'EnvError') {
    console.error(error.message)
    process.exit(1)
  }
  throw error
})
const serverScript = fileURLToPath(new URL(`./server${import.meta.url.endsWith('.js') ? '.js' : '.ts'}`, import.meta.url))

if (env.WEB_CONCURRENCY === 1) {
  const { startWebServer, shutdownOnSignals } = await import('./server')
  shutdownOnSignals(await startWebServer())
} else {
  const { logger } = await import('./app/logger.server')
  cluster.setupPrimary({ exec: serverScript, args: [] })
  let stopping = false
  const fork = (): Worker => {
    const worker = cluster.fork()
    worker.once('exit', (code, signal) => {
      if (stopping) return
      logger.error({ pid: worker.process.pid, code, signal }, 'web process died; starting another')
      fork()
    })
    return worker
  }
  for (let i = 0; i < env.WEB_CONCURRENCY; i++) fork()
  let listening = 0
  cluster.on('listening', () => {
    if (++listening === env.WEB_CONCURRENCY) logger.info({ processes: env.WEB_CONCURRENCY, port: env.PORT }, 'web processes listening')
  })
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'stopping the web processes')
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && !w.isDead())
    const timer = setTimeout(() => process.exit(1), 15_000)
    timer.unref()
    Promise.all(workers.map((w) => new Promise((resolve) => {
      w.once('exit', resolve)
      w.process.kill('SIGTERM')
    }))).then(() => process.exit(0))
  }
  process.once('SIGTERM', () => shutdown('SIGTERM'))
  process.once('SIGINT', () => shutdown('SIGINT'))
  // Started by `cli start` (an IPC channel): when the supervisor is gone, so are we — no orphan holding the port.
  if (process.send) process.on('disconnect', () => shutdown('SIGTERM'))
}
