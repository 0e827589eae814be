import { describe, expect, it } from 'vitest'
import { contentSecurityPolicy, foreignOriginReason, mayReadMetrics } from './security'

describe('contentSecurityPolicy', () => {
  it('allows scripts only from here or with the nonce, and no framing', () => {
    const csp = contentSecurityPolicy('abc123')
    expect(csp).toContain("script-src 'self' 'nonce-abc123'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("object-src 'none'")
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/)
  })
})

describe('foreignOriginReason', () => {
  const base = { method: 'POST', host: 'costwise.test:3000', secFetchSite: undefined, authorization: undefined }
  it('lets same-origin changes and all reads through', () => {
    expect(foreignOriginReason({ ...base, origin: 'http://costwise.test:3000' })).toBeNull()
    expect(foreignOriginReason({ ...base, method: 'GET', origin: 'https://evil.test' })).toBeNull()
    // No browser context at all (curl, the typed client): nothing to forge.
    expect(foreignOriginReason({ ...base, origin: undefined })).toBeNull()
  })

  it('refuses another origin, an opaque one, and a cross-site fetch without Origin', () => {
    expect(foreignOriginReason({ ...base, origin: 'https://evil.test' })).toContain('evil.test')
    expect(foreignOriginReason({ ...base, origin: 'http://costwise.test:4000' })).not.toBeNull()
    expect(foreignOriginReason({ ...base, origin: 'null' })).not.toBeNull()
    expect(foreignOriginReason({ ...base, origin: undefined, secFetchSite: 'cross-site' })).not.toBeNull()
    expect(foreignOriginReason({ ...base, method: 'DELETE', origin: 'https://evil.test' })).not.toBeNull()
  })

  it('does not stand in the way of API keys (a browser cannot attach one)', () => {
    expect(foreignOriginReason({ ...base, origin: 'https://tool.internal', authorization: 'Bearer cw_abc' })).toBeNull()
  })
})

describe('mayReadMetrics', () => {
  const token = 'a-long-metrics-token'
  it('answers loopback clients that did not come through a proxy', () => {
    expect(
      mayReadMetrics({
        authorization: undefined,
        remoteAddress: '127.0.0.1',
        forwardedFor: undefined,
        token: undefined,
      }),
    ).toBe(true)
    expect(
      mayReadMetrics({ authorization: undefined, remoteAddress: '::1', forwardedFor: undefined, token: undefined }),
    ).toBe(true)
    expect(
      mayReadMetrics({
        authorization: undefined,
        remoteAddress: '::ffff:127.0.0.1',
        forwardedFor: undefined,
        token: undefined,
      }),
    ).toBe(true)
    expect(
      mayReadMetrics({
        authorization: undefined,
        remoteAddress: '127.0.0.1',
        forwardedFor: '198.51.100.1',
        token: undefined,
      }),
    ).toBe(false)
    expect(
      mayReadMetrics({
        authorization: undefined,
        remoteAddress: '10.0.0.5',
        forwardedFor: undefined,
        token: undefined,
      }),
    ).toBe(false)
  })

  it('answers anyone with the token, and no one with a wrong one', () => {
    expect(
      mayReadMetrics({ authorization: `Bearer ${token}`, remoteAddress: '10.0.0.5', forwardedFor: '1.2.3.4', token }),
    ).toBe(true)
    expect(
      mayReadMetrics({
        authorization: 'Bearer wrong-token-of-same-len',
        remoteAddress: '10.0.0.5',
        forwardedFor: undefined,
        token,
      }),
    ).toBe(false)
    expect(
      mayReadMetrics({
        authorization: `Bearer ${token}`,
        remoteAddress: '10.0.0.5',
        forwardedFor: undefined,
        token: undefined,
      }),
    ).toBe(false)
  })
})
