import { handleRestRequest, handleTrpcRequest, openApiDocument } from '@costwise/api'
import { apiConfig } from './api-config.server'
import { db } from './db.server'
import { logger } from './logger.server'

/** tRPC over HTTP at /api/trpc: the same procedures the pages call, for browsers and API-key clients. */
export function handleTrpc(request: Request): Promise<Response> {
  return handleTrpcRequest(db, request, {
    config: apiConfig,
    onError: (error, path) => {
      if (error.code === 'INTERNAL_SERVER_ERROR')
        logger.error({ err: error.cause ?? error, path }, 'tRPC procedure failed')
    },
  })
}

/** REST at /api/* (generated from the same procedures; see /api/openapi.json). */
export function handleRest(request: Request): Promise<Response> {
  return handleRestRequest(db, request, apiConfig)
}

/** The OpenAPI document, with this server as its base URL. */
export function openApi(request: Request): Response {
  return Response.json(openApiDocument(new URL(request.url).origin))
}
