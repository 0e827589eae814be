import { AppError } from '@costwise/core'
import { rateLimits, type Db } from '@costwise/db'

export interface RateLimitConfig {
  /** Requests each API key may make per window. */
  points: number
  /** Window length in seconds. */
  durationSeconds: number
}

let config: RateLimitConfig = { points: 6000, durationSeconds: 60 }
// When this process last saw each key go over its limit: until then it is refused without a query.
const overUntil = new Map<string, number>()

/** Sets the per-key limit (the web app calls this once from its environment). */
export function configureRateLimit(next: Partial<RateLimitConfig>): RateLimitConfig {
  config = { ...config, ...next }
  overUntil.clear()
  return config
}

function limited(retryAfterMs: number): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000))
  return new AppError(
    'RATE_LIMITED',
    `This API key sent more than ${config.points} requests in ${config.durationSeconds}s; retry in ${retryAfterSeconds}s (or batch events with /usage/track/batch).`,
    { details: { retryAfterSeconds, limit: config.points, windowSeconds: config.durationSeconds } },
  )
}

/**
 * Counts one request for an API key in a fixed window kept in PostgreSQL (table `rate_limits`), so the
 * limit holds across every web process; past it, throws RATE_LIMITED with the seconds to wait (sent back as
 * `Retry-After`).
 */
export async function consumeRateLimit(db: Db, apiKeyId: string, now = new Date()): Promise<void> {
  const until = overUntil.get(apiKeyId)
  if (until !== undefined) {
    if (until > now.getTime()) throw limited(until - now.getTime())
    overUntil.delete(apiKeyId)
  }
  const state = await rateLimits.consume(db, `api-key:${apiKeyId}`, 1, config.durationSeconds * 1000, now)
  if (state.points > config.points) {
    if (overUntil.size > 10_000) overUntil.clear()
    overUntil.set(apiKeyId, state.expiresAt.getTime())
    throw limited(state.expiresAt.getTime() - now.getTime())
  }
}
