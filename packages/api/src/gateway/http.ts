import { AppError, type AppErrorCode } from '@costwise/core'
import { tracking, type Db } from '@costwise/db'
import { z } from 'zod'
import { errorResponse, errorResponseFor, toAppError } from '../errors'
import { resolveRouteAccess } from '../http'
import { DEFAULT_API_CONFIG, type ApiConfig } from '../config'
import { requireGateway } from './config'
import { runChat, type GatewayEstimate, type GatewayResult } from './gateway'
import { labMessages } from './messages'

/** POST /api/lab/run: a Prompt Lab run, rendered from its template on the server. */
export const labRunInputSchema = z.object({
  promptId: z.uuid('promptId must be a UUID').optional(),
  model: z.string().trim().min(1, 'model is required').max(200),
  system: z.string().max(1_000_000, 'must be at most 1 MB').default(''),
  user: z.string().min(1, 'write a user message first').max(1_000_000, 'must be at most 1 MB'),
  variables: z.record(z.string().max(200), z.string().max(1_000_000)).default({}),
  maxOutputTokens: z.number().int().min(1, 'must be at least 1').max(200_000, 'must be at most 200000'),
  idempotencyKey: z.string().min(1).max(150).optional(),
})
export type LabRunInput = z.input<typeof labRunInputSchema>

/** One line of the NDJSON stream a run answers with. */
export type LabRunEvent =
  | { type: 'start'; estimate: GatewayEstimate }
  | { type: 'delta'; text: string }
  | { type: 'done'; result: Omit<GatewayResult, 'output'> }
  | { type: 'error'; code: AppErrorCode; message: string }

/** An error as the stream's last line: its code and message (an unexpected one says nothing internal). */
function describe(error: unknown): { code: AppErrorCode; message: string } {
  const { code, message } = toAppError(error)
  return { code, message }
}

/**
 * Runs a prompt through the gateway and streams NDJSON: `start` (the estimate, once the budget check
 * passed), `delta`s of answer text, then `done` with the usage, cost and timings. Refusals that happen
 * before the provider is called — bad input, no session, a hard budget (402 BUDGET_EXCEEDED with the
 * budget) — answer with a JSON error instead of a stream.
 */
export async function handleLabRunRequest(
  db: Db,
  request: Request,
  apiConfig: ApiConfig = DEFAULT_API_CONFIG,
): Promise<Response> {
  if (request.method !== 'POST')
    return errorResponse(new AppError('METHOD_NOT_ALLOWED', 'POST a run as JSON.'), { allow: 'POST' })
  try {
    const { ctx, team } = await resolveRouteAccess(db, request, 'labRun', apiConfig)
    const raw: unknown = await request.json().catch(() => {
      throw new AppError('BAD_INPUT', 'The body must be JSON.')
    })
    const input = labRunInputSchema.parse(raw)
    // Another team's prompt is no prompt at all here.
    if (input.promptId && !(await tracking.teamPromptIds(db, team.id, [input.promptId])).has(input.promptId)) {
      throw new AppError('NOT_FOUND', 'No prompt with this id in your team.', { field: 'promptId' })
    }
    const config = requireGateway(ctx.config.gateway)
    const encoder = new TextEncoder()
    let controller!: ReadableStreamDefaultController<Uint8Array>
    const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) })
    const send = (event: LabRunEvent) => {
      try {
        controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`))
      } catch {
        // the client went away; the run still finishes and is recorded
      }
    }
    const started = new Promise<void>((resolve, reject) => {
      const run = runChat(
        db,
        team,
        config,
        {
          model: input.model,
          messages: labMessages(input),
          maxOutputTokens: input.maxOutputTokens,
          feature: 'lab',
          promptId: input.promptId,
          idempotencyKey: input.idempotencyKey,
        },
        {
          signal: request.signal,
          onStart: (estimate) => {
            resolve()
            send({ type: 'start', estimate })
          },
          onDelta: (text) => send({ type: 'delta', text }),
        },
      )
      run.then(
        ({ output: _output, ...result }) => {
          send({ type: 'done', result })
          controller.close()
        },
        (error: unknown) => {
          reject(error instanceof Error ? error : new Error(String(error)))
          send({ type: 'error', ...describe(error) })
          try {
            controller.close()
          } catch {
            // already closed
          }
        },
      )
    })
    await started
    return new Response(body, {
      status: 200,
      headers: {
        'content-type': 'application/x-ndjson; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
      },
    })
  } catch (error) {
    const response = errorResponseFor(error)
    if (response) return response
    throw error
  }
}
