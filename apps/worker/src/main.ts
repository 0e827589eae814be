import { createArtefactStore } from '@costwise/api'
import pino from 'pino'
import { readWorkerEnv } from './env'
import { startWorker } from './runner'

const env = readWorkerEnv()
const log = pino({ name: 'worker', level: env.LOG_LEVEL })
const worker = await startWorker({
  connectionString: env.DATABASE_URL,
  concurrency: env.WORKER_CONCURRENCY,
  logLevel: env.LOG_LEVEL,
  smtpUrl: env.SMTP_URL,
  mailFrom: env.MAIL_FROM,
  appUrl: env.APP_URL,
  webhookAllowPrivateNetworks: env.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
  alertDigestSeconds: env.ALERT_DIGEST_SECONDS,
  store: createArtefactStore({ kind: 'fs', dir: env.ARTEFACT_DIR }),
})

let stopping = false
function shutdown(reason: string) {
  if (stopping) {
    log.warn({ reason }, 'forced stop')
    process.exit(1)
  }
  stopping = true
  // graphile-worker lets running jobs finish; jobs still running after its grace period are released (failed
  // with a retry), so another worker picks them up. Nothing queued is lost: the queue is in PostgreSQL.
  log.info({ reason }, 'shutting down: finishing running jobs')
  worker.stop().then(
    () => {
      log.info('worker stopped')
      process.exit(0)
    },
    (error: unknown) => {
      log.error({ err: error }, 'shutdown failed')
      process.exit(1)
    },
  )
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => shutdown(signal))
// Started by `cli start` (an IPC channel): when the supervisor is gone, so are we.
if (process.send) process.on('disconnect', () => shutdown('supervisor gone'))
