import { randomUUID } from 'node:crypto'
import {
  gatewayFeatureSchema,
  AppError,
  calculateCost,
  estimateChatTokens,
  nanoToUsd,
  parseUsage,
  usageFromOpenAI,
  type NormalizedUsage,
} from '@costwise/core'
import { prompts, tracking, type Db } from '@costwise/db'
import { teamPricing } from '../services/pricing'
import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from 'openai'
import { z } from 'zod'
import { recordUsage } from '../services/record-usage'
import { releaseReservation, reserve } from '../services/reserve'
import type { BudgetStatus } from '../services/tracking.types'
import type { TeamScope } from '../trpc'
import { assertModelsAllowed } from '../services/model-access'

/** Where the gateway sends model calls. The app passes it in from its environment; packages never read env. */
export interface GatewayConfig {
  apiKey: string
  /** An OpenAI-compatible base URL, e.g. the local demo server's `http://127.0.0.1:PORT/v1`. Default: OpenAI. */
  baseURL?: string
  /** SDK retries for failures before the answer starts (connection errors, 408/409/429/5xx). Default 2. */
  maxRetries?: number
  /** Per-request timeout. Default 120 s. */
  timeoutMs?: number
}

export const gatewayMessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string().max(2_000_000, 'must be at most 2 MB'),
})
export type GatewayMessage = z.infer<typeof gatewayMessageSchema>

export const gatewayCallSchema = z.object({
  model: z.string().trim().min(1, 'model is required').max(200),
  messages: z.array(gatewayMessageSchema).min(1, 'send at least one message').max(200),
  maxOutputTokens: z.number().int().min(1, 'must be at least 1').max(200_000),
  feature: gatewayFeatureSchema,
  promptId: z.uuid().optional(),
  /**
   * One key per logical call, so a retried HTTP request (same key) never counts twice. Default: a fresh UUID.
   * Each attempt the SDK makes internally belongs to the same call and is recorded once.
   */
  idempotencyKey: z.string().min(1).max(150).optional(),
})
export type GatewayCall = z.input<typeof gatewayCallSchema>

export interface GatewayEstimate {
  inputTokens: number
  maxOutputTokens: number
  /** Worst case: the prompt plus maxOutputTokens of output. */
  estimatedCostUsd: string
  budgets: BudgetStatus[]
}

export interface GatewayUsage extends NormalizedUsage {
  costUsd: string
  /** Cost by component (exact decimal strings). */
  breakdown: { inputUsd: string; cachedInputUsd: string; outputUsd: string; reasoningUsd: string }
}

export interface GatewayResult {
  status: 'ok' | 'error'
  callId: string
  model: string
  output: string
  finishReason: string | null
  estimate: GatewayEstimate
  usage: GatewayUsage
  usageLogId: string | null
  runId: string | null
  latencyMs: number
  timeToFirstTokenMs: number | null
  budgets: BudgetStatus[]
  /** Set when status is 'error': what went wrong, in words for people. */
  error: {
    code: 'PROVIDER_ERROR' | 'CONNECTION_ERROR' | 'ABORTED'
    message: string
    providerStatus: number | null
  } | null
}

export interface GatewayHooks {
  /** Called once the budget check passed, before the provider is called. */
  onStart?: (estimate: GatewayEstimate) => void
  /** Called with each piece of answer text as it streams. */
  onDelta?: (text: string) => void
  signal?: AbortSignal
  /** For tests: a clock. */
  now?: () => number
}

const clients = new Map<string, OpenAI>()

function clientFor(config: GatewayConfig): OpenAI {
  const key = JSON.stringify([
    config.apiKey,
    config.baseURL ?? null,
    config.maxRetries ?? 2,
    config.timeoutMs ?? 120_000,
  ])
  let client = clients.get(key)
  if (!client) {
    client = new OpenAI({
      apiKey: config.apiKey,
      baseURL: config.baseURL,
      maxRetries: config.maxRetries ?? 2,
      timeout: config.timeoutMs ?? 120_000,
    })
    clients.set(key, client)
  }
  return client
}

/**
 * A socket dropped mid-stream reaches us from undici as a raw `TypeError: terminated` (cause
 * `UND_ERR_SOCKET`), not as the SDK's APIConnectionError; both are connection errors.
 */
export function isConnectionError(error: unknown): boolean {
  if (error instanceof APIConnectionError) return true
  if (error instanceof TypeError) {
    const cause = (error as { cause?: { code?: unknown } }).cause
    return error.message === 'terminated' || (typeof cause?.code === 'string' && cause.code.startsWith('UND_ERR'))
  }
  const code = (error as { code?: unknown } | null)?.code
  return code === 'ECONNRESET' || code === 'ECONNREFUSED' || code === 'EPIPE'
}

