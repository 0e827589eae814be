import type { WebhookNetworkPolicy } from './services/alert-channels/ssrf'
import type { GatewayConfig } from './gateway/gateway'
import { createRateLimiter, DEFAULT_RATE_LIMIT, type RateLimitConfig, type RateLimiter } from './rate-limit'

/**
 * The API's settings, made once at start-up from the app's env module and handed to every context (no
 * process-wide setter, no import side effect): each context carries the config it was made with, so two
 * servers — or two tests — in one process can run with different settings.
 */
export interface ApiConfig {
  /** The per-API-key request limit and this process's bookkeeping for it (see ./rate-limit.ts). */
  rateLimiter: RateLimiter
  /** The model provider behind the Lab and "improve"; null: none configured (those calls say what to set). */
  gateway: GatewayConfig | null
  /** Which channel URLs may be saved as alert webhooks (private networks are refused unless allowed). */
  webhooks: WebhookNetworkPolicy
}

export interface ApiSettings {
  rateLimit?: Partial<RateLimitConfig>
  gateway?: GatewayConfig | null
  webhooks?: WebhookNetworkPolicy
}

export function createApiConfig(settings: ApiSettings = {}): ApiConfig {
  return {
    rateLimiter: createRateLimiter({ ...DEFAULT_RATE_LIMIT, ...settings.rateLimit }),
    gateway: settings.gateway ?? null,
    webhooks: settings.webhooks ?? { allowPrivateNetworks: false },
  }
}

/** The defaults (no model provider, 6000 requests a minute per key, no private webhook targets): what a context gets when none is passed. */
export const DEFAULT_API_CONFIG: ApiConfig = createApiConfig()
