import { createHash, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { AppError } from '@costwise/core'
import { generateAnswer, type Answer } from './generate'
import { findLocalModel, LOCAL_MODELS, type LocalModel } from './models'
import { chatCompletionBody, describeProblem, messageText, type ChatCompletionBody } from './schema'
import { parseTriggers } from './triggers'
import { loadTokenCounter, REPLY_PRIMING_TOKENS, type CountableMessage, type TokenCounter } from './tokens'

export interface LocalLlmOptions {
  /** 0 (the default) picks a free port. */
  port?: number
  host?: string
  /** Simulated latency. Defaults to { firstToken: 30, perToken: 4 }; tests pass zeros. */
  latencyMs?: { firstToken: number; perToken: number }
  /** When set, every request must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string
}

export interface RequestRecord {
  method: string
  path: string
  /** The requested model, once the body was read and valid. */
  model: string | null
  stream: boolean
  /** HTTP status sent; 0 when the connection was dropped before any response. */
  status: number
  /** The socket was destroyed on purpose (before responding, or mid-stream). */
  dropped: boolean
  requestId: string
}

export interface LocalLlmStats {
  /** Every HTTP request received, whatever its outcome. */
  requests: number
  /** Chat completion requests per requested model (valid bodies only). */
  byModel: Record<string, number>
}

export interface LocalLlmServer {
  /** Base URL for the openai SDK, e.g. http://127.0.0.1:PORT/v1 */
  url: string
  port: number
  /** Live counters (mutated in place). */
  stats: LocalLlmStats
  /** Live log of every request, oldest first. */
  requests: RequestRecord[]
  /** Clears stats, the request log, the simulated prompt cache and fail-once keys. */
  reset(): void
  stop(): Promise<void>
}

const DEFAULT_LATENCY = { firstToken: 30, perToken: 4 }
const MAX_BODY_BYTES = 32 * 1024 * 1024
/** OpenAI caches prompt prefixes of at least 1024 tokens, in 128-token increments. */
const CACHE_MIN_TOKENS = 1024
const CACHE_INCREMENT = 128
const SYSTEM_FINGERPRINT = 'fp_costwise_local'

interface OpenAiError {
  message: string
  type: string
  param: string | null
  code: string | null
}

function errorTypeFor(status: number): { type: string; code: string | null } {
  if (status === 401) return { type: 'invalid_request_error', code: 'invalid_api_key' }
  if (status === 403) return { type: 'permission_error', code: null }
  if (status === 404) return { type: 'invalid_request_error', code: 'not_found' }
  if (status === 429) return { type: 'requests', code: 'rate_limit_exceeded' }
  if (status >= 500) return { type: 'server_error', code: null }
  return { type: 'invalid_request_error', code: null }
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve()
}

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge()
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** Writes and resolves once the data has been handed to the socket. */
function write(res: ServerResponse, data: string): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve()
    res.write(data, () => resolve())
  })
}

function modelObject(m: LocalModel) {
  return { id: m.id, object: 'model' as const, created: m.created, owned_by: m.ownedBy }
}

