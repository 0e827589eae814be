import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * Webhook signatures. Each delivery carries `X-Costwise-Timestamp` (Unix seconds) and `X-Costwise-Signature:
 * v1=<hex>` where hex = HMAC-SHA256(channel secret, `${timestamp}.${raw body}`). A receiver recomputes it over the
 * raw bytes it got, compares in constant time, and refuses timestamps older than a few minutes (replays).
 * `X-Costwise-Delivery` is the same on every retry of one delivery, so a receiver can drop duplicates.
 */
export const SIGNATURE_HEADER = 'x-costwise-signature'
export const TIMESTAMP_HEADER = 'x-costwise-timestamp'
export const DELIVERY_HEADER = 'x-costwise-delivery'
export const EVENT_HEADER = 'x-costwise-event'

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`
}

/** Whether a delivery's signature is right and recent (default: within 5 minutes of `now`). */
export function verifyWebhookSignature(
  secret: string,
  body: string,
  headers: { timestamp: string | null | undefined; signature: string | null | undefined },
  options: { now?: Date; toleranceSeconds?: number } = {},
): boolean {
  const timestamp = Number(headers.timestamp)
  if (!headers.signature || !Number.isInteger(timestamp)) return false
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000)
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) return false
  const expected = Buffer.from(signWebhook(secret, timestamp, body))
  const got = Buffer.from(headers.signature)
  return expected.length === got.length && timingSafeEqual(expected, got)
}
