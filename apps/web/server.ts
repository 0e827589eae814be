import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import { matchRoutes } from '@remix-run/react'
import compression from 'compression'
import { randomBytes } from 'node:crypto'
import express, { type NextFunction, type Request, type Response } from 'express'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import net, { type Socket } from 'node:net'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import client from 'prom-client'
import type { ViteDevServer } from 'vite'
import { poolOf } from '@costwise/db'
import { ERROR_CODES, INTERNAL_MESSAGE, type ErrorBody } from '@costwise/core'
import type { Env } from './app/env.server'

// The web process: Remix behind Express, with /metrics for Prometheus and one log line per request.
// Production runs the compiled build/node/server.js (`node --conditions=built`, see scripts/build-js.mjs) and
// serves the Remix build in ./build; `tsx server.ts --dev` runs Vite in middleware mode.

/** apps/web/, whether this runs as server.ts or compiled to build/node/server.js. */
const appDir = fileURLToPath(new URL(import.meta.url.endsWith('.js') ? '../../' : './', import.meta.url))

// A bad environment stops start-up with the message alone (it names the variable), not a stack trace.
let env: Env
try {
  ;({ env } = await import('./app/env.server'))
} catch (error) {
  if (error instanceof Error && error.name === 'EnvError') {
    console.error(error.message)
    process.exit(1)
  }
  throw error
}
const { logger } = await import('./app/logger.server')
const { SECURITY_HEADERS, contentSecurityPolicy, foreignOriginReason, mayReadMetrics } =
  await import('./app/lib/security')
const { CLIENT_IP_HEADER, HOT_REST_ROUTES, serveHotRest, startCacheInvalidation } = await import('@costwise/api')
const HOT_PATHS = new Set([...HOT_REST_ROUTES.keys()].map((route) => route.split(' ')[1]!))

// ---- metrics ------------------------------------------------------------------------------------

const registry = new client.Registry()
client.collectDefaultMetrics({ register: registry })
const httpDuration = new client.Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request latency by route pattern, method and status',
  labelNames: ['route', 'method', 'status'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
})

// Route patterns (not raw paths) as labels, so metrics don't grow a series per id or per typo.
interface RouteNode {
  id: string
  path?: string
  index?: boolean
  caseSensitive?: boolean
  children: RouteNode[]
}
const routeTrees = new WeakMap<ServerBuild['routes'], RouteNode[]>()

function routeTree(routes: ServerBuild['routes']): RouteNode[] {
  let tree = routeTrees.get(routes)
  if (tree) return tree
  const nodes = new Map<string, RouteNode>()
  for (const r of Object.values(routes)) {
    if (r) nodes.set(r.id, { id: r.id, path: r.path, index: r.index, caseSensitive: r.caseSensitive, children: [] })
  }
  tree = []
  for (const r of Object.values(routes)) {
    if (!r) continue
    const node = nodes.get(r.id)!
    const parent = r.parentId ? nodes.get(r.parentId) : undefined
    ;(parent ? parent.children : tree).push(node)
  }
  routeTrees.set(routes, tree)
  return tree
}

function routeLabel(build: ServerBuild | null, pathname: string, status: number): string {
  if (pathname === '/metrics') return '/metrics'
  if (pathname.startsWith('/assets/')) return '/assets'
  if (pathname === '/__manifest') return '/__manifest'
  if (HOT_PATHS.has(pathname)) return pathname
  if (!build) return 'unknown'
  // Single-fetch data requests look like /dashboard/usage.data or /_root.data.
  const path = pathname === '/_root.data' ? '/' : pathname.replace(/\.data$/, '')
  const matches = matchRoutes(routeTree(build.routes) as Parameters<typeof matchRoutes>[0], path)
  const last = matches?.at(-1)
  // Only the 404 route claims unknown paths, so a success there was a file from build/client or public.
  if (!matches || !last || last.route.path === '*') return status === 404 ? 'not_found' : 'static'
  const pattern = matches
    .map((m) => m.route.path)
    .filter(Boolean)
    .join('/')
  return `/${pattern}`.replace(/\/+/g, '/')
}

/**
 * The database pool: connections by state, and the most callers that waited for a connection since the last
 * scrape (above 0: the pool was exhausted for a moment).
 */