function describeFailure(error: unknown): NonNullable<GatewayResult['error']> {
  if (error instanceof APIUserAbortError || (error instanceof Error && error.name === 'AbortError')) {
    return { code: 'ABORTED', message: 'The run was stopped before it finished.', providerStatus: null }
  }
  if (isConnectionError(error)) {
    return {
      code: 'CONNECTION_ERROR',
      message:
        'The connection to the model provider was lost. Only the tokens the provider reported were counted; try again.',
      providerStatus: null,
    }
  }
  if (error instanceof APIError) {
    const status = typeof error.status === 'number' ? error.status : null
    const hint =
      status === 429
        ? 'The provider is rate limiting; wait a moment and try again.'
        : status !== null && status >= 500
          ? 'The provider failed; try again in a moment.'
          : 'Check the model and the request.'
    return {
      code: 'PROVIDER_ERROR',
      message: `The model provider answered ${status ?? 'an error'}: ${error.message}. ${hint}`,
      providerStatus: status,
    }
  }
  return {
    code: 'PROVIDER_ERROR',
    message: `The model call failed: ${error instanceof Error ? error.message : String(error)}`,
    providerStatus: null,
  }
}

const ZERO_USAGE: NormalizedUsage = parseUsage({ inputTokens: 0, outputTokens: 0 })

/** Cap on the answer text kept in the run history. */
const MAX_STORED_OUTPUT = 64_000

/**
 * The one path for every model call (Prompt Lab runs, previews, "improve my prompt"):
 * estimate → reserve on every budget that applies (a hard budget without room throws BUDGET_EXCEEDED,
 * records a `blocked` row, and the provider is never called) → stream from the provider with the openai
 * SDK, asking for usage → record the usage the provider reported, which settles the reservation → write the
 * prompt's run history. A provider failure records an `error` row with whatever usage the stream reported
 * (else zero) and gives back the rest of the reservation. Only a call that never reached the point of
 * recording (e.g. the database failed) releases the reservation explicitly.
 */
