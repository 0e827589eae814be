import { AppError } from '@costwise/core'
import type { Db } from '@costwise/db'
import { TRPCError } from '@trpc/server'
import { fetchRequestHandler } from '@trpc/server/adapters/fetch'
import { createOpenApiFetchHandler, generateOpenApiDocument } from 'trpc-to-openapi'
import { Readable } from 'node:stream'
import { analytics, copyUsageCsv } from '@costwise/db'
import { z } from 'zod'
import { rangeInstants, refineFromBeforeTo, type TeamAccess } from '@costwise/core'
import type { ArtefactStore } from './artefacts'
import { DEFAULT_API_CONFIG, type ApiConfig } from './config'
import { createContextFromRequest, type Context } from './context'
import { checkRawInput } from './input-guard'
import { filterFields, rangeFields, resolveRange } from './services/analytics'
import { noSuchRun, runArtefact } from './services/reports'
import { buildReport } from './services/reports/build'
import { reportPdf } from './services/reports/pdf'
import { authorizeTeam, type TeamScope } from './trpc'
import { errorBody, errorResponse, errorResponseFor, rethrowAsTrpc, retryAfterHeaders, toAppError } from './errors'
import { appRouter } from './root'

/**
 * The routes served outside tRPC, each with its access declaration (the same shape as a procedure's). They
 * resolve their caller only through {@link resolveRouteAccess}; the permission matrix lists them too.
 */
export const HTTP_ROUTES = {
  usageExport: {
    method: 'GET',
    path: '/api/usage/export',
    access: { kind: 'team', role: 'viewer', scope: 'usage:read' },
  },
  labRun: { method: 'POST', path: '/api/lab/run', access: { kind: 'team', role: 'member', scope: 'usage:write' } },
  reportRunDownload: {
    method: 'GET',
    path: '/dashboard/reports/runs/:runId/download',
    access: { kind: 'team', role: 'viewer', scope: 'usage:read' },
  },
} as const satisfies Record<string, { method: string; path: string; access: TeamAccess }>
export type HttpRoute = keyof typeof HTTP_ROUTES

/**
 * The one way a route outside tRPC finds out who is calling: identity (session cookie or API key), the team
 * (from that identity, never from input), the role or key scope and the plan its declaration needs, and the
 * per-key rate limit. Throws an AppError (401, 403 naming the missing scope, 404, 429).
 */
export async function resolveRouteAccess(
  db: Db,
  request: Request,
  route: HttpRoute,
  config: ApiConfig = DEFAULT_API_CONFIG,
): Promise<{ ctx: Context; team: TeamScope }> {
  const ctx = await createContextFromRequest(db, request, config)
  if (ctx.actor.kind === 'anonymous') {
    throw new AppError('UNAUTHORIZED', 'Sign in, or send a valid API key as "Authorization: Bearer <key>".')
  }
  if (ctx.actor.kind === 'apiKey') await ctx.config.rateLimiter.consume(db, ctx.actor.key.id)
  const team = await authorizeTeam(ctx, HTTP_ROUTES[route].access)
  return { ctx, team }
}

/** tRPC over HTTP at /api/trpc (the web app and the typed client). */
export function handleTrpcRequest(
  db: Db,
  request: Request,
  options: { config?: ApiConfig; onError?: (error: TRPCError, path: string | undefined) => void } = {},
) {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req: request,
    router: appRouter,
    createContext: () => createContextFromRequest(db, request, options.config).catch(rethrowAsTrpc),
    responseMeta: ({ errors }) => ({ headers: retryAfterHeaders(errors) }),
    onError: ({ error, path }) => options.onError?.(error, path),
  })
}

/** A procedure's declared success status for REST (`successStatus` in its meta), else 200. */
function successStatusOf(path: string): number {
  const procedure = (
    appRouter._def.procedures as unknown as Record<string, { _def: { meta?: { successStatus?: number } } } | undefined>
  )[path]
  return procedure?._def.meta?.successStatus ?? 200
}