function observePool(pool: ReturnType<typeof poolOf>): void {
  let waitedMax = 0
  const noteWaiting = () => {
    waitedMax = Math.max(waitedMax, pool.waitingCount)
  }
  pool.on('acquire', noteWaiting)
  pool.on('release', noteWaiting)
  new client.Gauge({
    name: 'costwise_db_pool_connections',
    help: 'Database pool connections by state (total, idle, waiting callers, max)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      this.set({ state: 'total' }, pool.totalCount)
      this.set({ state: 'idle' }, pool.idleCount)
      this.set({ state: 'waiting' }, pool.waitingCount)
      this.set({ state: 'max' }, pool.options.max)
    },
  })
  new client.Gauge({
    name: 'costwise_db_pool_waiting_max',
    help: 'Most callers waiting for a database connection at once since the previous scrape',
    registers: [registry],
    collect() {
      noteWaiting()
      this.set(waitedMax)
      waitedMax = 0
    },
  })
}

// Routine traffic (files, the route manifest, scrapes) is logged at debug so the info log stays readable.
const QUIET_ROUTES = new Set(['/assets', 'static', '/__manifest', '/metrics'])

// ---- request body limit ----------------------------------------------------------------------------

/**
 * Refuses a body over `maxBytes` with 413 before anything reads it: from Content-Length up front, or by counting
 * a chunked body as it streams (then the connection is cut). Runs before authentication, routing and parsing,
 * so an anonymous client can't make the server buffer a large body.
 */
export function bodyLimit(maxBytes: number) {
  const refuse = (res: Response, received: string, closeConnection = true) => {
    if (closeConnection) res.set('Connection', 'close')
    res.status(413).json({
      code: 'INPUT_TOO_LARGE',
      message: `The request body is ${received}; the limit is ${maxBytes.toLocaleString('en-US')} bytes (MAX_BODY_BYTES). Send less per request, e.g. smaller batches.`,
      field: null,
      limitBytes: maxBytes,
    })
  }
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next()
    const declared = req.headers['content-length']
    if (declared !== undefined) {
      const length = Number(declared)
      if (!Number.isSafeInteger(length) || length < 0) {
        return void res
          .status(400)
          .set('Connection', 'close')
          .json({ code: 'BAD_INPUT', message: 'Content-Length is not a byte count.', field: null })
      }
      if (length > maxBytes) return refuse(res, `${length.toLocaleString('en-US')} bytes`)
      return next()
    }
    // No length declared (chunked): count as it arrives; the listener is added in the same tick the handler
    // attaches its own, so every chunk passes both.
    let received = 0
    const count = (chunk: Buffer) => {
      received += chunk.length
      if (received <= maxBytes) return
      // Whoever was reading the body gets no more of it: its read fails when the connection is closed below.
      req.removeAllListeners('data')
      req.removeAllListeners('end')
      req.unpipe()
      if (!res.headersSent) refuse(res, `over ${maxBytes.toLocaleString('en-US')} bytes`, false)
      // Lingering close: the rest of the upload is read and discarded, and the connection closed once the client
      // stops sending (or after 2 s). Closing a socket with unread input resets it, and a reset can make the client
      // lose the 413 before reading it.
      const close = () => {
        clearTimeout(cut)
        if (res.writableFinished) req.socket.destroy()
        else res.once('finish', () => req.socket.destroy())
      }
      const cut = setTimeout(close, 2_000)
      cut.unref()
      req.on('data', () => {})
      req.once('end', close)
    }
    req.on('data', count)
    next()
  }
}

// ---- server -------------------------------------------------------------------------------------

export interface WebServer {
  server: Server
  /**
   * Stops accepting connections, lets requests in flight finish (at most `graceMs`, then cuts what is left),
   * then closes the database pool.
   */
  close(options?: { graceMs?: number }): Promise<void>
}

