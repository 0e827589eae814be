import { AppError } from '@costwise/core'
import type { GatewayConfig } from './gateway'

// The app hands the gateway its provider settings once at start-up (from its env reader), like
// configureRateLimit; procedures that call models read them from here.
let configured: GatewayConfig | null = null

export function configureGateway(config: GatewayConfig | null): void {
  configured = config
}

/** The configured provider settings, or an error telling the operator what to set. */
export function gatewayConfig(): GatewayConfig {
  if (!configured) {
    throw new AppError(
      'INTERNAL',
      'No model provider is configured: set OPENAI_API_KEY (and OPENAI_BASE_URL for an OpenAI-compatible server), or start the app with `pnpm cli start`, which runs the local demo model server.',
    )
  }
  return configured
}
