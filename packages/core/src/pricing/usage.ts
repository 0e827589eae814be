import { z } from 'zod'
import { AppError, appErrorFromZod } from '../errors'
import { PER_CALL_KINDS, perCallKindSchema, type PerCallKind } from './types'

const tokenCount = z
  .number({ error: 'must be a number of tokens' })
  .int('must be a whole number of tokens')
  .nonnegative('must not be negative')
  .max(Number.MAX_SAFE_INTEGER, 'is too large')

const callCount = z
  .number({ error: 'must be a number of calls' })
  .int('must be a whole number of calls')
  .nonnegative('must not be negative')
  .max(1_000_000, 'is more calls than one request makes')

/** Per-call tool use of one request: `{ web_search: 2 }`. */
export const toolCallsSchema = z.partialRecord(perCallKindSchema, callCount)
export type ToolCalls = z.infer<typeof toolCallsSchema>

/**
 * Token usage of one model call, in Costwise's convention (OpenAI's):
 *
 * - `inputTokens` is the WHOLE prompt, cached, audio and image tokens included. The uncached text part is
 *   `inputTokens − cachedInputTokens − cacheWriteTokens − audioInputTokens − imageInputTokens`, and must not be
 *   negative.
 * - `cachedInputTokens` are prompt tokens read from the provider's cache; `cacheWriteTokens` are
 *   prompt tokens written to it (Anthropic). Both are part of `inputTokens`.
 * - `audioInputTokens` and `imageInputTokens` are the (uncached) audio and image parts of the prompt, for models
 *   that price them apart from text.
 * - `outputTokens` is the WHOLE completion, reasoning included; `reasoningTokens` is the part of it
 *   spent reasoning.
 * - `toolCalls` counts tools billed per call (`web_search`, `file_search`, `code_interpreter`).
 *
 * Providers that count differently are converted at the edge: {@link usageFromAnthropic},
 * {@link usageFromGemini}, {@link usageFromOpenAI}.
 */
export const usageSchema = z.object({
  inputTokens: tokenCount,
  outputTokens: tokenCount,
  cachedInputTokens: tokenCount.optional(),
  cacheWriteTokens: tokenCount.optional(),
  reasoningTokens: tokenCount.optional(),
  audioInputTokens: tokenCount.optional(),
  imageInputTokens: tokenCount.optional(),
  toolCalls: toolCallsSchema.optional(),
})
export type Usage = z.input<typeof usageSchema>
export type NormalizedUsage = Required<Omit<Usage, 'toolCalls'>> & { toolCalls: Partial<Record<PerCallKind, number>> }

/**
 * Validates usage and fills the optional counts with 0. Throws `INVALID_USAGE` naming the field
 * (`usage.cachedInputTokens`) with a message that says what is wrong.
 */
export function parseUsage(usage: unknown): NormalizedUsage {
  const parsed = usageSchema.safeParse(usage)
  if (!parsed.success) {
    throw appErrorFromZod('INVALID_USAGE', parsed.error, {
      prefix: 'usage',
      hint: 'Token counts are non-negative whole numbers; inputTokens and outputTokens are required',
    })
  }
  const u = parsed.data
  const toolCalls: Partial<Record<PerCallKind, number>> = {}
  for (const kind of PER_CALL_KINDS) {
    const count = u.toolCalls?.[kind]
    if (count) toolCalls[kind] = count
  }
  const result: NormalizedUsage = {
    inputTokens: u.inputTokens,
    outputTokens: u.outputTokens,
    cachedInputTokens: u.cachedInputTokens ?? 0,
    cacheWriteTokens: u.cacheWriteTokens ?? 0,
    reasoningTokens: u.reasoningTokens ?? 0,
    audioInputTokens: u.audioInputTokens ?? 0,
    imageInputTokens: u.imageInputTokens ?? 0,
    toolCalls,
  }
  const parts = result.cachedInputTokens + result.cacheWriteTokens + result.audioInputTokens + result.imageInputTokens
  if (parts > result.inputTokens) {
    const field =
      result.cachedInputTokens > result.inputTokens
        ? 'cachedInputTokens'
        : result.audioInputTokens + result.imageInputTokens > 0
          ? result.audioInputTokens > 0
            ? 'audioInputTokens'
            : 'imageInputTokens'
          : 'cacheWriteTokens'
    throw new AppError(
      'INVALID_USAGE',
      `usage.${field}: cached (${result.cachedInputTokens}), cache-write (${result.cacheWriteTokens}), audio (${result.audioInputTokens}) and image (${result.imageInputTokens}) tokens add up to more than inputTokens (${result.inputTokens}). inputTokens is the whole prompt, all of these included — for Anthropic usage add cache reads and writes to input_tokens (usageFromAnthropic does).`,
      { field: `usage.${field}`, details: { ...result, toolCalls: undefined } },
    )
  }
  if (result.reasoningTokens > result.outputTokens) {
    throw new AppError(
      'INVALID_USAGE',
      `usage.reasoningTokens: ${result.reasoningTokens} reasoning tokens exceed outputTokens (${result.outputTokens}). outputTokens is the whole completion, reasoning included — for Gemini add thoughtsTokenCount to candidatesTokenCount (usageFromGemini does).`,
      { field: 'usage.reasoningTokens', details: { ...result, toolCalls: undefined } },
    )
  }
  return result
}