export async function startWebServer(
  options: { dev?: boolean; port?: number; host?: string } = {},
): Promise<WebServer> {
  const dev = options.dev ?? false
  const port = options.port ?? env.PORT
  const host = options.host ?? env.HOST

  let vite: ViteDevServer | null = null
  let build: ServerBuild | null = null
  if (dev) {
    const { createServer: createViteServer } = await import('vite')
    vite = await createViteServer({ root: appDir, server: { middlewareMode: true } })
  } else {
    const buildUrl = pathToFileURL(`${appDir}build/server/index.js`).href
    build = (await import(buildUrl)) as ServerBuild
  }
  let lastBuild: ServerBuild | null = build
  const currentBuild = async (): Promise<ServerBuild> => {
    if (vite) lastBuild = (await vite.ssrLoadModule('virtual:remix/server-build')) as ServerBuild
    return lastBuild!
  }

  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', env.TRUST_PROXY)

  // One concise log line and one histogram observation per request.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const start = process.hrtime.bigint()
    // Read now: mounted middleware (static files under /assets) rewrites req.url while it runs.
    const pathname = req.path
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9
      const route = routeLabel(lastBuild, pathname, res.statusCode)
      httpDuration.observe({ route, method: req.method, status: String(res.statusCode) }, seconds)
      const line = {
        method: req.method,
        path: req.originalUrl.length > 200 ? `${req.originalUrl.slice(0, 200)}…` : req.originalUrl,
        route,
        status: res.statusCode,
        ms: Math.round(seconds * 10_000) / 10,
      }
      if (res.statusCode >= 500) logger.error(line, 'request')
      else if (QUIET_ROUTES.has(route)) logger.debug(line, 'request')
      else logger.info(line, 'request')
    })
    next()
  })

  app.use(bodyLimit(env.MAX_BODY_BYTES))

  // Security headers and checks, before anything answers.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const nonce = randomBytes(16).toString('base64')
    res.locals.cspNonce = nonce
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value)
    // Vite's dev server injects inline styles and scripts without a nonce: the policy is enforced in production.
    res.setHeader(dev ? 'Content-Security-Policy-Report-Only' : 'Content-Security-Policy', contentSecurityPolicy(nonce))
    // The client's address as we determined it (socket, or a trusted proxy's X-Forwarded-For); whatever a
    // client sent under this name is overwritten.
    req.headers[CLIENT_IP_HEADER] = req.ip ?? req.socket.remoteAddress ?? ''
    const header = (name: string) => {
      const v = req.headers[name]
      return Array.isArray(v) ? v[0] : v
    }
    const reason = foreignOriginReason({
      method: req.method,
      origin: header('origin'),
      host: header('x-forwarded-host') ?? header('host'),
      secFetchSite: header('sec-fetch-site'),
      authorization: header('authorization'),
    })
    if (reason) {
      logger.warn({ method: req.method, path: req.path, reason }, 'cross-origin request refused')
      const message = `Refused: ${reason}. Changes must come from this site's own pages (or with an API key).`
      if (req.path.startsWith('/api/'))
        res.status(ERROR_CODES.FORBIDDEN.status).json({ code: 'FORBIDDEN', message, field: null } satisfies ErrorBody)
      else res.status(403).type('text/plain').send(message)
      return
    }
    next()
  })

  // The tracking endpoints (track, batch, reserve, release): the same procedures as the REST API, served here
  // without Remix's fetch adapter, before compression (their answers are written whole, with a length).
  const { db } = await import('./app/db.server')
  const { apiConfig } = await import('./app/api-config.server')
  const cacheListener = startCacheInvalidation(db, (error) =>
    logger.warn({ err: error }, 'cache invalidation listener lost its connection'),
  )
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST' || !HOT_PATHS.has(req.path)) return next()
    serveHotRest(db, req, res, {
      onError: (error) => logger.error({ err: error, path: req.path }, 'REST procedure failed'),
      maxBodyBytes: env.MAX_BODY_BYTES,
      config: apiConfig,
    }).then((served) => (served ? undefined : next()), next)
  })

  app.use(compression())

  app.get('/metrics', async (req, res, next) => {
    if (
      !mayReadMetrics({
        authorization: req.get('authorization'),
        remoteAddress: req.socket.remoteAddress,
        forwardedFor: req.get('x-forwarded-for'),
        token: env.METRICS_TOKEN,
      })
    ) {
      res
        .status(403)
        .type('text/plain')
        .send('Metrics answer on this machine, or with "Authorization: Bearer <METRICS_TOKEN>".')
      return
    }
    try {
      res.set('Content-Type', registry.contentType)
      res.set('Cache-Control', 'no-store')
      res.send(await registry.metrics())
    } catch (error) {
      next(error)
    }
  })

  if (vite) {
    app.use(vite.middlewares)
  } else {
    // Fingerprinted by Vite, so they never change under the same name.
    app.use('/assets', express.static(`${appDir}build/client/assets`, { immutable: true, maxAge: '1y', index: false }))
    app.use(express.static(`${appDir}build/client`, { maxAge: '1h', index: false }))
  }

  // The usage export streams up to millions of rows. Served here rather than through Remix so the body is
  // piped with backpressure: a slow client slows the COPY instead of filling the server's memory.
  const { handleExportRequest } = await import('@costwise/api')
  observePool(poolOf(db))
  app.get('/api/usage/export', async (req, res, next) => {
    const aborted = new AbortController()
    res.on('close', () => {
      if (!res.writableFinished) aborted.abort()
    })
    try {
      const headers = new Headers()
      for (const [key, value] of Object.entries(req.headers)) {
        if (typeof value === 'string') headers.set(key, value)
        else if (Array.isArray(value)) headers.set(key, value.join(', '))
      }
      const url = `${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`
      const response = await handleExportRequest(db, new Request(url, { headers, signal: aborted.signal }), apiConfig)
      res.status(response.status)
      response.headers.forEach((value, key) => res.setHeader(key, value))
      if (!response.body) {
        res.end()
        return
      }
      await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), res)
    } catch (error) {
      if (res.headersSent) res.destroy(error as Error)
      else next(error)
    }
  })

  const remix = createRequestHandler({
    build: currentBuild,
    mode: dev ? 'development' : 'production',
    getLoadContext: (_req, res) => ({ cspNonce: String(res.locals.cspNonce ?? '') }),
  })
  app.all('*', async (req, res, next) => {
    try {
      await remix(req, res, next)
    } catch (error) {
      if (vite && error instanceof Error) vite.ssrFixStacktrace(error)
      next(error)
    }
  })

  // Last resort: Remix renders its own errors, so this only sees failures outside it.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    logger.error({ err: error, method: req.method, path: req.originalUrl }, 'unhandled error')
    if (res.headersSent) return res.end()
    res.status(500).type('text/plain').send(INTERNAL_MESSAGE)
  })

  const server = createServer(app)
  // Requests in flight per connection, so shutdown can let each finish, then close its connection gently.
  const active = new Map<Socket, number>()
  let draining = false
  const endIfIdle = (socket: Socket) => {
    // end(), not destroy(): the rest of a response already written still reaches the client, then FIN.
    if (draining && (active.get(socket) ?? 0) === 0 && !socket.destroyed) socket.end()
  }
  server.on('connection', (socket: Socket) => {
    active.set(socket, 0)
    socket.once('close', () => active.delete(socket))
    endIfIdle(socket)
  })
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket
    active.set(socket, (active.get(socket) ?? 0) + 1)
    if (draining) res.setHeader('Connection', 'close')
    res.once('close', () => {
      active.set(socket, (active.get(socket) ?? 1) - 1)
      endIfIdle(socket)
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  logger.info(
    { url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`, mode: dev ? 'development' : 'production' },
    'web server listening',
  )

  return {
    server,
    async close({ graceMs = 10_000 } = {}) {
      draining = true
      // Stop listening. (net's close, not http's: since Node 19 http's also destroys idle keep-alive sockets,
      // which can cut a response that was written but not yet flushed to a slow reader.)
      const closed = new Promise<void>((resolve) => net.Server.prototype.close.call(server, () => resolve()))
      for (const socket of active.keys()) endIfIdle(socket)
      const deadline = Date.now() + graceMs
      while (active.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
      if (active.size > 0) {
        const inFlight = [...active.values()].reduce((a, b) => a + b, 0)
        logger.warn(
          { connections: active.size, inFlight, graceMs },
          'connections still open at the end of the grace period; closing them',
        )
        for (const socket of active.keys()) socket.destroy()
      }
      await closed
      await cacheListener.stop()
      await vite?.close()
      await db.destroy()
    },
  }
}

/**
 * Closes the server gracefully on SIGTERM/SIGINT (no new requests; those in flight finish, 10 s at most), or
 * when the parent that started it with an IPC channel (`cli start`'s supervisor, or cluster.ts) is gone.
 */
export function shutdownOnSignals(web: WebServer): void {
  let stopping = false
  const shutdown = (reason: string) => {
    if (stopping) {
      // A second signal: don't wait for anyone.
      logger.warn({ reason }, 'forced stop')
      process.exit(1)
    }
    stopping = true
    logger.info({ reason }, 'shutting down: no new requests; finishing those in flight (at most 10 s)')
    web.close({ graceMs: 10_000 }).then(
      () => {
        logger.info('web server stopped')
        process.exit(0)
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
  // Started by `cli start` (an IPC channel): when the supervisor is gone, so are we — no orphan holding the port.
  if (process.send) process.on('disconnect', () => shutdown('supervisor gone'))
}

// Run directly (`node --conditions=built build/node/server.js`, `tsx server.ts --dev`, or as a cluster worker of
// cluster.ts), or import `startWebServer`.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  shutdownOnSignals(await startWebServer({ dev: process.argv.includes('--dev') }))
}
