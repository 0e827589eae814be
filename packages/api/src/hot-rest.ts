import { ERROR_CODES } from '@costwise/core'
import type { Db } from '@costwise/db'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { DEFAULT_API_CONFIG, type ApiConfig } from './config'
import { createContextFromHeaders } from './context'
import { errorBody, isExpected, rethrowAsTrpc, retryAfterHeaders, toAppError } from './errors'
import { appRouter, createCaller } from './root'

/**
 * The tracking endpoints — the calls every model call makes — served straight from Node's request, ahead of
 * Remix and the fetch adapter. They are the same procedures as the generated REST API (`usage.track`, …):
 * a tRPC caller runs them, so the input and output schemas, the access declaration (role, key scope, plan),
 * the per-key rate limit and the error shape are those of every other endpoint, and the OpenAPI document
 * is unchanged. Only the transport is shorter.
 */
const HOT = {
  'usage.track': (caller: Caller, input: unknown) => caller.usage.track(input as never),
  'usage.trackBatch': (caller: Caller, input: unknown) => caller.usage.trackBatch(input as never),
  'usage.reserve': (caller: Caller, input: unknown) => caller.usage.reserve(input as never),
  'usage.release': (caller: Caller, input: unknown) => caller.usage.release(input as never),
} as const
type Caller = ReturnType<typeof createCaller>
type HotProcedure = keyof typeof HOT

/** `POST /api/usage/track` → `usage.track`, read from the procedures' own OpenAPI meta (so they cannot drift). */
export const HOT_REST_ROUTES: ReadonlyMap<string, HotProcedure> = (() => {
  const procedures = appRouter._def.procedures as unknown as Record<
    string,
    { _def: { meta?: { openapi?: { method: string; path: string } } } }
  >
  const routes = new Map<string, HotProcedure>()
  for (const name of Object.keys(HOT) as HotProcedure[]) {
    const openapi = procedures[name]?._def.meta?.openapi
    if (!openapi) throw new Error(`hot-rest: ${name} has no REST address`)
    routes.set(`${openapi.method} /api${openapi.path}`, name)
  }
  return routes
})()

/** The largest body read when the server sets no limit of its own (its MAX_BODY_BYTES answers 413 first). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024

export interface RestAnswer {
  status: number
  headers: Record<string, string>
  body: string
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): RestAnswer => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
})

/**
 * Runs a hot procedure for a request and answers as the generated REST API does: the output as JSON, or
 * `{ code, message, field, …details }` with the error's status (and `Retry-After` when rate limited).
 */
export async function answerHotRest(
  db: Db,
  procedure: HotProcedure,
  header: (name: string) => string | null,
  input: unknown,
  onError?: (error: unknown) => void,
  config: ApiConfig = DEFAULT_API_CONFIG,
): Promise<RestAnswer> {
  try {
    const caller = createCaller(await createContextFromHeaders(db, header, config).catch(rethrowAsTrpc))
    return json(200, await HOT[procedure](caller, input))
  } catch (cause) {
    // The one error mapping, as on REST: a known failure (the database unreachable: 503 with Retry-After) keeps
    // its code; anything unexpected is a 500 and goes to the log.
    const error = toAppError(cause)
    const status = ERROR_CODES[error.code].status
    if (!isExpected(error)) onError?.(cause)
    return json(status, errorBody(error), retryAfterHeaders([error]))
  }
}

/**
 * Serves the request when it is one of the hot endpoints (returns false otherwise, touching nothing).
 * `onError` sees unexpected failures (500s) for the log.
 */
export async function serveHotRest(
  db: Db,
  req: IncomingMessage,
  res: ServerResponse,
  options: { onError?: (error: unknown) => void; maxBodyBytes?: number; config?: ApiConfig } = {},
): Promise<boolean> {
  const { onError, maxBodyBytes = MAX_BODY_BYTES, config = DEFAULT_API_CONFIG } = options
  const path = (req.url ?? '').split('?', 1)[0]!
  const procedure = HOT_REST_ROUTES.get(`${req.method} ${path}`)
  if (!procedure) return false
  const header = (name: string) => {
    const value = req.headers[name]
    return (Array.isArray(value) ? value[0] : value) ?? null
  }
  let answer: RestAnswer
  const body = await readBody(req, maxBodyBytes)
  // Gone before its body arrived, or already answered (the server's own body limit): nothing to say.
  if (body.kind === 'gone' || res.headersSent) return true
  if (body.kind === 'tooLarge') {
    answer = json(413, {
      code: 'INPUT_TOO_LARGE',
      message: `The request body is over ${maxBodyBytes.toLocaleString('en-US')} bytes (MAX_BODY_BYTES). Send less per request, e.g. smaller batches.`,
      field: null,
      limitBytes: maxBodyBytes,
    })
  } else if (body.kind === 'invalid') {
    answer = json(400, {
      code: 'BAD_INPUT',
      message: 'The request body is not valid JSON; send a JSON object with Content-Type: application/json.',
      field: null,
    })
  } else {
    answer = await answerHotRest(db, procedure, header, body.value, onError, config)
  }
  res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) })
  res.end(answer.body)
  return true
}

function readBody(
  req: IncomingMessage,
  maxBytes: number,
): Promise<{ kind: 'ok'; value: unknown } | { kind: 'tooLarge' } | { kind: 'invalid' } | { kind: 'gone' }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let tooLarge = false
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes)
        tooLarge = true // keep draining, so the answer can still be sent
      else chunks.push(chunk)
    })
    req.on('error', reject)
    req.on('close', () => {
      if (!req.complete) resolve({ kind: 'gone' })
    })
    req.on('end', () => {
      if (tooLarge) return resolve({ kind: 'tooLarge' })
      if (size === 0) return resolve({ kind: 'ok', value: undefined })
      try {
        resolve({ kind: 'ok', value: JSON.parse(Buffer.concat(chunks, size).toString('utf8')) })
      } catch {
        resolve({ kind: 'invalid' })
      }
    })
  })
}
