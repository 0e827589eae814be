import { AppError } from '@costwise/core'
import { rateLimits, type Db } from '@costwise/db'
import { sha256 } from './secrets'

/**
 * Failed sign-ins allowed per account and per client address in a window; past either, sign-in is refused
 * with the seconds to wait until the window ends. Counted in PostgreSQL, so every web process shares them.
 */
export interface LoginThrottleConfig {
  perAccount: { failures: number; windowSeconds: number }
  perIp: { failures: number; windowSeconds: number }
  /** Sign-ups per client address in a window (each costs a memory-hard password hash). */
  signUpsPerIp: { count: number; windowSeconds: number }
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleConfig = {
  perAccount: { failures: 10, windowSeconds: 15 * 60 },
  perIp: { failures: 100, windowSeconds: 15 * 60 },
  signUpsPerIp: { count: 20, windowSeconds: 60 * 60 },
}

const accountKey = (email: string) => `login:account:${sha256(email.trim().toLowerCase())}`
const ipKey = (ip: string) => `login:ip:${ip}`

function throttled(until: Date, now: Date, what: string): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000))
  return new AppError('RATE_LIMITED', `Too many ${what}. Try again in ${waitText(retryAfterSeconds)}.`, {
    details: { retryAfterSeconds },
  })
}

function waitText(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`
  return `${Math.ceil(seconds / 60)} minutes`
}

/** Throws RATE_LIMITED when the account or the address has used up its failed sign-ins. Same answer whether the account exists or not. */
export async function assertLoginAllowed(
  db: Db,
  who: { email: string; ip: string | null },
  config: LoginThrottleConfig,
  now: Date,
) {
  const keys = [accountKey(who.email), ...(who.ip ? [ipKey(who.ip)] : [])]
  const state = await rateLimits.peek(db, keys, now)
  const account = state.get(keys[0]!)
  const ip = who.ip ? state.get(keys[1]!) : undefined
  const blocked = [
    account && account.points >= config.perAccount.failures ? account.expiresAt : null,
    ip && ip.points >= config.perIp.failures ? ip.expiresAt : null,
  ].filter((d): d is Date => d !== null)
  if (blocked.length) throw throttled(new Date(Math.max(...blocked.map((d) => d.getTime()))), now, 'failed sign-ins')
}

/** Counts a failed sign-in against the account and the address. */
export async function recordLoginFailure(
  db: Db,
  who: { email: string; ip: string | null },
  config: LoginThrottleConfig,
  now: Date,
) {
  await rateLimits.consume(db, accountKey(who.email), 1, config.perAccount.windowSeconds * 1000, now)
  if (who.ip) await rateLimits.consume(db, ipKey(who.ip), 1, config.perIp.windowSeconds * 1000, now)
}

/** A successful sign-in clears the account's failures (the address keeps its count). */
export async function clearLoginFailures(db: Db, email: string) {
  await rateLimits.reset(db, accountKey(email))
}

/** Counts a sign-up attempt from an address; throws RATE_LIMITED past the limit. */
export async function consumeSignUp(db: Db, ip: string | null, config: LoginThrottleConfig, now: Date) {
  if (!ip) return
  const state = await rateLimits.consume(db, `signup:ip:${ip}`, 1, config.signUpsPerIp.windowSeconds * 1000, now)
  if (state.points > config.signUpsPerIp.count) throw throttled(state.expiresAt, now, 'sign-ups from this address')
}
