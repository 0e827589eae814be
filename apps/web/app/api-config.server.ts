import { createApiConfig } from '@costwise/api'
import { env } from './env.server'

/**
 * The API's settings, made once from the environment and passed to every request's context: the per-key rate limit,
 * the model provider (`cli start` points it at the local demo server when OPENAI_API_KEY is unset) and whether
 * webhook channels may point at private networks.
 */
export const apiConfig = createApiConfig({
  rateLimit: { points: env.RATE_LIMIT_PER_MINUTE, durationSeconds: 60 },
  gateway: env.OPENAI_API_KEY ? { apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL } : null,
  webhooks: { allowPrivateNetworks: env.WEBHOOK_ALLOW_PRIVATE_NETWORKS },
})
