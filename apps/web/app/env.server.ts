import { z } from 'zod'

// The only place in the web app that reads process.env. A bad value stops start-up with a message that
// names the variable, instead of failing later on the first request that needs it.

const booleanish = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes')

export const envSchema = z.object({
  DATABASE_URL: z
    .string({ error: 'is required (a postgres:// connection string)' })
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// connection string'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Mark the session cookie `Secure`. Turn on when the app is served over HTTPS. */
  COOKIE_SECURE: booleanish.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Requests each API key may make per minute (tRPC and REST). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000_000).default(6000),
})

export type Env = z.infer<typeof envSchema>

export class EnvError extends Error {
  override name = 'EnvError'
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // An empty string means "unset" for the optional variables, as it does in most .env files.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ''))
  const result = envSchema.safeParse(cleaned)
  if (result.success) return result.data
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`)
  throw new EnvError(`Invalid environment for @costwise/web:\n${lines.join('\n')}`)
}

export const env: Env = parseEnv(process.env)