export async function runChat(
  db: Db,
  team: TeamScope,
  config: GatewayConfig,
  rawCall: GatewayCall,
  hooks: GatewayHooks = {},
): Promise<GatewayResult> {
  const call = gatewayCallSchema.parse(rawCall)
  assertModelsAllowed(team, [call.model])
  const now = hooks.now ?? Date.now
  const callId = call.idempotencyKey ?? randomUUID()
  const common = { model: call.model, feature: call.feature, promptId: call.promptId }

  // 0. A call whose key was already recorded is a retry of a finished call: don't call the provider again.
  if (call.idempotencyKey) {
    const [done] = await tracking.findUsageByKeys(db, team.id, [`gateway:${callId}`, `gateway:${callId}:blocked`])
    if (done) {
      throw new AppError(
        'CONFLICT',
        'This run was already made and recorded (same idempotency key); start a new run to call the model again.',
        {
          field: 'idempotencyKey',
          details: { usageLogId: done.id },
        },
      )
    }
  }

  // Caching guidance (a prompt_caching recommendation applied): ask the provider to route the prompt's calls to
  // the same cache, so its stable prefix is read from cache (OpenAI's prompt_cache_key).
  const cacheKey =
    call.promptId && (await prompts.promptCaching(db, team.id, call.promptId)) ? `costwise:${call.promptId}` : undefined

  // 1. Estimate and reserve. A blocked call is recorded (cost 0) and never reaches the provider.
  const estimated = await estimateChatTokens(call.messages, call.model)
  let reservation
  try {
    reservation = await reserve(db, team, {
      model: call.model,
      inputTokens: estimated.tokens,
      maxOutputTokens: call.maxOutputTokens,
      promptId: call.promptId,
      idempotencyKey: `gateway:${callId}`,
    })
  } catch (error) {
    if (error instanceof AppError && error.code === 'BUDGET_EXCEEDED') {
      const [blocked] = await recordUsage(db, team, [
        {
          ...common,
          inputTokens: 0,
          outputTokens: 0,
          status: 'blocked',
          idempotencyKey: `gateway:${callId}:blocked`,
          metadata: {
            estimatedInputTokens: estimated.tokens,
            maxOutputTokens: call.maxOutputTokens,
            details: error.details ?? null,
          },
        },
      ])
      if (call.promptId) {
        await prompts.insertPromptRun(db, {
          teamId: team.id,
          promptId: call.promptId,
          userId: team.userId,
          usageLogId: blocked?.id ?? null,
          model: call.model,
          status: 'blocked',
          inputTokens: 0,
          outputTokens: 0,
          cachedInputTokens: 0,
          reasoningTokens: 0,
          estimatedCostUsd: typeof error.details?.estimatedCostUsd === 'string' ? error.details.estimatedCostUsd : null,
          costUsd: '0',
          latencyMs: 0,
          timeToFirstTokenMs: null,
          output: null,
          error: error.message,
        })
      }
    }
    throw error
  }
  const estimate: GatewayEstimate = {
    inputTokens: estimated.tokens,
    maxOutputTokens: call.maxOutputTokens,
    estimatedCostUsd: reservation.estimatedCostUsd,
    budgets: reservation.budgets,
  }

  // 2. Call the provider, streaming. Anything thrown from here on must settle or release the reservation.
  let output = ''
  let finishReason: string | null = null
  let reported: NormalizedUsage | null = null
  let failure: GatewayResult['error'] = null
  const started = now()
  let firstTokenAt: number | null = null
  try {
    hooks.onStart?.(estimate)
    const stream = await clientFor(config).chat.completions.create(
      {
        model: call.model,
        messages: call.messages,
        max_completion_tokens: call.maxOutputTokens,
        stream: true,
        stream_options: { include_usage: true },
        ...(cacheKey ? { prompt_cache_key: cacheKey } : {}),
      },
      { signal: hooks.signal },
    )
    for await (const chunk of stream) {
      if (chunk.usage) reported = usageFromOpenAI(chunk.usage)
      for (const choice of chunk.choices) {
        const text = choice.delta?.content
        if (text) {
          firstTokenAt ??= now()
          output += text
          hooks.onDelta?.(text)
        }
        if (choice.finish_reason) finishReason = choice.finish_reason
      }
    }
  } catch (error) {
    failure = describeFailure(error)
  }
  const latencyMs = Math.max(0, Math.round(now() - started))
  const timeToFirstTokenMs = firstTokenAt === null ? null : Math.max(0, Math.round(firstTokenAt - started))
  if (!failure && !reported) {
    failure = {
      code: 'PROVIDER_ERROR',
      message: 'The provider did not report token usage for this call.',
      providerStatus: null,
    }
  }
  const usage = reported ?? ZERO_USAGE

  // 3. Record what was billed; this settles the reservation (releasing what was not spent).
  let recorded
  try {
    ;[recorded] = await recordUsage(db, team, [
      {
        ...common,
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        cachedInputTokens: usage.cachedInputTokens,
        reasoningTokens: usage.reasoningTokens,
        status: failure ? 'error' : 'ok',
        latencyMs,
        reservationId: reservation.reservationId,
        idempotencyKey: `gateway:${callId}`,
        metadata: {
          ...(failure ? { error: failure.code, providerStatus: failure.providerStatus } : {}),
          ...(finishReason ? { finishReason } : {}),
          ...(timeToFirstTokenMs !== null ? { timeToFirstTokenMs } : {}),
        },
      },
    ])
  } catch (error) {
    await releaseReservation(db, team, reservation.reservationId).catch(() => {})
    throw error
  }

  const cost = calculateCost(call.model, usage, new Date(), await teamPricing(db, team.id))
  const usageView: GatewayUsage = {
    ...usage,
    costUsd: recorded?.costUsd ?? nanoToUsd(cost.totalNano),
    breakdown: {
      inputUsd: nanoToUsd(cost.breakdown.inputNano),
      cachedInputUsd: nanoToUsd(cost.breakdown.cachedInputNano),
      outputUsd: nanoToUsd(cost.breakdown.outputNano),
      reasoningUsd: nanoToUsd(cost.breakdown.reasoningNano),
    },
  }

  let runId: string | null = null
  if (call.promptId) {
    runId = await prompts.insertPromptRun(db, {
      teamId: team.id,
      promptId: call.promptId,
      userId: team.userId,
      usageLogId: recorded?.id ?? null,
      model: call.model,
      status: failure ? 'error' : 'ok',
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cachedInputTokens: usage.cachedInputTokens,
      reasoningTokens: usage.reasoningTokens,
      estimatedCostUsd: reservation.estimatedCostUsd,
      costUsd: usageView.costUsd,
      latencyMs,
      timeToFirstTokenMs,
      output: output.slice(0, MAX_STORED_OUTPUT),
      error: failure?.message ?? null,
    })
  }

  return {
    status: failure ? 'error' : 'ok',
    callId,
    model: call.model,
    output,
    finishReason,
    estimate,
    usage: usageView,
    usageLogId: recorded?.id ?? null,
    runId,
    latencyMs,
    timeToFirstTokenMs,
    budgets: recorded?.budgets ?? [],
    error: failure,
  }
}