export async function startLocalLlm(options: LocalLlmOptions = {}): Promise<LocalLlmServer> {
  const latency = options.latencyMs ?? DEFAULT_LATENCY
  const host = options.host ?? '127.0.0.1'
  const counter: TokenCounter = await loadTokenCounter()

  const stats: LocalLlmStats = { requests: 0, byModel: {} }
  const requests: RequestRecord[] = []
  const cachedPrefixes = new Set<string>()
  const failOnceSeen = new Set<string>()

  function sendJson(
    res: ServerResponse,
    record: RequestRecord,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) {
    const payload = JSON.stringify(body)
    record.status = status
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(payload),
      ...headers,
    })
    res.end(payload)
  }

  function sendError(
    res: ServerResponse,
    record: RequestRecord,
    status: number,
    error: Partial<OpenAiError> & { message: string },
    headers?: Record<string, string>,
  ) {
    const defaults = errorTypeFor(status)
    const body: OpenAiError = {
      message: error.message,
      type: error.type ?? defaults.type,
      param: error.param ?? null,
      code: error.code === undefined ? defaults.code : error.code,
    }
    sendJson(res, record, status, { error: body }, headers)
  }

  function drop(req: IncomingMessage, record: RequestRecord) {
    record.dropped = true
    req.socket.destroy()
  }

  /** Prompt caching: the longest message-boundary prefix (≥ 1024 tokens) seen before by this instance. */
  function cachedTokensFor(
    model: string,
    messages: readonly CountableMessage[],
    perMessage: readonly number[],
  ): number {
    let hash = createHash('sha256').update(model).digest('hex')
    let prefixTokens = 0
    let cached = 0
    const keys: string[] = []
    messages.forEach((m, i) => {
      hash = createHash('sha256')
        .update(hash)
        .update(JSON.stringify([m.role, m.name ?? null, m.text]))
        .digest('hex')
      prefixTokens += perMessage[i] ?? 0
      if (prefixTokens < CACHE_MIN_TOKENS) return
      if (cachedPrefixes.has(hash)) cached = Math.floor(prefixTokens / CACHE_INCREMENT) * CACHE_INCREMENT
      keys.push(hash)
    })
    for (const key of keys) cachedPrefixes.add(key)
    return cached
  }

  async function chatCompletions(req: IncomingMessage, res: ServerResponse, record: RequestRecord) {
    let raw: string
    try {
      raw = await readBody(req)
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        return sendError(res, record, 413, { message: `Request body is larger than ${MAX_BODY_BYTES} bytes.` })
      }
      throw error
    }
    let json: unknown
    try {
      json = JSON.parse(raw)
    } catch {
      return sendError(res, record, 400, {
        message:
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
      })
    }
    const parsed = chatCompletionBody.safeParse(json)
    if (!parsed.success) {
      const problem = describeProblem(parsed.error, json)
      return sendError(res, record, 400, problem)
    }
    const body: ChatCompletionBody = parsed.data
    const stream = body.stream === true
    record.model = body.model
    record.stream = stream
    stats.byModel[body.model] = (Object.hasOwn(stats.byModel, body.model) ? (stats.byModel[body.model] ?? 0) : 0) + 1

    const model = findLocalModel(body.model)
    if (!model) {
      return sendError(res, record, 404, {
        message: `The model \`${body.model}\` does not exist or you do not have access to it.`,
        param: 'model',
        code: 'model_not_found',
      })
    }

    const messages: CountableMessage[] = body.messages.map((m) => ({
      role: m.role,
      text: messageText(m),
      name: m.name,
    }))
    const triggers = parseTriggers(messages.map((m) => m.text))
    if (triggers.failOnceKey !== undefined && !failOnceSeen.has(triggers.failOnceKey)) {
      failOnceSeen.add(triggers.failOnceKey)
      return drop(req, record)
    }
    if (triggers.failStatus !== undefined) {
      const status = triggers.failStatus
      return sendError(
        res,
        record,
        status,
        { message: `Injected failure: [[fail:${status}]] (costwise local LLM).` },
        status === 429 ? { 'retry-after': '0' } : {},
      )
    }
    if (triggers.dropAfter !== undefined && !stream) return drop(req, record)

    if (model.reasoningTokens && body.max_tokens != null) {
      return sendError(res, record, 400, {
        message:
          "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
        param: 'max_tokens',
        code: 'unsupported_parameter',
      })
    }
    const maxTokens = body.max_completion_tokens ?? body.max_tokens ?? undefined
    const limitParam = body.max_completion_tokens != null ? 'max_completion_tokens' : 'max_tokens'
    if (maxTokens !== undefined && maxTokens > model.maxOutputTokens) {
      return sendError(res, record, 400, {
        message: `${limitParam} is too large: ${maxTokens}. This model supports at most ${model.maxOutputTokens} completion tokens, whereas you provided ${maxTokens}.`,
        param: limitParam,
        code: 'invalid_value',
      })
    }

    let perMessage: number[]
    try {
      perMessage = counter.countMessages(messages)
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'INPUT_TOO_LARGE')) throw error
      return sendError(res, record, 400, {
        message: `This model's maximum context length is ${model.contextWindow} tokens, and your messages are far longer: ${error.message}`,
        param: 'messages',
        code: 'context_length_exceeded',
      })
    }
    const promptTokens = perMessage.reduce((a, b) => a + b, 0) + REPLY_PRIMING_TOKENS
    if (promptTokens > model.contextWindow) {
      return sendError(res, record, 400, {
        message: `This model's maximum context length is ${model.contextWindow} tokens. However, your messages resulted in ${promptTokens} tokens. Please reduce the length of the messages.`,
        param: 'messages',
        code: 'context_length_exceeded',
      })
    }
    const cachedTokens = cachedTokensFor(model.id, messages, perMessage)
    const answer = generateAnswer({ model, messages, maxTokens, counter })
    const completionTokens = answer.contentTokens + answer.reasoningTokens
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: cachedTokens, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: answer.reasoningTokens,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    }
    const id = `chatcmpl-${randomBytes(12).toString('hex')}`
    const created = Math.floor(Date.now() / 1000)
    const reasoningDelay = Math.round((latency.perToken * answer.reasoningTokens) / 4)

    if (!stream) {
      await sleep(latency.firstToken + reasoningDelay + latency.perToken * answer.pieces.length)
      if (res.destroyed) return
      return sendJson(res, record, 200, {
        id,
        object: 'chat.completion',
        created,
        model: model.id,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: answer.text, refusal: null, annotations: [] },
            logprobs: null,
            finish_reason: answer.finishReason,
          },
        ],
        usage,
        service_tier: 'default',
        system_fingerprint: SYSTEM_FINGERPRINT,
      })
    }

    await streamAnswer(req, res, record, {
      id,
      created,
      model,
      answer,
      usage,
      includeUsage: body.stream_options?.include_usage === true,
      dropAfter: triggers.dropAfter,
      reasoningDelay,
    })
  }

  async function streamAnswer(
    req: IncomingMessage,
    res: ServerResponse,
    record: RequestRecord,
    s: {
      id: string
      created: number
      model: LocalModel
      answer: Answer
      usage: object
      includeUsage: boolean
      dropAfter: number | undefined
      reasoningDelay: number
    },
  ) {
    const chunk = (choices: unknown[], usage: object | null = null) =>
      `data: ${JSON.stringify({
        id: s.id,
        object: 'chat.completion.chunk',
        created: s.created,
        model: s.model.id,
        service_tier: 'default',
        system_fingerprint: SYSTEM_FINGERPRINT,
        choices,
        ...(s.includeUsage ? { usage } : {}),
      })}\n\n`
    const delta = (d: object, finishReason: string | null = null) => [
      { index: 0, delta: d, logprobs: null, finish_reason: finishReason },
    ]

    await sleep(latency.firstToken + s.reasoningDelay)
    if (res.destroyed) return
    record.status = 200
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    })
    await write(res, chunk(delta({ role: 'assistant', content: '', refusal: null })))
    let sent = 0
    for (const piece of s.answer.pieces) {
      if (s.dropAfter !== undefined && sent >= s.dropAfter) break
      await sleep(latency.perToken)
      if (res.destroyed) return
      await write(res, chunk(delta({ content: piece })))
      sent++
    }
    if (s.dropAfter !== undefined) return drop(req, record)
    await write(res, chunk(delta({}, s.answer.finishReason)))
    if (s.includeUsage) await write(res, chunk([], s.usage))
    res.end('data: [DONE]\n\n')
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const requestId = `req_${randomBytes(16).toString('hex')}`
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    const method = req.method ?? 'GET'
    const record: RequestRecord = { method, path, model: null, stream: false, status: 0, dropped: false, requestId }
    requests.push(record)
    stats.requests++
    res.setHeader('x-request-id', requestId)

    if (options.apiKey !== undefined) {
      const auth = req.headers.authorization ?? ''
      const given = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : ''
      if (given !== options.apiKey) {
        const shown = given ? `${given.slice(0, 3)}…${given.slice(-4)}` : ''
        return sendError(res, record, 401, {
          message: given
            ? `Incorrect API key provided: ${shown}. Use the key this local server was started with.`
            : "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
          code: given ? 'invalid_api_key' : null,
        })
      }
    }

    if (method === 'POST' && path === '/v1/chat/completions') return chatCompletions(req, res, record)
    if (method === 'GET' && path === '/v1/models') {
      return sendJson(res, record, 200, { object: 'list', data: LOCAL_MODELS.map(modelObject) })
    }
    if (method === 'GET' && path.startsWith('/v1/models/')) {
      const id = decodeURIComponent(path.slice('/v1/models/'.length))
      const model = findLocalModel(id)
      if (model) return sendJson(res, record, 200, modelObject(model))
      return sendError(res, record, 404, {
        message: `The model '${id}' does not exist`,
        param: 'model',
        code: 'model_not_found',
      })
    }
    return sendError(res, record, 404, { message: `Invalid URL (${method} ${path})`, code: null })
  }

  const server = createServer((req, res) => {
    req.on('error', () => {})
    handle(req, res).catch((error: unknown) => {
      const record = requests.at(-1)
      if (res.headersSent || !record) {
        res.destroy()
        return
      }
      sendError(res, record, 500, {
        message: `Local LLM server error: ${error instanceof Error ? error.message : String(error)}`,
      })
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  const urlHost = host.includes(':') ? `[${host}]` : host

  return {
    url: `http://${urlHost}:${port}/v1`,
    port,
    stats,
    requests,
    reset() {
      stats.requests = 0
      stats.byModel = {}
      requests.length = 0
      cachedPrefixes.clear()
      failOnceSeen.clear()
    },
    stop() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      })
    },
  }
}
