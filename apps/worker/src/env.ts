import { z } from 'zod'

const schema = z.object({
  DATABASE_URL: z.url({ error: 'DATABASE_URL must be a postgres:// connection string' }),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** smtp://user:pass@host:port (or smtps://). Unset: mail is kept in the outbox the app shows. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'SMTP_URL must start with smtp:// or smtps://')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  MAIL_FROM: z.string().min(3).default('Costwise <alerts@costwise.local>'),
  /** The web app's address, for links in emails. */
  APP_URL: z.url().default('http://localhost:3000'),
  /** 1: webhooks may go to loopback and private networks (receivers on your own network). Default: public addresses only. */
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: z
    .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
    .default('0')
    .transform((v) => v === '1' || v === 'true' || v === 'yes'),
  /** Seconds alert emails wait for more alerts of the team, then go as one digest per recipient (0: at once). */
  ALERT_DIGEST_SECONDS: z.coerce
    .number({ error: 'ALERT_DIGEST_SECONDS must be a whole number of seconds' })
    .int('ALERT_DIGEST_SECONDS must be a whole number of seconds')
    .min(0)
    .max(3600)
    .default(60),
  /** Folder for generated reports and usage archives (unstorage fs driver). */
  ARTEFACT_DIR: z
    .string()
    .min(1)
    .default(new URL('../../../.data/artefacts', import.meta.url).pathname),
})

export type WorkerEnv = z.infer<typeof schema>

/** The worker's environment, checked once; a bad value stops start-up naming the variable. */
export function readWorkerEnv(source: NodeJS.ProcessEnv = process.env): WorkerEnv {
  const result = schema.safeParse(source)
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new Error(`Invalid worker environment:\n${lines.join('\n')}`)
  }
  return result.data
}
