import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns'
import { BlockList, isIP, type LookupFunction } from 'node:net'
import { AppError } from '@costwise/core'

/**
 * Where webhooks may go (docs/decisions/007-team-management.md, "SSRF"). A webhook URL is typed by an admin, but
 * the request leaves from the server: without a guard it could reach the database, the metrics endpoint, a cloud
 * metadata service or anything else on the private network. So by default a channel may only send to public
 * addresses: loopback, private (RFC 1918, unique-local), link-local (169.254/16 — cloud metadata), CGNAT,
 * multicast and reserved ranges are refused, checked on every delivery against the address actually connected to
 * (a hostname that resolves to a private address — or is re-pointed there later — is refused too). A self-hosted
 * team whose receivers live on its own network sets WEBHOOK_ALLOW_PRIVATE_NETWORKS=1; the tests do, for their
 * local receiver. Redirects are never followed.
 */

const blocked = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4')
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6')
}

/** Whether an IP address is one a webhook must not reach by default (not a public unicast address). */
export function isPrivateAddress(ip: string): boolean {
  const family = isIP(ip)
  if (family === 4) return blocked.check(ip, 'ipv4')
  if (family === 6) {
    // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible forms are judged by the IPv4 address they carry.
    const mapped = /^::(?:ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip)
    if (mapped) return blocked.check(mapped[1]!, 'ipv4')
    return blocked.check(ip, 'ipv6')
  }
  return true
}

export interface WebhookNetworkPolicy {
  /** Allow loopback and private networks (WEBHOOK_ALLOW_PRIVATE_NETWORKS). */
  allowPrivateNetworks: boolean
}

/**
 * Checks a channel URL before it is saved: http(s), no credentials in it, and — unless private networks are
 * allowed — not a private address or a localhost name. Slack channels must be https. Throws BAD_INPUT on `url`.
 */
export function checkChannelUrl(raw: string, kind: 'webhook' | 'slack', policy: WebhookNetworkPolicy): URL {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new AppError('BAD_INPUT', 'url: not a URL; write it in full, e.g. https://hooks.example.com/costwise.', {
      field: 'url',
    })
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new AppError('BAD_INPUT', 'url: use an http:// or https:// address.', { field: 'url' })
  if (url.username || url.password)
    throw new AppError('BAD_INPUT', 'url: leave credentials out of the address; the request is signed instead.', {
      field: 'url',
    })
  if (!policy.allowPrivateNetworks) {
    if (kind === 'slack' && url.protocol !== 'https:')
      throw new AppError('BAD_INPUT', 'url: Slack incoming webhooks are https:// addresses.', { field: 'url' })
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase()
    if (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) && isPrivateAddress(host))) {
      throw new AppError(
        'BAD_INPUT',
        'url: this address is on a private network or this machine; webhooks go to public addresses (an operator can allow private networks with WEBHOOK_ALLOW_PRIVATE_NETWORKS).',
        { field: 'url' },
      )
    }
  }
  return url
}

/**
 * A DNS lookup for outgoing webhook requests that refuses private addresses (unless allowed), so the address
 * checked is the address connected to.
 */
export function guardedLookup(policy: WebhookNetworkPolicy): LookupFunction {
  return ((hostname: string, options: LookupOneOptions | LookupAllOptions, callback: (...args: unknown[]) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error)
      const bad = addresses.find((a) => isPrivateAddress(a.address))
      if (bad && !policy.allowPrivateNetworks) {
        return callback(
          Object.assign(
            new Error(
              `${hostname} resolves to ${bad.address}, a private address; webhooks go to public addresses only`,
            ),
            { code: 'EPRIVATE' },
          ),
        )
      }
      if ((options as LookupAllOptions).all) return callback(null, addresses)
      const first = addresses[0]!
      callback(null, first.address, first.family)
    })
  }) as LookupFunction
}
