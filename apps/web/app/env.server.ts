import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'

// The only place in the web app that reads process.env. A bad value stops start-up with a message that
// names the variable, instead of failing later on the first request that needs it.

/**
 * The repository's root: the nearest folder up from this module with pnpm-workspace.yaml. Found by walking
 * up because this module runs both from app/ and bundled into build/server/.
 */
function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (;;) {
    if (existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return dir
    const parent = path.dirname(dir)
    if (parent === dir) return process.cwd()
    dir = parent
  }
}

/** Where the worker keeps generated reports by default (see apps/worker/src/env.ts): <repo>/.data/artefacts. */
export const DEFAULT_ARTEFACT_DIR = path.join(repoRoot(), '.data', 'artefacts')

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
  /** Web processes serving PORT together (node:cluster). Default: one per CPU core. */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(availableParallelism()),
  /** Mark the session cookie `Secure`. Turn on when the app is served over HTTPS. */
  COOKIE_SECURE: booleanish.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Largest request body in bytes (413 above it, checked before the body is read). Lab prompts can be 1 MB each. */
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .default(4 * 1024 * 1024),
  /** Requests each API key may make per minute (tRPC and REST), counted in PostgreSQL across processes. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000_000).default(6000),
  /** Bearer token that opens /metrics to other machines (loopback is always allowed). */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Express's "trust proxy": whose X-Forwarded-For gives the client address. */
  TRUST_PROXY: z
    .string()
    .default('loopback')
    .transform((v): boolean | number | string =>
      v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v,
    ),
  /** Key for the model provider the Prompt Lab calls (OpenAI or any OpenAI-compatible server). `cli start` sets it for its local demo server when unset. */
  OPENAI_API_KEY: z.string().min(1).optional(),
  /** Base URL of an OpenAI-compatible API, e.g. http://127.0.0.1:8787/v1. Default: OpenAI's. */
  OPENAI_BASE_URL: z.url({ error: 'must be a URL such as http://127.0.0.1:8787/v1' }).optional(),
  /** Let alert channels (webhooks, Slack) point at loopback and private networks. Default: public addresses only. */
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: booleanish.default(false),
  /** Folder of generated reports (the worker writes them; the app serves downloads). Default: <repo>/.data/artefacts */
  ARTEFACT_DIR: z.string().min(1).default(DEFAULT_ARTEFACT_DIR),
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
