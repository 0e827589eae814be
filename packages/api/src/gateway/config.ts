import { AppError } from '@costwise/core'
import type { GatewayConfig } from './gateway'

/**
 * The provider settings a context carries (`ctx.config.gateway`, made at start-up from the app's env module), or an
 * error telling the operator what to set.
 */
export function requireGateway(configured: GatewayConfig | null): GatewayConfig {
  if (!configured) {
    throw new AppError(
      'INTERNAL',
      'No model provider is configured: set OPENAI_API_KEY (and OPENAI_BASE_URL for an OpenAI-compatible server), or start the app with `pnpm cli start`, which runs the local demo model server.',
    )
  }
  return configured
}
