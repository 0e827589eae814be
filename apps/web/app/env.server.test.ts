import { describe, expect, it } from 'vitest'

// The module parses process.env when loaded; give it a valid one, then test parseEnv on its own inputs.
process.env.DATABASE_URL ??= 'postgres://localhost:5432/costwise'
const { parseEnv } = await import('./env.server')

describe('parseEnv', () => {
  it('applies defaults', () => {
    expect(parseEnv({ DATABASE_URL: 'postgresql://u:p@db/costwise' })).toEqual({
      DATABASE_URL: 'postgresql://u:p@db/costwise',
      NODE_ENV: 'development',
      PORT: 3000,
      HOST: '0.0.0.0',
      COOKIE_SECURE: false,
      LOG_LEVEL: 'info',
    })
  })

  it('reads optional values', () => {
    const env = parseEnv({ DATABASE_URL: 'postgres://db/x', PORT: '3100', COOKIE_SECURE: 'true', NODE_ENV: 'production' })
    expect(env).toMatchObject({ PORT: 3100, COOKIE_SECURE: true, NODE_ENV: 'production' })
  })

  it('names the variable at fault', () => {
    expect(() => parseEnv({})).toThrow(/DATABASE_URL: is required/)
    expect(() => parseEnv({ DATABASE_URL: 'mysql://db' })).toThrow(/DATABASE_URL: must be a postgres/)
    expect(() => parseEnv({ DATABASE_URL: 'postgres://db/x', PORT: 'eighty' })).toThrow(/PORT:/)
    expect(() => parseEnv({ DATABASE_URL: 'postgres://db/x', COOKIE_SECURE: 'maybe' })).toThrow(/COOKIE_SECURE:/)
  })
})
