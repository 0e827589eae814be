import { timingSafeEqual } from 'node:crypto'

// Server-side rules for headers and request checks (used by server.ts; pure, so they're unit-tested).

/**
 * The Content-Security-Policy of every page: scripts only from here or inline with this response's nonce
 * (Remix's hydration scripts), styles from here plus inline style attributes (charts size their SVG with
 * them), no framing, no plugins, forms and fetches to this origin only.
 */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/** Headers on every answer. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Why a request that would change something comes from another site, or null when it may proceed. Every
 * non-GET request is checked — page actions, /logout, /api/lab/run, tRPC mutations — except those that
 * authenticate with an API key (a browser cannot attach someone else's key). The Origin header must name
 * this host; without Origin, a browser's `Sec-Fetch-Site: cross-site` is refused too.
 */
export function foreignOriginReason(input: {
  method: string
  origin: string | undefined
  host: string | undefined
  secFetchSite: string | undefined
  authorization: string | undefined
}): string | null {
  if (SAFE_METHODS.has(input.method.toUpperCase())) return null
  if (input.authorization && /^Bearer\s+\S+/i.test(input.authorization)) return null
  if (input.origin === undefined) {
    return input.secFetchSite === 'cross-site' ? 'a cross-site request without an Origin header' : null
  }
  if (input.origin === 'null') return 'a request from an opaque origin'
  let originHost: string
  try {
    originHost = new URL(input.origin).host
  } catch {
    return 'a malformed Origin header'
  }
  if (!input.host || originHost.toLowerCase() !== input.host.toLowerCase()) return `a request from ${input.origin}`
  return null
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/

/**
 * Whether /metrics may answer: with the configured bearer token, or to a client on this machine that did not
 * come through a proxy (a local reverse proxy would otherwise make every visitor look local).
 */
export function mayReadMetrics(input: {
  authorization: string | undefined
  remoteAddress: string | undefined
  forwardedFor: string | undefined
  token: string | undefined
}): boolean {
  if (input.token) {
    const match = input.authorization?.match(/^Bearer\s+(\S+)\s*$/i)
    if (match) {
      const given = Buffer.from(match[1]!)
      const expected = Buffer.from(input.token)
      if (given.length === expected.length && timingSafeEqual(given, expected)) return true
    }
  }
  return input.forwardedFor === undefined && input.remoteAddress !== undefined && LOOPBACK.test(input.remoteAddress)
}
