import { createTRPCClient, httpBatchLink } from '@trpc/client'
import type { AppRouter } from './root'

export interface CostwiseClientOptions {
  /** The Costwise server, e.g. http://localhost:3000 */
  url: string
  /** An API key from `pnpm cli api-key create` or the Settings page. */
  apiKey: string
  fetch?: typeof fetch
}

/** A typed client for internal tools: every procedure of the AppRouter, authenticated by API key. */
export function createCostwiseClient(options: CostwiseClientOptions) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${options.url.replace(/\/+$/, '')}/api/trpc`,
        headers: () => ({ authorization: `Bearer ${options.apiKey}` }),
        fetch: options.fetch,
      }),
    ],
  })
}

export type { AppRouter }
