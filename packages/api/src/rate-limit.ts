import { AppError } from '@costwise/core'
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible'

export interface RateLimitConfig {
  /** Requests each API key may make per window. */
  points: number
  /** Window length in seconds. */
  durationSeconds: number
}

let config: RateLimitConfig = { points: 6000, durationSeconds: 60 }
let limiter = new RateLimiterMemory({ points: config.points, duration: config.durationSeconds })

/** Sets the per-key limit (the web app calls this once from its environment). */
export function configureRateLimit(next: Partial<RateLimitConfig>): RateLimitConfig {
  config = { ...config, ...next }
  limiter = new RateLimiterMemory({ points: config.points, duration: config.durationSeconds })
  return config
}

/**
 * Counts one request for a key; past the limit, throws RATE_LIMITED with the seconds to wait (sent back as
 * `Retry-After`). Per process: with several web processes, each allows the limit (documented).
 */
export async function consumeRateLimit(key: string): Promise<void> {
  try {
    await limiter.consume(key)
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error
    const retryAfterSeconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000))
    throw new AppError(
      'RATE_LIMITED',
      `This API key sent more than ${config.points} requests in ${config.durationSeconds}s; retry in ${retryAfterSeconds}s (or batch events with /usage/track/batch).`,
      { details: { retryAfterSeconds, limit: config.points, windowSeconds: config.durationSeconds } },
    )
  }
}
