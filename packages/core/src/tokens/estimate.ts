import { z } from 'zod'
import { AppError, appErrorFromZod } from '../errors'
import { resolveModel } from '../pricing/resolve'
import type { Provider } from '../pricing/types'
import { loadEncoding, loadedTokenizer, type EncodingName } from './encodings'

/** Inputs above this many UTF-8 bytes are refused (INPUT_TOO_LARGE) rather than counted. */
export const MAX_INPUT_BYTES = 2 * 1024 * 1024

/**
 * Providers whose tokenizers are not public are estimated from the o200k count times a factor
 * (`ceil(count × factor)`). The factors are deliberately on the safe side for budgets: Claude's
 * tokenizer produces roughly 10 % more tokens than o200k on English and code; Gemini's and
 * DeepSeek's are close to o200k; Mistral's (Tekken) about 10 % more. These are estimates
 * (`exact: false`); the provider's reported usage is what gets billed.
 */
export const PROVIDER_TOKEN_FACTORS: Readonly<Record<Provider, number>> = {
  openai: 1,
  local: 1,
  anthropic: 1.1,
  google: 1,
  mistral: 1.1,
  deepseek: 1,
}

export interface TokenEstimate {
  tokens: number
  /** True when counted with the model's own tokenizer; false for a factor-based estimate. */
  exact: boolean
  /** The encoding that did the counting. */
  encoding: EncodingName
  /** Canonical model id, or null for an unknown model (counted with o200k, not exact). */
  model: string | null
}

interface Plan {
  encoding: EncodingName
  exact: boolean
  factor: number
  model: string | null
}

/** How a model's tokens are counted: its own encoding (exact), or o200k × the provider factor. */
export function tokenizerPlan(model: string): Plan {
  const entry = resolveModel(model)
  if (!entry) return { encoding: 'o200k_base', exact: false, factor: 1, model: null }
  if (entry.encoding) return { encoding: entry.encoding, exact: true, factor: 1, model: entry.id }
  return { encoding: 'o200k_base', exact: false, factor: PROVIDER_TOKEN_FACTORS[entry.provider], model: entry.id }
}

function utf8Length(text: string): number {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) bytes += 1
    else if (c < 0x800) bytes += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4
      i++
    } else bytes += 3
  }
  return bytes
}

/** Refuses non-strings and inputs over {@link MAX_INPUT_BYTES}. */
export function checkTextInput(text: unknown, field = 'text'): asserts text is string {
  if (typeof text !== 'string') {
    throw new AppError('BAD_INPUT', `${field} must be a string.`, { field })
  }
  // Cheap test first: a string of n UTF-16 units is at most 3n bytes.
  if (text.length * 3 > MAX_INPUT_BYTES) {
    const bytes = utf8Length(text)
    if (bytes > MAX_INPUT_BYTES) {
      throw new AppError(
        'INPUT_TOO_LARGE',
        `${field} is ${bytes} bytes; token estimates accept at most ${MAX_INPUT_BYTES} bytes (2 MB). Split the input or count it in parts.`,
        { field, details: { bytes, maxBytes: MAX_INPUT_BYTES } },
      )
    }
  }
}

function scale(count: number, factor: number): number {
  return factor === 1 ? count : Math.ceil(count * factor)
}

/**
 * Token count of `text` for `model`, synchronously. Needs the model's encoding loaded first
 * (`await loadEncoding(...)`, or any earlier async estimate); otherwise throws telling you so.
 */
export function estimateTokensSync(text: string, model: string): TokenEstimate {
  checkTextInput(text)
  const plan = tokenizerPlan(model)
  const count = loadedTokenizer(plan.encoding).count(text)
  return { tokens: scale(count, plan.factor), exact: plan.exact, encoding: plan.encoding, model: plan.model }
}

/**
 * Token count of `text` for `model`. OpenAI models (and the local demo models) are counted exactly
 * with their encoding; other providers are estimated (see {@link PROVIDER_TOKEN_FACTORS}). Loads
 * the encoding on first use.
 */
export async function estimateTokens(text: string, model: string): Promise<TokenEstimate> {
  checkTextInput(text)
  await loadEncoding(tokenizerPlan(model).encoding)
  return estimateTokensSync(text, model)
}

export const chatMessageSchema = z.object({
  role: z.string().min(1, 'must name the role (system, user, assistant, tool…)'),
  content: z.string().nullable(),
  name: z.string().min(1).optional(),
})
export type ChatMessage = z.input<typeof chatMessageSchema>

/**
 * Chat framing from OpenAI's cookbook ("How to count tokens with tiktoken", models from
 * gpt-3.5-turbo-0613 on, gpt-4, gpt-4o): every message costs 3 tokens on top of the tokens of its
 * role, content and name; a name costs 1 more; every reply is primed with 3 tokens
 * (`<|start|>assistant<|message|>`). Newer OpenAI models (gpt-4.1, o-series, gpt-5) are counted the
 * same way — OpenAI publishes no other rule for them.
 */
export const CHAT_TOKENS_PER_MESSAGE = 3
export const CHAT_TOKENS_PER_NAME = 1
export const CHAT_REPLY_PRIMING_TOKENS = 3

function parseMessages(messages: unknown): ChatMessage[] {
  const parsed = z.array(chatMessageSchema).safeParse(messages)
  if (!parsed.success) throw appErrorFromZod('BAD_INPUT', parsed.error, { prefix: 'messages' })
  return parsed.data
}

/** Synchronous {@link estimateChatTokens}; the encoding must be loaded. */
export function estimateChatTokensSync(messages: readonly ChatMessage[], model: string): TokenEstimate {
  const list = parseMessages(messages)
  const plan = tokenizerPlan(model)
  const tokenizer = loadedTokenizer(plan.encoding)
  const chars = list.reduce((sum, m) => sum + (m.content?.length ?? 0), 0)
  if (chars * 3 > MAX_INPUT_BYTES) checkTextInput(list.map((m) => m.content ?? '').join(''), 'messages')
  let total = CHAT_REPLY_PRIMING_TOKENS
  for (const message of list) {
    total += CHAT_TOKENS_PER_MESSAGE + tokenizer.count(message.role) + tokenizer.count(message.content ?? '')
    if (message.name !== undefined) total += CHAT_TOKENS_PER_NAME + tokenizer.count(message.name)
  }
  return { tokens: scale(total, plan.factor), exact: plan.exact, encoding: plan.encoding, model: plan.model }
}

/**
 * Prompt tokens of a chat request for `model`, framing included (see {@link CHAT_TOKENS_PER_MESSAGE}).
 * Exact for OpenAI models; for other providers the same count times the provider factor.
 */
export async function estimateChatTokens(messages: readonly ChatMessage[], model: string): Promise<TokenEstimate> {
  await loadEncoding(tokenizerPlan(model).encoding)
  return estimateChatTokensSync(messages, model)
}
