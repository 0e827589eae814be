import { describe, expect, it } from 'vitest'
import { MODELS } from './catalog'
import { catalogPriceAt, getModel, listModels, normalizeModelName, resolveModel } from './resolve'

describe('resolveModel', () => {
  it.each([
    // dated snapshots and channels
    ['gpt-4o-2024-08-06', 'gpt-4o'],
    ['gpt-4o-2024-11-20', 'gpt-4o'],
    ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
    ['gpt-4.1-nano-2025-04-14', 'gpt-4.1-nano'],
    ['o3-mini-2025-01-31', 'o3-mini'],
    ['o1-preview', 'o1'],
    ['gpt-5-chat-latest', 'gpt-5'],
    ['gpt-4-0613', 'gpt-4'],
    ['gpt-3.5-turbo-0125', 'gpt-3.5-turbo'],
    ['gpt-4-turbo-preview', 'gpt-4-turbo'],
    ['gpt-4-turbo-2024-04-09', 'gpt-4-turbo'],
    ['claude-3-5-haiku-20241022', 'claude-3-5-haiku'],
    ['claude-3-5-haiku-latest', 'claude-3-5-haiku'],
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['claude-opus-4-1-20250805', 'claude-opus-4-1'],
    ['claude-sonnet-4-20250514', 'claude-sonnet-4'],
    ['claude-haiku-4-5-20251001', 'claude-haiku-4-5'],
    ['claude-3-haiku-20240307', 'claude-3-haiku'],
    ['claude-3-7-sonnet-latest', 'claude-3-7-sonnet'],
    ['gemini-2.5-pro-preview-06-05', 'gemini-2.5-pro'],
    ['gemini-2.5-pro-exp-03-25', 'gemini-2.5-pro'],
    ['gemini-2.5-flash-lite-preview-06-17', 'gemini-2.5-flash-lite'],
    ['gemini-2.0-flash-001', 'gemini-2.0-flash'],
    ['gemini-1.5-pro-002', 'gemini-1.5-pro'],
    ['gemini-1.5-flash-latest', 'gemini-1.5-flash'],
    ['gemini-3-pro-preview', 'gemini-3-pro'],
    ['mistral-large-latest', 'mistral-large'],
    ['mistral-large-2411', 'mistral-large'],
    ['mistral-medium-2505', 'mistral-medium'],
    ['codestral-2501', 'codestral'],
    ['ministral-8b-latest', 'ministral-8b'],
    ['deepseek-v3-0324', 'deepseek-chat'],
    ['deepseek-r1', 'deepseek-reasoner'],
    // prefixes, case, cloud spellings
    ['openai/gpt-4o', 'gpt-4o'],
    ['OpenAI/GPT-4o', 'gpt-4o'],
    ['  GPT-4O-MINI  ', 'gpt-4o-mini'],
    ['models/gemini-2.5-pro', 'gemini-2.5-pro'],
    ['google/gemini-2.5-flash', 'gemini-2.5-flash'],
    ['openrouter/anthropic/claude-3.5-haiku', 'claude-3-5-haiku'],
    ['anthropic/claude-sonnet-4.5', 'claude-sonnet-4-5'],
    ['claude-3-5-haiku@20241022', 'claude-3-5-haiku'],
    ['us.anthropic.claude-3-5-haiku-20241022-v1:0', 'claude-3-5-haiku'],
    ['anthropic.claude-3-haiku-20240307-v1:0', 'claude-3-haiku'],
    ['local/costwise-demo', 'costwise-demo'],
    // snapshots priced differently keep their own entry / alias
    ['gpt-4o-2024-05-13', 'gpt-4o-2024-05-13'],
    ['gpt-4-1106-preview', 'gpt-4-turbo'],
    ['gpt-4-0125-preview', 'gpt-4-turbo'],
  ])('%s → %s', (name, id) => {
    expect(resolveModel(name)?.id).toBe(id)
  })

  it.each([
    'gpt-4o-audio-preview', // audio is priced differently
    'gpt-4o-realtime-preview-2024-12-17',
    'ft:gpt-4o-mini-2024-07-18:acme::abc123', // fine-tunes cost more
    'llama3:8b',
    'gpt-4-32k',
    'made-up-model',
    '',
    '   ',
    '-latest',
    'models/',
  ])('%j is unknown (null, no throw)', (name) => {
    expect(resolveModel(name)).toBeNull()
  })

  it('tolerates garbage', () => {
    expect(resolveModel(undefined)).toBeNull()
    expect(resolveModel(null)).toBeNull()
    expect(resolveModel(42)).toBeNull()
    expect(resolveModel({})).toBeNull()
  })

  it('resolves every catalogue id to itself', () => {
    for (const m of MODELS) expect(resolveModel(m.id)).toBe(m)
  })
})

describe('normalizeModelName', () => {
  it('only changes spelling', () => {
    expect(normalizeModelName('OpenRouter/OpenAI/GPT-4o-2024-08-06')).toBe('gpt-4o-2024-08-06')
    expect(normalizeModelName('deepseek-v3')).toBe('deepseek-v3') // "-v3" is not a Bedrock version suffix here
    expect(normalizeModelName('my-finetune')).toBe('my-finetune')
  })
})

describe('getModel, listModels, catalogPriceAt', () => {
  it('getModel finds exact ids only', () => {
    expect(getModel('gpt-4o')?.displayName).toBe('GPT-4o')
    expect(getModel('gpt-4o-2024-08-06')).toBeNull()
  })

  it('groups models by provider in a fixed order with current prices', () => {
    const groups = listModels({ at: new Date('2026-01-01T00:00:00Z') })
    expect(groups.map((g) => g.provider)).toEqual(['openai', 'anthropic', 'google', 'mistral', 'deepseek', 'local'])
    const total = groups.reduce((n, g) => n + g.models.length, 0)
    expect(total).toBe(MODELS.length)
    const gpt4o = groups[0]!.models.find((m) => m.id === 'gpt-4o')!
    expect(gpt4o).toMatchObject({ inputPerMTok: '2.50', outputPerMTok: '10.00', cachedInputPerMTok: '1.25', legacy: false })
    const mistral = groups.find((g) => g.provider === 'mistral')!.models[0]!
    expect(mistral.cachedInputPerMTok).toBeNull()
  })

  it('can leave legacy models out of the picker', () => {
    const ids = listModels({ includeLegacy: false }).flatMap((g) => g.models.map((m) => m.id))
    expect(ids).toContain('gpt-4o')
    expect(ids).not.toContain('gpt-3.5-turbo')
    expect(ids).not.toContain('gemini-1.5-pro')
  })

  it('catalogPriceAt picks the latest version in effect, or the first before any', () => {
    const o3 = getModel('o3')!
    expect(catalogPriceAt(o3, new Date('2025-06-09T23:59:59Z')).inputPerMTok).toBe('10.00')
    expect(catalogPriceAt(o3, new Date('2025-06-10T00:00:00Z')).inputPerMTok).toBe('2.00')
    expect(catalogPriceAt(o3, new Date('2020-01-01T00:00:00Z')).inputPerMTok).toBe('10.00')
  })
})