const n = (v: number | null | undefined): number => v ?? 0

/**
 * OpenAI Chat Completions (`prompt_tokens`, `completion_tokens`, `*_details`) or Responses API
 * (`input_tokens`, `output_tokens`, `*_details`) usage. Also reads DeepSeek's
 * `prompt_cache_hit_tokens`. Mistral reports the same shape without details.
 */
export function usageFromOpenAI(usage: {
  prompt_tokens?: number | null
  completion_tokens?: number | null
  input_tokens?: number | null
  output_tokens?: number | null
  prompt_tokens_details?: { cached_tokens?: number | null; audio_tokens?: number | null } | null
  input_tokens_details?: { cached_tokens?: number | null; audio_tokens?: number | null } | null
  completion_tokens_details?: { reasoning_tokens?: number | null } | null
  output_tokens_details?: { reasoning_tokens?: number | null } | null
  prompt_cache_hit_tokens?: number | null
}): NormalizedUsage {
  return parseUsage({
    inputTokens: n(usage.prompt_tokens ?? usage.input_tokens),
    outputTokens: n(usage.completion_tokens ?? usage.output_tokens),
    cachedInputTokens: n(
      usage.prompt_tokens_details?.cached_tokens ??
        usage.input_tokens_details?.cached_tokens ??
        usage.prompt_cache_hit_tokens,
    ),
    audioInputTokens: n(usage.prompt_tokens_details?.audio_tokens ?? usage.input_tokens_details?.audio_tokens),
    reasoningTokens: n(
      usage.completion_tokens_details?.reasoning_tokens ?? usage.output_tokens_details?.reasoning_tokens,
    ),
  })
}

/**
 * Anthropic Messages usage. Anthropic's `input_tokens` EXCLUDES cache reads and writes, so they are
 * added back to get the whole prompt. Server tool use (`server_tool_use.web_search_requests`) is counted as
 * per-call web searches.
 */
export function usageFromAnthropic(usage: {
  input_tokens: number
  output_tokens: number
  cache_read_input_tokens?: number | null
  cache_creation_input_tokens?: number | null
  server_tool_use?: { web_search_requests?: number | null } | null
}): NormalizedUsage {
  const cacheRead = n(usage.cache_read_input_tokens)
  const cacheWrite = n(usage.cache_creation_input_tokens)
  const searches = n(usage.server_tool_use?.web_search_requests)
  return parseUsage({
    inputTokens: usage.input_tokens + cacheRead + cacheWrite,
    outputTokens: usage.output_tokens,
    cachedInputTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    ...(searches ? { toolCalls: { web_search: searches } } : {}),
  })
}

/**
 * Gemini `usageMetadata`. `promptTokenCount` includes cached content; `candidatesTokenCount`
 * EXCLUDES thinking, which Gemini reports as `thoughtsTokenCount` and bills as output. Audio prompt tokens
 * (from `promptTokensDetails`, modality AUDIO) are priced apart on Flash models.
 */
export function usageFromGemini(usage: {
  promptTokenCount?: number | null
  candidatesTokenCount?: number | null
  cachedContentTokenCount?: number | null
  thoughtsTokenCount?: number | null
  promptTokensDetails?: { modality?: string | null; tokenCount?: number | null }[] | null
}): NormalizedUsage {
  const thoughts = n(usage.thoughtsTokenCount)
  const audio = (usage.promptTokensDetails ?? [])
    .filter((d) => d.modality === 'AUDIO')
    .reduce((s, d) => s + n(d.tokenCount), 0)
  return parseUsage({
    inputTokens: n(usage.promptTokenCount),
    outputTokens: n(usage.candidatesTokenCount) + thoughts,
    cachedInputTokens: n(usage.cachedContentTokenCount),
    audioInputTokens: audio,
    reasoningTokens: thoughts,
  })
}
