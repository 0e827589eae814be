import { describe, expect, it } from 'vitest'
import { signWebhook, verifyWebhookSignature } from './signature'
import { checkChannelUrl, guardedLookup, isPrivateAddress } from './ssrf'

describe('webhook SSRF guard', () => {
  it('knows private, loopback, link-local, reserved and mapped addresses from public ones', () => {
    for (const ip of [
      '127.0.0.1',
      '10.0.0.5',
      '172.16.9.9',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:10.0.0.1',
      '::ffff:127.0.0.1',
    ]) {
      expect({ ip, private: isPrivateAddress(ip) }).toEqual({ ip, private: true })
    }
    for (const ip of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      expect({ ip, private: isPrivateAddress(ip) }).toEqual({ ip, private: false })
    }
    expect(isPrivateAddress('not an ip')).toBe(true)
  })

  it('checks a URL when it is saved: scheme, credentials, private hosts (unless allowed), https for Slack', () => {
    const strict = { allowPrivateNetworks: false }
    expect(checkChannelUrl('https://hooks.example.com/x', 'webhook', strict).host).toBe('hooks.example.com')
    for (const url of [
      'ftp://x.example.com/',
      'https://a:b@x.example.com/',
      'http://localhost:3000/',
      'http://127.0.0.1/',
      'http://[::1]:80/',
      'nonsense',
    ]) {
      expect(() => checkChannelUrl(url, 'webhook', strict)).toThrow(expect.objectContaining({ field: 'url' }))
    }
    expect(() => checkChannelUrl('http://hooks.slack.com/services/x', 'slack', strict)).toThrow(
      expect.objectContaining({ field: 'url' }),
    )
    expect(checkChannelUrl('http://127.0.0.1:9999/hook', 'webhook', { allowPrivateNetworks: true }).port).toBe('9999')
  })

  it('refuses a name that resolves to a private address at connect time (the address connected to is the one checked)', async () => {
    const lookup = (allow: boolean) =>
      new Promise<{ error: (Error & { code?: string }) | null; address?: unknown }>((resolve) =>
        guardedLookup({ allowPrivateNetworks: allow })('localhost', {}, (error: Error | null, address?: unknown) =>
          resolve({ error, address }),
        ),
      )
    const refused = await lookup(false)
    expect(refused.error).toMatchObject({ code: 'EPRIVATE', message: expect.stringContaining('private address') })
    const allowed = await lookup(true)
    expect(allowed.error).toBeNull()
    expect(isPrivateAddress(String(allowed.address))).toBe(true)
  })
})

describe('webhook signatures', () => {
  it('HMAC-SHA256 over "timestamp.body": a receiver accepts it, and refuses a changed body, another secret or an old timestamp', () => {
    const now = new Date('2026-12-01T12:00:00Z')
    const ts = Math.floor(now.getTime() / 1000)
    const body = '{"type":"test"}'
    const signature = signWebhook('whsec_a', ts, body)
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/)
    expect(verifyWebhookSignature('whsec_a', body, { timestamp: String(ts), signature }, { now })).toBe(true)
    expect(verifyWebhookSignature('whsec_a', `${body} `, { timestamp: String(ts), signature }, { now })).toBe(false)
    expect(verifyWebhookSignature('whsec_b', body, { timestamp: String(ts), signature }, { now })).toBe(false)
    expect(
      verifyWebhookSignature(
        'whsec_a',
        body,
        { timestamp: String(ts), signature },
        { now: new Date(now.getTime() + 600_000) },
      ),
    ).toBe(false)
    expect(verifyWebhookSignature('whsec_a', body, { timestamp: null, signature }, { now })).toBe(false)
  })
})