/**
 * REST at /api/* generated from the same procedures (trpc-to-openapi). Error bodies use our one shape:
 * `{ code, message, field }` plus the error's details (e.g. `budget` for BUDGET_EXCEEDED).
 */
export async function handleRestRequest(
  db: Db,
  request: Request,
  config: ApiConfig = DEFAULT_API_CONFIG,
): Promise<Response> {
  let failure: TRPCError | null = null
  const response = await createOpenApiFetchHandler({
    endpoint: '/api',
    req: request,
    router: appRouter,
    createContext: () => createContextFromRequest(db, request, config).catch(rethrowAsTrpc),
    responseMeta: ({ errors, paths }: { errors: readonly unknown[]; paths?: readonly string[] }) => ({
      headers: retryAfterHeaders(errors),
      ...(errors.length === 0 && paths?.length === 1 ? { status: successStatusOf(paths[0]!) } : {}),
    }),
    onError: ({ error }: { error: TRPCError }) => {
      failure = error
    },
  } as Parameters<typeof createOpenApiFetchHandler>[0])
  if (response.ok || !failure) return response
  const error = toAppError(failure)
  const headers = new Headers(response.headers)
  for (const [name, value] of errorResponse(error).headers) headers.set(name, value)
  headers.delete('content-length')
  return new Response(JSON.stringify(errorBody(error)), { status: response.status, headers })
}

/** `Retry-After` for a rate-limited answer. */
export { retryAfterHeaders }

/** The OpenAPI document of the REST API, plus the streamed export (served outside tRPC). */
export function openApiDocument(baseUrl: string) {
  const doc = generateOpenApiDocument(appRouter, {
    title: 'Costwise API',
    version: '1.0.0',
    description:
      'Token tracking, budgets and analytics. Authenticate with an API key: `Authorization: Bearer <key>` ' +
      '(create one with `pnpm cli api-key create`). Money is exact and travels as decimal strings of USD.',
    baseUrl: `${baseUrl.replace(/\/+$/, '')}/api`,
  })
  doc.paths = {
    ...doc.paths,
    '/usage/export': {
      get: {
        operationId: 'usage-export',
        summary: 'Stream the usage rows the filters select (CSV or JSON lines, constant memory), or the PDF report',
        tags: ['usage'],
        security: [{ Authorization: [] }],
        parameters: [
          {
            name: 'from',
            in: 'query',
            schema: { type: 'string', format: 'date' },
            description: 'First local day, inclusive',
          },
          {
            name: 'to',
            in: 'query',
            schema: { type: 'string', format: 'date' },
            description: 'Last local day, inclusive',
          },
          {
            name: 'format',
            in: 'query',
            schema: { type: 'string', enum: ['csv', 'jsonl', 'pdf'], default: 'csv' },
            description: 'csv (rows), jsonl (one JSON object per row) or pdf (the executive summary report)',
          },
          ...['model', 'provider', 'promptId', 'userId', 'apiKeyId', 'feature', 'status', 'tag'].map((name) => ({
            name,
            in: 'query' as const,
            schema: { type: 'string' as const },
            description: 'Filter; several values comma-separated',
          })),
        ],
        responses: {
          '200': {
            description: 'The rows (CSV or JSON lines, streamed) or the PDF report',
            content: {
              'text/csv': { schema: { type: 'string' } },
              'application/x-ndjson': { schema: { type: 'string' } },
              'application/pdf': { schema: { type: 'string', format: 'binary' } },
            },
          },
          '400': { description: 'Bad input' },
          '401': { description: 'No or wrong API key' },
          '403': { description: 'The key lacks the usage:read scope' },
        },
      },
    },
  }
  return doc
}

const exportInputSchema = z
  .object({ ...rangeFields, ...filterFields, format: z.enum(['csv', 'jsonl', 'pdf']).default('csv') })
  .superRefine(refineFromBeforeTo)

