import { describe, expect, it } from 'vitest'
import { AppError } from '../errors'
import { parseUsage, usageFromAnthropic, usageFromGemini, usageFromOpenAI } from './usage'

describe('parseUsage', () => {
  it('fills optional counts with zero', () => {
    expect(parseUsage({ inputTokens: 10, outputTokens: 5 })).toEqual({
      inputTokens: 10,
      outputTokens: 5,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
      audioInputTokens: 0,
      imageInputTokens: 0,
      toolCalls: {},
    })
  })

  it('explains the convention when cached tokens exceed the prompt', () => {
    try {
      parseUsage({ inputTokens: 100, outputTokens: 0, cachedInputTokens: 500 })
      throw new Error('expected INVALID_USAGE')
    } catch (error) {
      expect(error).toBeInstanceOf(AppError)
      expect((error as AppError).code).toBe('INVALID_USAGE')
      expect((error as AppError).field).toBe('usage.cachedInputTokens')
      expect((error as AppError).message).toMatch(/whole prompt, all of these included/)
      expect((error as AppError).details).toMatchObject({ inputTokens: 100, cachedInputTokens: 500 })
    }
  })
})

describe('provider usage adapters', () => {
  it('OpenAI Chat Completions', () => {
    expect(
      usageFromOpenAI({
        prompt_tokens: 1200,
        completion_tokens: 800,
        prompt_tokens_details: { cached_tokens: 1024 },
        completion_tokens_details: { reasoning_tokens: 640 },
      }),
    ).toEqual({
      inputTokens: 1200,
      outputTokens: 800,
      cachedInputTokens: 1024,
      cacheWriteTokens: 0,
      reasoningTokens: 640,
      audioInputTokens: 0,
      imageInputTokens: 0,
      toolCalls: {},
    })
  })

  it('OpenAI Responses API', () => {
    expect(
      usageFromOpenAI({
        input_tokens: 50,
        output_tokens: 20,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens_details: { reasoning_tokens: 12 },
      }),
    ).toMatchObject({ inputTokens: 50, outputTokens: 20, reasoningTokens: 12 })
  })

  it('DeepSeek and Mistral (OpenAI-shaped, fewer details)', () => {
    expect(usageFromOpenAI({ prompt_tokens: 100, completion_tokens: 10, prompt_cache_hit_tokens: 64 })).toMatchObject({
      inputTokens: 100,
      cachedInputTokens: 64,
    })
    expect(usageFromOpenAI({ prompt_tokens: 7, completion_tokens: 3, prompt_tokens_details: null })).toMatchObject({
      inputTokens: 7,
      outputTokens: 3,
      cachedInputTokens: 0,
    })
    expect(usageFromOpenAI({})).toMatchObject({ inputTokens: 0, outputTokens: 0 })
  })

  it('Anthropic input_tokens excludes cache reads and writes, so they are added back', () => {
    expect(
      usageFromAnthropic({
        input_tokens: 10_000,
        output_tokens: 2_000,
        cache_read_input_tokens: 30_000,
        cache_creation_input_tokens: 10_000,
      }),
    ).toEqual({
      inputTokens: 50_000,
      outputTokens: 2_000,
      cachedInputTokens: 30_000,
      cacheWriteTokens: 10_000,
      reasoningTokens: 0,
      audioInputTokens: 0,
      imageInputTokens: 0,
      toolCalls: {},
    })
    expect(usageFromAnthropic({ input_tokens: 5, output_tokens: 1, cache_read_input_tokens: null })).toMatchObject({
      inputTokens: 5,
    })
  })

  it('Gemini candidatesTokenCount excludes thinking, so thoughts are added to output', () => {
    expect(
      usageFromGemini({
        promptTokenCount: 1000,
        candidatesTokenCount: 200,
        cachedContentTokenCount: 600,
        thoughtsTokenCount: 300,
      }),
    ).toEqual({
      inputTokens: 1000,
      outputTokens: 500,
      cachedInputTokens: 600,
      cacheWriteTokens: 0,
      reasoningTokens: 300,
      audioInputTokens: 0,
      imageInputTokens: 0,
      toolCalls: {},
    })
    expect(usageFromGemini({ promptTokenCount: 3 })).toMatchObject({ inputTokens: 3, outputTokens: 0 })
  })

  it('audio prompt tokens and server-side web searches are read where providers report them', () => {
    expect(
      usageFromOpenAI({ prompt_tokens: 900, completion_tokens: 10, prompt_tokens_details: { audio_tokens: 400 } }),
    ).toMatchObject({
      audioInputTokens: 400,
    })
    expect(
      usageFromGemini({
        promptTokenCount: 1000,
        promptTokensDetails: [
          { modality: 'AUDIO', tokenCount: 700 },
          { modality: 'TEXT', tokenCount: 300 },
        ],
      }),
    ).toMatchObject({ inputTokens: 1000, audioInputTokens: 700 })
    expect(
      usageFromAnthropic({ input_tokens: 10, output_tokens: 1, server_tool_use: { web_search_requests: 3 } }).toolCalls,
    ).toEqual({ web_search: 3 })
  })

  it('audio and image tokens are part of the prompt', () => {
    expect(() => parseUsage({ inputTokens: 10, outputTokens: 0, audioInputTokens: 6, imageInputTokens: 5 })).toThrow(
      /more than inputTokens/,
    )
    expect(() => parseUsage({ inputTokens: 10, outputTokens: 0, toolCalls: { web_search: -1 } })).toThrow(AppError)
    expect(() => parseUsage({ inputTokens: 10, outputTokens: 0, toolCalls: { teleport: 1 } })).toThrow(AppError)
    expect(
      parseUsage({ inputTokens: 10, outputTokens: 0, toolCalls: { web_search: 0, file_search: 2 } }).toolCalls,
    ).toEqual({ file_search: 2 })
  })

  it('adapters still validate', () => {
    expect(() => usageFromAnthropic({ input_tokens: -1, output_tokens: 0 })).toThrow(AppError)
  })
})
