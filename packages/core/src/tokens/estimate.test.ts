import { countTokens as gptCount, encode as gptEncode } from 'gpt-tokenizer/encoding/o200k_base'
import { encode as gptEncodeCl100k } from 'gpt-tokenizer/encoding/cl100k_base'
import { encodeChat as encodeChatGpt4 } from 'gpt-tokenizer/model/gpt-4'
import { encodeChat as encodeChatGpt4o } from 'gpt-tokenizer/model/gpt-4o'
import { describe, expect, it } from 'vitest'
import { AppError } from '../errors'
import {
  CHAT_REPLY_PRIMING_TOKENS,
  CHAT_TOKENS_PER_MESSAGE,
  CHAT_TOKENS_PER_NAME,
  MAX_INPUT_BYTES,
  PROVIDER_TOKEN_FACTORS,
  checkTextInput,
  estimateChatTokens,
  estimateChatTokensSync,
  estimateTokens,
  estimateTokensSync,
  tokenizerPlan,
  type ChatMessage,
} from './estimate'
import { TOKENIZER_SAMPLES, mixedCorpus } from './testing/corpus'

const ordinary = { disallowedSpecial: new Set<string>() }

function appError(fn: () => unknown): AppError {
  try {
    fn()
  } catch (error) {
    if (error instanceof AppError) return error
    throw error
  }
  throw new Error('expected an AppError')
}

// Keep this first: nothing has loaded cl100k in this file yet.
describe('synchronous counting before the encoding is loaded', () => {
  it('says to load it first', () => {
    const error = appError(() => estimateTokensSync('hello', 'gpt-3.5-turbo'))
    expect(error.code).toBe('INTERNAL')
    expect(error.message).toMatch(/await loadEncoding\('cl100k_base'\)/)
  })
})

describe('estimateTokens', () => {
  it('known counts', async () => {
    expect(await estimateTokens('hello world', 'gpt-4o')).toEqual({
      tokens: 2,
      exact: true,
      encoding: 'o200k_base',
      model: 'gpt-4o',
    })
    expect(await estimateTokens('hello world', 'gpt-3.5-turbo')).toEqual({
      tokens: 2,
      exact: true,
      encoding: 'cl100k_base',
      model: 'gpt-3.5-turbo',
    })
    expect((await estimateTokens('', 'gpt-4o')).tokens).toBe(0)
  })

  it('equals gpt-tokenizer’s count for OpenAI models on varied text', async () => {
    for (const sample of [...TOKENIZER_SAMPLES, mixedCorpus(50_000, 9)]) {
      expect((await estimateTokens(sample, 'gpt-4o-2024-08-06')).tokens).toBe(gptEncode(sample, ordinary).length)
      expect((await estimateTokens(sample, 'gpt-4-0613')).tokens).toBe(gptEncodeCl100k(sample, ordinary).length)
    }
  })

  it('counts the demo models exactly with o200k', async () => {
    expect(await estimateTokens('hello world', 'costwise-demo')).toMatchObject({ tokens: 2, exact: true })
  })

  it('estimates other providers as o200k × the provider factor, marked inexact', async () => {
    const text = mixedCorpus(5_000, 4)
    const base = gptCount(text, ordinary)
    expect(await estimateTokens(text, 'claude-sonnet-4-5')).toEqual({
      tokens: Math.ceil(base * 1.1),
      exact: false,
      encoding: 'o200k_base',
      model: 'claude-sonnet-4-5',
    })
    expect((await estimateTokens(text, 'gemini-2.5-pro')).tokens).toBe(base)
    expect((await estimateTokens(text, 'mistral-large-2411')).tokens).toBe(Math.ceil(base * 1.1))
    expect((await estimateTokens(text, 'deepseek-chat')).tokens).toBe(base)
    expect(await estimateTokens(text, 'some-new-model')).toEqual({
      tokens: base,
      exact: false,
      encoding: 'o200k_base',
      model: null,
    })
    expect(PROVIDER_TOKEN_FACTORS.openai).toBe(1)
  })

  it('a 16 KB single word is counted exactly (guarded, no quadratic blow-up)', async () => {
    for (const word of [
      Array.from({ length: 16_384 }, (_, i) => String.fromCharCode(97 + ((i * 7) % 26))).join(''),
      'x'.repeat(16_384),
      '漢字仮名交じり文'.repeat(2_048),
      '=-'.repeat(8_192),
    ]) {
      const { tokens } = await estimateTokens(word, 'gpt-4o')
      expect(tokens).toBe(gptCount(word, ordinary))
      expect(tokens).toBeGreaterThanOrEqual(word.length / 128) // no o200k token is longer than 128 bytes
      expect(tokens).toBeLessThanOrEqual(new TextEncoder().encode(word).length) // at most one token per byte
    }
  })

  it('refuses inputs over 2 MB with INPUT_TOO_LARGE, counting UTF-8 bytes', async () => {
    const ascii = 'a '.repeat(MAX_INPUT_BYTES / 2 + 1)
    await expect(estimateTokens(ascii, 'gpt-4o')).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE', field: 'text' })
    const euros = '€'.repeat(700_000) // 2.1 MB in UTF-8, 0.7 M UTF-16 units
    const error = appError(() => checkTextInput(euros))
    expect(error.code).toBe('INPUT_TOO_LARGE')
    expect(error.status).toBe(413)
    expect(error.details).toEqual({ bytes: 2_100_000, maxBytes: MAX_INPUT_BYTES })
    expect(() => checkTextInput('😀'.repeat(600_000))).toThrow(/2400000 bytes/)
    expect(() => checkTextInput('é'.repeat(700_000))).not.toThrow() // 1.4 MB
    expect((await estimateTokens('a'.repeat(700_001), 'gpt-4o')).tokens).toBeGreaterThan(0)
  })

  it('refuses non-strings', async () => {
    await expect(estimateTokens(42 as unknown as string, 'gpt-4o')).rejects.toMatchObject({ code: 'BAD_INPUT' })
  })

  it('the sync variant works once the encoding is loaded', async () => {
    await estimateTokens('', 'gpt-4o')
    expect(estimateTokensSync('hello world', 'gpt-4o').tokens).toBe(2)
  })

  it('tokenizerPlan explains how a model is counted', () => {
    expect(tokenizerPlan('gpt-4')).toEqual({ encoding: 'cl100k_base', exact: true, factor: 1, model: 'gpt-4' })
    expect(tokenizerPlan('claude-3-haiku-20240307')).toEqual({
      encoding: 'o200k_base',
      exact: false,
      factor: 1.1,
      model: 'claude-3-haiku',
    })
  })
})

