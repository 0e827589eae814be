import { createArtefactStore } from '@costwise/api'
import { readWorkerEnv } from './env'
import { startWorker } from './runner'

const env = readWorkerEnv()
const worker = await startWorker({
  connectionString: env.DATABASE_URL,
  concurrency: env.WORKER_CONCURRENCY,
  logLevel: env.LOG_LEVEL,
  smtpUrl: env.SMTP_URL,
  mailFrom: env.MAIL_FROM,
  appUrl: env.APP_URL,
  store: createArtefactStore({ kind: 'fs', dir: env.ARTEFACT_DIR }),
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void worker.stop().then(() => process.exit(0))
  })
}
