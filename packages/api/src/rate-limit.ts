import { AppError } from '@costwise/core'
import { rateLimits, type Db } from '@costwise/db'

export interface RateLimitConfig {
  /** Requests each API key may make per window. */
  points: number
  /** Window length in seconds. */
  durationSeconds: number
}

/** 6000 requests a minute per key, unless the app's environment says otherwise (RATE_LIMIT_PER_MINUTE). */
export const DEFAULT_RATE_LIMIT: RateLimitConfig = { points: 6000, durationSeconds: 60 }

/** How many requests one query counts ahead: 1 for small limits (exact), at most 1/200 of the limit. */
export function leaseSize(points: number): number {
  return Math.max(1, Math.floor(points / 200))
}

function limited(config: RateLimitConfig, retryAfterMs: number): AppError {
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
 * `Retry-After`). A busy key is counted a lease at a time ({@link leaseSize} requests per query, spent from
 * memory): the stored count includes requests leased but not yet made, so all processes together never
 * allow more than the limit; at worst a process leaves part of a lease unused when the window ends.
 */
export interface RateLimiter {
  readonly config: RateLimitConfig
  consume(db: Db, apiKeyId: string, now?: Date): Promise<void>
}

/**
 * A limiter for one process: the limit, and what this process knows between queries (keys it saw go over, leases
 * not yet spent). Made once at start-up (see ../config.ts `createApiConfig`).
 */
export function createRateLimiter(config: RateLimitConfig): RateLimiter {
  // When this process last saw each key go over its limit: until then it is refused without a query.
  const overUntil = new Map<string, number>()
  // Requests this process has already counted in PostgreSQL for a key but not yet spent (see consume).
  const leases = new Map<string, { left: number; expiresAt: number }>()
  return {
    config,
    consume: (db, apiKeyId, now = new Date()) => consumeRateLimit(config, overUntil, leases, db, apiKeyId, now),
  }
}

async function consumeRateLimit(
  config: RateLimitConfig,
  overUntil: Map<string, number>,
  leases: Map<string, { left: number; expiresAt: number }>,
  db: Db,
  apiKeyId: string,
  now: Date,
): Promise<void> {
  const until = overUntil.get(apiKeyId)
  if (until !== undefined) {
    if (until > now.getTime()) throw limited(config, until - now.getTime())
    overUntil.delete(apiKeyId)
  }
  const lease = leases.get(apiKeyId)
  if (lease && lease.left > 0 && lease.expiresAt > now.getTime()) {
    lease.left--
    return
  }
  const size = leaseSize(config.points)
  const state = await rateLimits.consume(db, `api-key:${apiKeyId}`, size, config.durationSeconds * 1000, now)
  // Of the points just counted, those within the limit may be spent: this request, then the lease.
  const granted = Math.min(size, config.points - (state.points - size))
  if (granted <= 0) {
    if (overUntil.size > 10_000) overUntil.clear()
    overUntil.set(apiKeyId, state.expiresAt.getTime())
    throw limited(config, state.expiresAt.getTime() - now.getTime())
  }
  if (leases.size > 10_000) leases.clear()
  if (granted > 1) leases.set(apiKeyId, { left: granted - 1, expiresAt: state.expiresAt.getTime() })
  else leases.delete(apiKeyId)
}
