import { availableParallelism } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// The module parses process.env when loaded; give it a valid one, then test parseEnv on its own inputs.
process.env.DATABASE_URL ??= 'postgres://localhost:5432/costwise'
const { parseEnv, DEFAULT_ARTEFACT_DIR } = await import('./env.server')

describe('parseEnv', () => {
  it('applies defaults', () => {
    expect(parseEnv({ DATABASE_URL: 'postgresql://u:p@db/costwise' })).toEqual({
      DATABASE_URL: 'postgresql://u:p@db/costwise',
      NODE_ENV: 'development',
      PORT: 3000,
      HOST: '0.0.0.0',
      WEB_CONCURRENCY: availableParallelism(),
      COOKIE_SECURE: false,
      LOG_LEVEL: 'info',
      MAX_BODY_BYTES: 4 * 1024 * 1024,
      RATE_LIMIT_PER_MINUTE: 6000,
      TRUST_PROXY: 'loopback',
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: false,
      ARTEFACT_DIR: DEFAULT_ARTEFACT_DIR,
    })
    // The same folder the worker writes to by default: <repo>/.data/artefacts.
    expect(DEFAULT_ARTEFACT_DIR).toBe(
      path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../.data/artefacts'),
    )
  })

  it('reads optional values', () => {
    const env = parseEnv({
      DATABASE_URL: 'postgres://db/x',
      PORT: '3100',
      COOKIE_SECURE: 'true',
      NODE_ENV: 'production',
    })
    expect(env).toMatchObject({ PORT: 3100, COOKIE_SECURE: true, NODE_ENV: 'production' })
  })

  it('reads the model provider settings, optional, with a URL check', () => {
    expect(parseEnv({ DATABASE_URL: 'postgres://db/x' }).OPENAI_API_KEY).toBeUndefined()
    const env = parseEnv({
      DATABASE_URL: 'postgres://db/x',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: 'http://127.0.0.1:8787/v1',
    })
    expect(env).toMatchObject({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: 'http://127.0.0.1:8787/v1' })
    expect(parseEnv({ DATABASE_URL: 'postgres://db/x', OPENAI_BASE_URL: '' }).OPENAI_BASE_URL).toBeUndefined()
    expect(() => parseEnv({ DATABASE_URL: 'postgres://db/x', OPENAI_BASE_URL: 'not a url' })).toThrow(
      /OPENAI_BASE_URL: must be a URL/,
    )
  })

  it('names the variable at fault', () => {
    expect(() => parseEnv({})).toThrow(/DATABASE_URL: is required/)
    expect(() => parseEnv({ DATABASE_URL: 'mysql://db' })).toThrow(/DATABASE_URL: must be a postgres/)
    expect(() => parseEnv({ DATABASE_URL: 'postgres://db/x', PORT: 'eighty' })).toThrow(/PORT:/)
    expect(() => parseEnv({ DATABASE_URL: 'postgres://db/x', COOKIE_SECURE: 'maybe' })).toThrow(/COOKIE_SECURE:/)
  })
})
