// Client side of POST /api/lab/run: the answer streams as NDJSON events (see packages/api/src/gateway/http.ts).

export interface RunEstimate {
  inputTokens: number
  maxOutputTokens: number
  estimatedCostUsd: string
}

export interface RunUsage {
  inputTokens: number
  outputTokens: number
  cachedInputTokens: number
  cacheWriteTokens: number
  reasoningTokens: number
  costUsd: string
  breakdown: { inputUsd: string; cachedInputUsd: string; outputUsd: string; reasoningUsd: string }
}

export interface RunResult {
  status: 'ok' | 'error'
  callId: string
  model: string
  finishReason: string | null
  estimate: RunEstimate
  usage: RunUsage
  usageLogId: string | null
  runId: string | null
  latencyMs: number
  timeToFirstTokenMs: number | null
  error: { code: string; message: string; providerStatus: number | null } | null
}

export type RunEvent =
  | { type: 'start'; estimate: RunEstimate }
  | { type: 'delta'; text: string }
  | { type: 'done'; result: RunResult }
  | { type: 'error'; code: string; message: string }

/** A refusal before the run started (bad input, a hard budget), as the server's JSON error. */
export interface RunRefusal {
  code: string
  message: string
  field: string | null
  budget?: { id: string; name: string; limitUsd: string; spentUsd: string; reservedUsd: string; period: string }
  estimatedCostUsd?: string
}

export interface RunRequest {
  promptId?: string
  model: string
  system: string
  user: string
  variables: Record<string, string>
  maxOutputTokens: number
  idempotencyKey?: string
}

/** Splits a byte stream into parsed NDJSON lines. */
export async function* readNdjson<T>(body: ReadableStream<Uint8Array>): AsyncGenerator<T> {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  for (;;) {
    const { value, done } = await reader.read()
    if (value) buffer += decoder.decode(value, { stream: true })
    let newline = buffer.indexOf('\n')
    while (newline >= 0) {
      const line = buffer.slice(0, newline).trim()
      buffer = buffer.slice(newline + 1)
      if (line) yield JSON.parse(line) as T
      newline = buffer.indexOf('\n')
    }
    if (done) break
  }
  if (buffer.trim()) yield JSON.parse(buffer) as T
}

/** Starts a run; resolves with the refusal, or streams events to `onEvent` until the run ends. */
export async function startRun(
  request: RunRequest,
  onEvent: (event: RunEvent) => void,
  signal?: AbortSignal,
): Promise<RunRefusal | null> {
  const response = await fetch('/api/lab/run', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
    signal,
  })
  if (!response.ok || !response.body) {
    const body = (await response.json().catch(() => null)) as RunRefusal | null
    return body ?? { code: 'HTTP_ERROR', message: `The run failed (HTTP ${response.status}); try again.`, field: null }
  }
  for await (const event of readNdjson<RunEvent>(response.body)) onEvent(event)
  return null
}
