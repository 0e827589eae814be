import { deliverWebhook, type WebhookNetworkPolicy } from '@costwise/api'
import type { Db } from '@costwise/db'
import { z } from 'zod'

export const payloadSchema = z.object({ deliveryId: z.uuid() })

/**
 * Posts one webhook or Slack delivery, signed, and logs the attempt. A failure fails the job, so graphile-worker
 * retries it with exponential backoff (up to its max attempts); a delivered one is never sent again.
 */
export async function webhookDeliver(db: Db, rawPayload: unknown, policy: WebhookNetworkPolicy) {
  const { deliveryId } = payloadSchema.parse(rawPayload)
  const result = await deliverWebhook(db, deliveryId, { policy })
  if (result.status === 'failed')
    throw new Error(`webhook delivery ${deliveryId} failed (attempt ${result.attempts}): ${result.error}`)
  return result
}
