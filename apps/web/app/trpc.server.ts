import { configureRateLimit, configureWebhooks, handleRestRequest, handleTrpcRequest, openApiDocument } from '@costwise/api'
import { db } from './db.server'
import { env } from './env.server'
import { configureModelGateway } from './gateway.server'
import { logger } from './logger.server'

configureRateLimit({ points: env.RATE_LIMIT_PER_MINUTE, durationSeconds: 60 })
configureModelGateway()
configureWebhooks({ allowPrivateNetworks: env.WEBHOOK_ALLOW_PRIVATE_NETWORKS })

/** tRPC over HTTP at /api/trpc: the same procedures the pages call, for browsers and API-key clients. */
export function handleTrpc(request: Request): Promise<Response> {
  return handleTrpcRequest(db, request, (error, path) => {
    if (error.code === 'INTERNAL_SERVER_ERROR') logger.error({ err: error.cause ?? error, path }, 'tRPC procedure failed')
  })
}

/** REST at /api/* (generated from the same procedures; see /api/openapi.json). */
export function handleRest(request: Request): Promise<Response> {
  return handleRestRequest(db, request)
}

/** The OpenAPI document, with this server as its base URL. */
export function openApi(request: Request): Response {
  return Response.json(openApiDocument(new URL(request.url).origin))
}
