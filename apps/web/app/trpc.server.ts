import { appRouter, createContextFromRequest } from '@costwise/api'
import { fetchRequestHandler } from '@trpc/server/adapters/fetch'
import { db } from './db.server'
import { logger } from './logger.server'

/** tRPC over HTTP at /api/trpc: the same procedures the pages call, for browsers and API-key clients. */
export function handleTrpc(request: Request): Promise<Response> {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req: request,
    router: appRouter,
    createContext: () => createContextFromRequest(db, request),
    onError({ error, path, type }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        logger.error({ err: error.cause ?? error, path, type }, 'tRPC procedure failed')
      }
    },
  })
}