/**
 * GET /api/usage/export: the usage rows the filters select, streamed as CSV from PostgreSQL. Same auth, team
 * scoping and rate limit as every other endpoint.
 */
export async function handleExportRequest(
  db: Db,
  request: Request,
  config: ApiConfig = DEFAULT_API_CONFIG,
): Promise<Response> {
  try {
    // Who is asking comes first (as in every procedure): a caller without access learns nothing from input errors.
    const { team } = await resolveRouteAccess(db, request, 'usageExport', config)
    const query = Object.fromEntries(new URL(request.url).searchParams)
    const hostile = checkRawInput(query)
    if (hostile) return errorResponse(hostile)
    const parsed = exportInputSchema.safeParse(query)
    if (!parsed.success) return errorResponse(toAppError(parsed.error))
    const range = resolveRange(parsed.data, team.timeZone)
    const { start, end } = rangeInstants(range, team.timeZone)
    const filename = `costwise-usage-${team.slug}-${range.from}-to-${range.to}.${parsed.data.format}`
    const headers = (contentType: string) => ({
      'content-type': contentType,
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'no-store',
    })
    if (parsed.data.format === 'pdf') {
      const { format: _format, from: _from, to: _to, ...filters } = parsed.data
      const data = await buildReport(db, team, {
        metrics: ['cost', 'tokens', 'runs'],
        groupBy: 'day',
        range: { kind: 'fixed', from: range.from, to: range.to },
        filters,
      })
      return new Response(new Uint8Array(await reportPdf(data)), { status: 200, headers: headers('application/pdf') })
    }
    const stream =
      parsed.data.format === 'jsonl'
        ? Readable.from(usageJsonLines(db, team.id, start, end, parsed.data))
        : await copyUsageCsv(db, { teamId: team.id, from: start, to: end, filters: parsed.data })
    request.signal.addEventListener('abort', () => stream.destroy())
    return new Response(Readable.toWeb(stream) as ReadableStream, {
      status: 200,
      headers: headers(
        parsed.data.format === 'jsonl' ? 'application/x-ndjson; charset=utf-8' : 'text/csv; charset=utf-8',
      ),
    })
  } catch (error) {
    const response = errorResponseFor(error)
    if (response) return response
    throw error
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * GET /dashboard/reports/runs/:runId/download: a finished report run's file, for its own team only. A run of
 * another team, or an id that is no run at all, is the same 404.
 */
export async function handleReportRunDownload(
  db: Db,
  store: ArtefactStore,
  request: Request,
  runId: string,
  config: ApiConfig = DEFAULT_API_CONFIG,
): Promise<Response> {
  try {
    const { team } = await resolveRouteAccess(db, request, 'reportRunDownload', config)
    if (!UUID.test(runId)) throw noSuchRun()
    const file = await runArtefact(db, store, team, runId)
    return new Response(new Uint8Array(file.bytes), {
      headers: {
        'content-type': file.contentType,
        'content-length': String(file.bytes.length),
        'content-disposition': `attachment; filename="${file.filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
        'cache-control': 'private, no-store',
      },
    })
  } catch (error) {
    const response = errorResponseFor(error)
    if (response) return response
    throw error
  }
}

/** JSON lines of the usage rows, a keyset page at a time (constant memory). */
async function* usageJsonLines(db: Db, teamId: string, from: Date, to: Date, filters: analytics.UsageFilters) {
  let cursor: analytics.HistoryCursor | null = null
  do {
    const page: Awaited<ReturnType<typeof analytics.history>> = await analytics.history(db, teamId, {
      from,
      to,
      filters,
      sort: 'occurredAt',
      direction: 'asc',
      limit: 5000,
      cursor,
    })
    yield Buffer.from(
      page.rows.map((r) => `${JSON.stringify({ ...r, occurredAt: r.occurredAt.toISOString() })}\n`).join(''),
    )
    cursor = page.next
  } while (cursor)
}
