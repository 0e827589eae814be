import { configureGateway } from '@costwise/api/gateway/config'
import { env } from './env.server'

/**
 * Hands the model gateway its provider settings from the environment (`cli start` points them at the local
 * demo server when OPENAI_API_KEY is unset). Called at the top of the modules that serve model calls — a
 * call, not a bare side-effect import, which the build would drop (`sideEffects: false`).
 */
export function configureModelGateway(): void {
  configureGateway(env.OPENAI_API_KEY ? { apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL } : null)
}
