import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

const flag = z
  .enum(['1', '0', 'true', 'false', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true')

const schema = z.object({
  DATABASE_URL: z
    .string()
    .regex(
      /^postgres(ql)?:\/\//,
      'DATABASE_URL must start with postgres:// (or leave it unset for the embedded server)',
    )
    .optional()
    .or(z.literal('').transform(() => undefined)),
  COSTWISE_DATA_DIR: z.string().min(1).default(path.join(repoRoot, '.data')),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(5433),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  COSTWISE_RESET_DATA: flag,
  COSTWISE_SKIP_SEED: flag,
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'SMTP_URL must start with smtp:// or smtps://')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  MAIL_FROM: z.string().min(3).default('Costwise <alerts@costwise.local>'),
  APP_URL: z.url().optional(),
  /** Folder for reports and archives. Default: <COSTWISE_DATA_DIR>/artefacts */
  ARTEFACT_DIR: z.string().min(1).optional(),
  /** The model provider for the Prompt Lab. Unset: `start` runs the local demo model server and points the app at it. */
  OPENAI_API_KEY: z
    .string()
    .min(1)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  OPENAI_BASE_URL: z
    .url()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Port of the local demo model server (only when OPENAI_API_KEY is unset). Default: a free port. */
  LOCAL_LLM_PORT: z.coerce.number().int().min(0).max(65535).default(0),
})

export type CliEnv = z.infer<typeof schema>

export function artefactDir(env: CliEnv): string {
  return env.ARTEFACT_DIR ?? path.join(env.COSTWISE_DATA_DIR, 'artefacts')
}

/** The CLI's environment, parsed once; a bad value stops the command naming the variable. */
export function readCliEnv(source: NodeJS.ProcessEnv = process.env): CliEnv {
  const result = schema.safeParse(source)
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new Error(`Invalid environment:\n${lines.join('\n')}`)
  }
  return result.data
}