/** The OpenAI cookbook's example chat ("How to count tokens with tiktoken"). */
const COOKBOOK: ChatMessage[] = [
  {
    role: 'system',
    content: 'You are a helpful, pattern-following assistant that translates corporate jargon into plain English.',
  },
  { role: 'system', name: 'example_user', content: 'New synergies will help drive top-line growth.' },
  { role: 'system', name: 'example_assistant', content: 'Things working together will increase revenue.' },
  {
    role: 'system',
    name: 'example_user',
    content: "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage.",
  },
  {
    role: 'system',
    name: 'example_assistant',
    content: "Let's talk later when we're less busy about how to do better.",
  },
  { role: 'user', content: "This late pivot means we don't have time to boil the ocean for the client deliverable." },
]
const UNNAMED = COOKBOOK.map(({ role, content }) => ({ role, content: content ?? '' }))

/** The cookbook's num_tokens_from_messages, computed with gpt-tokenizer (not our code). */
function cookbookCount(messages: ChatMessage[], encode: (s: string) => number[]): number {
  let total = 3 // every reply is primed with <|start|>assistant<|message|>
  for (const m of messages) {
    total += 3 + encode(m.role).length + encode(m.content ?? '').length
    if (m.name !== undefined) total += 1 + encode(m.name).length
  }
  return total
}

describe('estimateChatTokens', () => {
  it('matches gpt-tokenizer’s encodeChat for gpt-4o and gpt-4 (messages without names)', async () => {
    expect((await estimateChatTokens(UNNAMED, 'gpt-4o')).tokens).toBe(
      encodeChatGpt4o(UNNAMED as never, 'gpt-4o').length,
    )
    expect((await estimateChatTokens(UNNAMED, 'gpt-4o-mini')).tokens).toBe(
      encodeChatGpt4o(UNNAMED as never, 'gpt-4o').length,
    )
    expect((await estimateChatTokens(UNNAMED, 'gpt-4')).tokens).toBe(encodeChatGpt4(UNNAMED as never, 'gpt-4').length)
  })

  it('follows the cookbook’s rules for named messages (3 per message, +1 per name, +3 priming)', async () => {
    const o200k = await estimateChatTokens(COOKBOOK, 'gpt-4o')
    expect(o200k).toMatchObject({ exact: true, encoding: 'o200k_base' })
    expect(o200k.tokens).toBe(cookbookCount(COOKBOOK, (s) => gptEncode(s, ordinary)))
    const cl100k = await estimateChatTokens(COOKBOOK, 'gpt-3.5-turbo')
    expect(cl100k.tokens).toBe(cookbookCount(COOKBOOK, (s) => gptEncodeCl100k(s, ordinary)))
    // Same encoding, same framing: gpt-3.5-turbo (0613+) and gpt-4 count alike.
    expect((await estimateChatTokens(COOKBOOK, 'gpt-4')).tokens).toBe(cl100k.tokens)
    expect([CHAT_TOKENS_PER_MESSAGE, CHAT_TOKENS_PER_NAME, CHAT_REPLY_PRIMING_TOKENS]).toEqual([3, 1, 3])
  })

  it('an empty chat is just the reply priming; null content counts as empty', async () => {
    expect((await estimateChatTokens([], 'gpt-4o')).tokens).toBe(3)
    expect((await estimateChatTokens([{ role: 'assistant', content: null }], 'gpt-4o')).tokens).toBe(3 + 3 + 1)
  })

  it('estimates other providers with the same framing × factor', async () => {
    const base = (await estimateChatTokens(COOKBOOK, 'gpt-4o')).tokens
    expect(await estimateChatTokens(COOKBOOK, 'claude-haiku-4-5')).toMatchObject({
      tokens: Math.ceil(base * 1.1),
      exact: false,
    })
    expect(estimateChatTokensSync(COOKBOOK, 'gemini-2.5-flash').tokens).toBe(base)
  })

  it('names the bad field of a malformed message', () => {
    const error = appError(() =>
      estimateChatTokensSync(
        [
          { role: 'user', content: 'hi' },
          { role: '', content: 'x' },
        ],
        'gpt-4o',
      ),
    )
    expect(error.code).toBe('BAD_INPUT')
    expect(error.field).toBe('messages.1.role')
    expect(appError(() => estimateChatTokensSync([{ role: 'user', content: 5 }] as never, 'gpt-4o')).field).toBe(
      'messages.0.content',
    )
  })

  it('refuses chats over 2 MB in total', () => {
    const half = 'a'.repeat(MAX_INPUT_BYTES / 2 + 10)
    const error = appError(() =>
      estimateChatTokensSync(
        [
          { role: 'user', content: half },
          { role: 'user', content: half },
        ],
        'gpt-4o',
      ),
    )
    expect(error.code).toBe('INPUT_TOO_LARGE')
    expect(error.field).toBe('messages')
  })
})
