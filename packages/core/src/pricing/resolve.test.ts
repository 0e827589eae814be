import { describe, expect, it } from 'vitest'
import { MODELS } from './catalog'
import {
  catalogPriceAt,
  getModel,
  listModels,
  normalizeModelName,
  resolveModel,
  resolveModelName,
  snapshotOf,
} from './resolve'

describe('resolveModel: exact names and declared aliases only', () => {
  it.each([
    // dated snapshots and -latest names, each declared in catalog.json
    ['gpt-4o-2024-11-20', 'gpt-4o'],
    ['gpt-4o-2024-08-06', 'gpt-4o-2024-08-06'], // its own entry: $2.50 while `gpt-4o` still meant 05-13 at $5
    ['gpt-4o-2024-05-13', 'gpt-4o-2024-05-13'],
    ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
    ['gpt-4.1-nano-2025-04-14', 'gpt-4.1-nano'],
    ['gpt-5-2025-08-07', 'gpt-5'],
    ['gpt-5.1-2025-11-13', 'gpt-5.1'],
    ['o3-mini-2025-01-31', 'o3-mini'],
    ['o1-preview', 'o1'],
    ['gpt-5-chat-latest', 'gpt-5'],
    ['gpt-5.1-chat-latest', 'gpt-5.1'],
    ['gpt-4-0613', 'gpt-4'],
    ['gpt-3.5-turbo-0125', 'gpt-3.5-turbo'],
    ['gpt-3.5-turbo-1106', 'gpt-3.5-turbo-1106'], // $1/$2, not gpt-3.5-turbo's $0.50/$1.50
    ['gpt-4-turbo-preview', 'gpt-4-turbo'],
    ['gpt-4-turbo-2024-04-09', 'gpt-4-turbo'],
    ['gpt-4-1106-preview', 'gpt-4-turbo'],
    ['claude-3-5-haiku-20241022', 'claude-3-5-haiku'],
    ['claude-3-5-haiku-latest', 'claude-3-5-haiku'],
    ['claude-3-7-sonnet-latest', 'claude-3-7-sonnet'],
    ['claude-3-5-sonnet-latest', 'claude-3-5-sonnet'],
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['claude-opus-4-1-20250805', 'claude-opus-4-1'],
    ['claude-opus-4-5-20251101', 'claude-opus-4-5'],
    ['claude-sonnet-4-20250514', 'claude-sonnet-4'],
    ['claude-sonnet-4-0', 'claude-sonnet-4'],
    ['claude-haiku-4-5-20251001', 'claude-haiku-4-5'],
    ['claude-3-haiku-20240307', 'claude-3-haiku'],
    ['gemini-2.5-pro-preview-06-05', 'gemini-2.5-pro'],
    ['gemini-2.5-flash-preview-09-2025', 'gemini-2.5-flash'],
    ['gemini-2.0-flash-001', 'gemini-2.0-flash'],
    ['gemini-1.5-pro-002', 'gemini-1.5-pro'],
    ['gemini-3-pro-preview', 'gemini-3-pro'],
    ['mistral-large-2411', 'mistral-large'],
    ['mistral-medium-2505', 'mistral-medium'],
    ['mistral-small-2506', 'mistral-small'],
    ['codestral-2501', 'codestral'],
    ['ministral-8b-2410', 'ministral-8b'],
    // provider prefixes, case, Gemini resource names
    ['openai/gpt-4o', 'gpt-4o'],
    ['OpenAI/GPT-4o', 'gpt-4o'],
    ['  GPT-4O-MINI  ', 'gpt-4o-mini'],
    ['models/gemini-2.5-pro', 'gemini-2.5-pro'],
    ['gemini/gemini-2.5-flash', 'gemini-2.5-flash'],
    ['mistral/mistral-large-2411', 'mistral-large'],
    ['deepseek/deepseek-chat', 'deepseek-chat'],
    ['local/costwise-demo', 'costwise-demo'],
    // OpenRouter `provider/model` for first-party vendors (OpenRouter spells Claude versions with dots)
    ['openrouter/anthropic/claude-3.5-haiku', 'claude-3-5-haiku'],
    ['anthropic/claude-sonnet-4.5', 'claude-sonnet-4-5'],
    ['google/gemini-2.5-flash', 'gemini-2.5-flash'],
    ['openrouter/openai/gpt-4o-mini', 'gpt-4o-mini'],
    // Vertex AI `@version`
    ['claude-3-5-haiku@20241022', 'claude-3-5-haiku'],
    ['claude-sonnet-4-5@20250929', 'claude-sonnet-4-5'],
    ['vertex_ai/claude-opus-4-1@20250805', 'claude-opus-4-1'],
    // Amazon Bedrock: region and `global.` prefixes, `-v1:0` suffixes
    ['us.anthropic.claude-3-5-haiku-20241022-v1:0', 'claude-3-5-haiku'],
    ['anthropic.claude-3-haiku-20240307-v1:0', 'claude-3-haiku'],
    ['global.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5'],
    ['global.anthropic.claude-haiku-4-5-20251001-v1:0', 'claude-haiku-4-5'],
    ['eu.anthropic.claude-sonnet-4-20250514-v1:0', 'claude-sonnet-4'],
    ['apac.anthropic.claude-3-7-sonnet-20250219-v1:0', 'claude-3-7-sonnet'],
    ['bedrock/us.anthropic.claude-opus-4-1-20250805-v1:0', 'claude-opus-4-1'],
  ])('%s → %s', (name, id) => {
    expect(resolveModel(name)?.id).toBe(id)
    expect(resolveModelName(name).reason).toBeNull()
  })

  it.each([
    // names the issue found priced as a neighbour: now unpriced and flagged
    ['mistral-large-2512', 'mistral-large'],
    ['mistral-medium-2604', 'mistral-medium'],
    ['ministral-8b-2512', 'ministral-8b'],
    ['mistral-large-latest', 'mistral-large'],
    ['mistral-medium-latest', 'mistral-medium'],
    ['ministral-8b-latest', 'ministral-8b'],
    ['mistral-small-latest', 'mistral-small'],
    ['codestral-latest', 'codestral'],
    ['mistral-large-2407', 'mistral-large'],
    ['mistral-large-2402', 'mistral-large'],
    ['gpt-3.5-turbo-0613', 'gpt-3.5-turbo'],
    ['gpt-4o-2024-05-14', 'gpt-4o'],
    ['claude-3-5-haiku-20250101', 'claude-3-5-haiku'],
    ['gemini-2.5-pro-exp-03-25', 'gemini-2.5-pro'], // free experimental: not $1.25
    ['gemini-2.5-flash-preview-05-20', 'gemini-2.5-flash'], // $0.15/$0.60, not 2.5 Flash's $0.30/$2.50
    ['gemini-1.5-flash-latest', 'gemini-1.5-flash'],
    ['deepseek-v3-0324', null],
  ])('%s is unpriced and flagged as an unlisted version of %s', (name, base) => {
    const resolution = resolveModelName(name)
    expect(resolution.entry).toBeNull()
    expect(resolution.reason).toMatch(/recorded unpriced/)
    if (base) {
      expect(snapshotOf(resolution.key)?.id).toBe(base)
      expect(resolution.reason).toContain(`a version of ${base}`)
    }
  })

  it.each([
    'gpt-4o-audio-preview', // audio is priced differently
    'gpt-4o-realtime-preview-2024-12-17',
    'ft:gpt-4o-mini-2024-07-18:acme::abc123', // fine-tunes cost more
    'llama3:8b',
    'gpt-4-32k',
    'gemini-flash-latest', // a moving alias: map it in team settings
    'made-up-model',
    'meta-llama/llama-3.1-70b-instruct',
    'openrouter/mistralai/mistral-large', // routed to several hosts at different prices
    'openrouter/deepseek/deepseek-chat',
    'us.anthropic.claude-3-5-sonnet-20241022-v2:0', // Bedrock's price for 3.5 Sonnet is not Anthropic's list price
    '',
    '   ',
    '-latest',
    'models/',
  ])('%j is not priced (null, with a reason, no throw)', (name) => {
    expect(resolveModel(name)).toBeNull()
    expect(resolveModelName(name).reason).toBeTruthy()
  })

  it('flags Bedrock regional endpoints (not `global.`) so their premium can apply', () => {
    expect(resolveModelName('global.anthropic.claude-sonnet-4-5-20250929-v1:0').bedrockRegional).toBe(false)
    expect(resolveModelName('us.anthropic.claude-sonnet-4-5-20250929-v1:0').bedrockRegional).toBe(true)
    expect(resolveModelName('anthropic.claude-haiku-4-5-20251001-v1:0').bedrockRegional).toBe(true)
    expect(resolveModelName('claude-sonnet-4-5').bedrockRegional).toBe(false)
  })

  it("maps a team's Azure deployment names (with or without `azure/`) before anything else", () => {
    const mappings = { 'prod-chat': 'gpt-4o-mini', 'gpt-4o': 'gpt-4o-2024-08-06' }
    expect(resolveModelName('prod-chat', mappings)).toMatchObject({
      key: 'gpt-4o-mini',
      mappedFrom: 'prod-chat',
      reason: null,
    })
    expect(resolveModelName('azure/Prod-Chat', mappings).entry?.id).toBe('gpt-4o-mini')
    expect(resolveModelName('gpt-4o', mappings).entry?.id).toBe('gpt-4o-2024-08-06')
    expect(resolveModelName('azure/unmapped-deployment', mappings).entry).toBeNull()
    expect(resolveModelName('azure/gpt-4o-mini').entry?.id).toBe('gpt-4o-mini')
  })

  it('tolerates garbage', () => {
    expect(resolveModel(undefined)).toBeNull()
    expect(resolveModel(null)).toBeNull()
    expect(resolveModel(42)).toBeNull()
    expect(resolveModel({})).toBeNull()
  })

  it('resolves every catalogue id and alias to its own entry', () => {
    for (const m of MODELS) {
      expect(resolveModel(m.id)).toBe(m)
      for (const alias of m.aliases ?? []) expect(resolveModel(alias)).toBe(m)
    }
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
    expect(getModel('gpt-4o-2024-11-20')).toBeNull()
  })

  it('groups models by provider in a fixed order with current prices', () => {
    const groups = listModels({ at: new Date('2026-01-01T00:00:00Z') })
    expect(groups.map((g) => g.provider)).toEqual(['openai', 'anthropic', 'google', 'mistral', 'deepseek', 'local'])
    const total = groups.reduce((n, g) => n + g.models.length, 0)
    expect(total).toBe(MODELS.length)
    const gpt4o = groups[0]!.models.find((m) => m.id === 'gpt-4o')!
    expect(gpt4o).toMatchObject({
      inputPerMTok: '2.50',
      outputPerMTok: '10.00',
      cachedInputPerMTok: '1.25',
      legacy: false,
    })
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
