import { createArtefactStore, type ArtefactStore } from '@costwise/api'
import { createDb, type Db } from '@costwise/db'
import { Logger, parseCrontab, run, type Runner } from 'graphile-worker'
import pino from 'pino'
import { createMailer } from './mail'
import { createTaskList, crontab } from './task-list'

export interface StartWorkerOptions {
  connectionString: string
  concurrency?: number
  logLevel?: string
  /** Poll interval in ms; tests shorten it. */
  pollInterval?: number
  smtpUrl?: string | undefined
  mailFrom?: string
  appUrl?: string
  /** Allow webhooks to loopback and private networks (tests' local receivers). */
  webhookAllowPrivateNetworks?: boolean
  /** How long alert emails wait for more alerts to go as one digest (seconds); default 60, 0 for none. */
  alertDigestSeconds?: number
  /** Where reports and archives are kept; default an in-memory store (tests). */
  store?: ArtefactStore
  db?: Db
}

export interface WorkerHandle {
  runner: Runner
  stop(): Promise<void>
}

export async function startWorker(options: StartWorkerOptions): Promise<WorkerHandle> {
  const log = pino({ name: 'worker', level: options.logLevel ?? 'info' })
  const db =
    options.db ??
    createDb(options.connectionString, { max: (options.concurrency ?? 4) + 2, applicationName: 'costwise-worker' })
  const logger = new Logger((scope) => (level, message, meta) => {
    // LogLevel is an ambient const enum (not importable under isolatedModules); its values are these strings.
    const name: string = level
    const method = name === 'error' ? 'error' : name === 'warning' ? 'warn' : name === 'debug' ? 'debug' : 'info'
    log[method]({ ...scope, ...meta }, message)
  })
  const mailer = createMailer({
    smtpUrl: options.smtpUrl,
    from: options.mailFrom ?? 'Costwise <alerts@costwise.local>',
  })
  const runner = await run({
    connectionString: options.connectionString,
    concurrency: options.concurrency ?? 4,
    pollInterval: options.pollInterval ?? 1000,
    noHandleSignals: true,
    taskList: createTaskList({
      db,
      mailer,
      store: options.store ?? createArtefactStore({ kind: 'memory' }),
      appUrl: options.appUrl ?? 'http://localhost:3000',
      webhookPolicy: { allowPrivateNetworks: options.webhookAllowPrivateNetworks ?? false },
      alertDigestWindowMs: options.alertDigestSeconds === undefined ? undefined : options.alertDigestSeconds * 1000,
    }),
    parsedCronItems: parseCrontab(crontab),
    logger,
  })
  return {
    runner,
    async stop() {
      await runner.stop()
      mailer.close()
      if (!options.db) await db.destroy()
    },
  }
}
