import type { CatalogPrice, ModelEntry } from './types'

/**
 * The default price catalogue: published list prices in USD per 1M tokens, as exact decimal
 * strings, versioned by the date they took effect (00:00 UTC). Standard (not priority/flex) tier,
 * text tokens. Teams can override any of it with their own prices (see priceAt).
 *
 * Conventions (the cost calculation in cost.ts relies on them):
 * - `cachedInputPerMTok` is the cache-read price; `cacheWritePerMTok` the cache-write price
 *   (Anthropic's 5-minute cache write, 1.25× input).
 * - Reasoning tokens are billed as output by every provider listed, so no entry sets
 *   `reasoningPerMTok`; teams can, in an override.
 * - Tiers (`aboveInputTokens`) switch every price of the request when the prompt is larger.
 * - `batchDiscountPct` is the provider's batch API discount.
 *
 * When a provider changes a price, append a new version with its effective date; never edit an old
 * one — usage rows keep the `versionId` they were charged with.
 */

const OPENAI = 'https://platform.openai.com/docs/pricing'
const ANTHROPIC = 'https://docs.claude.com/en/docs/about-claude/pricing'
const GOOGLE = 'https://ai.google.dev/gemini-api/docs/pricing'
const MISTRAL = 'https://mistral.ai/pricing#api-pricing'
const DEEPSEEK = 'https://api-docs.deepseek.com/quick_start/pricing'
/** The demo models are served by Costwise's own local server; their prices are made up for the demo. */
const LOCAL = 'urn:costwise:demo-models'

function openai(effectiveFrom: string, input: string, output: string, cached?: string): CatalogPrice {
  return {
    effectiveFrom,
    sourceUrl: OPENAI,
    inputPerMTok: input,
    outputPerMTok: output,
    ...(cached ? { cachedInputPerMTok: cached } : {}),
    batchDiscountPct: 50,
  }
}

/** Anthropic: cache writes (5 min) are 1.25× input, cache reads 0.1× input; batch is half price. */
function anthropic(
  effectiveFrom: string,
  input: string,
  output: string,
  cacheWrite: string,
  cacheRead: string,
  tiers?: CatalogPrice['tiers'],
): CatalogPrice {
  return {
    effectiveFrom,
    sourceUrl: ANTHROPIC,
    inputPerMTok: input,
    outputPerMTok: output,
    cacheWritePerMTok: cacheWrite,
    cachedInputPerMTok: cacheRead,
    batchDiscountPct: 50,
    ...(tiers ? { tiers } : {}),
  }
}

function google(
  effectiveFrom: string,
  input: string,
  output: string,
  cached?: string,
  tiers?: CatalogPrice['tiers'],
): CatalogPrice {
  return {
    effectiveFrom,
    sourceUrl: GOOGLE,
    inputPerMTok: input,
    outputPerMTok: output,
    ...(cached ? { cachedInputPerMTok: cached } : {}),
    batchDiscountPct: 50,
    ...(tiers ? { tiers } : {}),
  }
}

function mistral(effectiveFrom: string, input: string, output: string): CatalogPrice {
  return { effectiveFrom, sourceUrl: MISTRAL, inputPerMTok: input, outputPerMTok: output, batchDiscountPct: 50 }
}

/** DeepSeek prices input by cache hit (`cached`) and cache miss (`input`); it has no batch API. */
function deepseek(effectiveFrom: string, input: string, output: string, cached: string): CatalogPrice {
  return { effectiveFrom, sourceUrl: DEEPSEEK, inputPerMTok: input, outputPerMTok: output, cachedInputPerMTok: cached }
}

export const MODELS: readonly ModelEntry[] = [
  // ── OpenAI ────────────────────────────────────────────────────────────────────────────────
  {
    id: 'gpt-5.1',
    provider: 'openai',
    displayName: 'GPT-5.1',
    encoding: 'o200k_base',
    contextWindow: 400_000,
    maxOutputTokens: 128_000,
    aliases: ['gpt-5.1-chat', 'gpt-5.1-codex'],
    prices: [openai('2025-11-13', '1.25', '10.00', '0.125')],
  },
  {
    id: 'gpt-5',
    provider: 'openai',
    displayName: 'GPT-5',
    encoding: 'o200k_base',
    contextWindow: 400_000,
    maxOutputTokens: 128_000,
    aliases: ['gpt-5-chat', 'gpt-5-codex'],
    prices: [openai('2025-08-07', '1.25', '10.00', '0.125')],
  },
  {
    id: 'gpt-5-mini',
    provider: 'openai',
    displayName: 'GPT-5 mini',
    encoding: 'o200k_base',
    contextWindow: 400_000,
    maxOutputTokens: 128_000,
    prices: [openai('2025-08-07', '0.25', '2.00', '0.025')],
  },
  {
    id: 'gpt-5-nano',
    provider: 'openai',
    displayName: 'GPT-5 nano',
    encoding: 'o200k_base',
    contextWindow: 400_000,
    maxOutputTokens: 128_000,
    prices: [openai('2025-08-07', '0.05', '0.40', '0.005')],
  },
  {
    id: 'gpt-4.1',
    provider: 'openai',
    displayName: 'GPT-4.1',
    encoding: 'o200k_base',
    contextWindow: 1_047_576,
    maxOutputTokens: 32_768,
    prices: [openai('2025-04-14', '2.00', '8.00', '0.50')],
  },
  {
    id: 'gpt-4.1-mini',
    provider: 'openai',
    displayName: 'GPT-4.1 mini',
    encoding: 'o200k_base',
    contextWindow: 1_047_576,
    maxOutputTokens: 32_768,
    prices: [openai('2025-04-14', '0.40', '1.60', '0.10')],
  },
  {
    id: 'gpt-4.1-nano',
    provider: 'openai',
    displayName: 'GPT-4.1 nano',
    encoding: 'o200k_base',
    contextWindow: 1_047_576,
    maxOutputTokens: 32_768,
    prices: [openai('2025-04-14', '0.10', '0.40', '0.025')],
  },
  {
    id: 'gpt-4o',
    provider: 'openai',
    displayName: 'GPT-4o',
    encoding: 'o200k_base',
    contextWindow: 128_000,
    maxOutputTokens: 16_384,
    prices: [
      // The `gpt-4o` alias pointed at gpt-4o-2024-05-13 until OpenAI moved it to 2024-08-06 (and
      // launched prompt caching) at DevDay, October 2024.
      openai('2024-05-13', '5.00', '15.00'),
      openai('2024-10-01', '2.50', '10.00', '1.25'),
    ],
  },
  {
    id: 'gpt-4o-2024-05-13',
    provider: 'openai',
    displayName: 'GPT-4o (2024-05-13)',
    encoding: 'o200k_base',
    contextWindow: 128_000,
    maxOutputTokens: 4_096,
    legacy: true,
    prices: [openai('2024-05-13', '5.00', '15.00')],
  },
  {
    id: 'gpt-4o-mini',
    provider: 'openai',
    displayName: 'GPT-4o mini',
    encoding: 'o200k_base',
    contextWindow: 128_000,
    maxOutputTokens: 16_384,
    prices: [openai('2024-07-18', '0.15', '0.60'), openai('2024-10-01', '0.15', '0.60', '0.075')],
  },
  {
    id: 'o1',
    provider: 'openai',
    displayName: 'o1',
    encoding: 'o200k_base',
    contextWindow: 200_000,
    maxOutputTokens: 100_000,
    prices: [openai('2024-12-17', '15.00', '60.00', '7.50')],
  },
  {
    id: 'o1-mini',
    provider: 'openai',
    displayName: 'o1-mini',
    encoding: 'o200k_base',
    contextWindow: 128_000,
    maxOutputTokens: 65_536,
    legacy: true,
    prices: [openai('2024-09-12', '3.00', '12.00'), openai('2025-01-31', '1.10', '4.40', '0.55')],
  },
  {
    id: 'o3',
    provider: 'openai',
    displayName: 'o3',
    encoding: 'o200k_base',
    contextWindow: 200_000,
    maxOutputTokens: 100_000,
    // OpenAI cut o3's price by 80 % on 2025-06-10.
    prices: [openai('2025-04-16', '10.00', '40.00', '2.50'), openai('2025-06-10', '2.00', '8.00', '0.50')],
  },
  {
    id: 'o3-mini',
    provider: 'openai',
    displayName: 'o3-mini',
    encoding: 'o200k_base',
    contextWindow: 200_000,
    maxOutputTokens: 100_000,
    prices: [openai('2025-01-31', '1.10', '4.40', '0.55')],
  },
  {
    id: 'o4-mini',
    provider: 'openai',
    displayName: 'o4-mini',
    encoding: 'o200k_base',
    contextWindow: 200_000,
    maxOutputTokens: 100_000,
    prices: [openai('2025-04-16', '1.10', '4.40', '0.275')],
  },
  {
    id: 'gpt-4-turbo',
    provider: 'openai',
    displayName: 'GPT-4 Turbo',
    encoding: 'cl100k_base',
    contextWindow: 128_000,
    maxOutputTokens: 4_096,
    legacy: true,
    aliases: ['gpt-4-1106-preview', 'gpt-4-0125-preview', 'gpt-4-vision-preview', 'gpt-4-1106-vision-preview'],
    prices: [openai('2023-11-06', '10.00', '30.00')],
  },
  {
    id: 'gpt-4',
    provider: 'openai',
    displayName: 'GPT-4',
    encoding: 'cl100k_base',
    contextWindow: 8_192,
    maxOutputTokens: 8_192,
    legacy: true,
    prices: [openai('2023-03-14', '30.00', '60.00')],
  },
  {
    id: 'gpt-3.5-turbo',
    provider: 'openai',
    displayName: 'GPT-3.5 Turbo',
    encoding: 'cl100k_base',
    contextWindow: 16_385,
    maxOutputTokens: 4_096,
    legacy: true,
    aliases: ['gpt-35-turbo'],
    prices: [openai('2024-01-25', '0.50', '1.50')],
  },

  // ── Anthropic ─────────────────────────────────────────────────────────────────────────────
  {
    id: 'claude-opus-4-5',
    provider: 'anthropic',
    displayName: 'Claude Opus 4.5',
    encoding: null,
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    aliases: ['claude-4-5-opus'],
    prices: [anthropic('2025-11-24', '5.00', '25.00', '6.25', '0.50')],
  },
  {
    id: 'claude-opus-4-1',
    provider: 'anthropic',
    displayName: 'Claude Opus 4.1',
    encoding: null,
    contextWindow: 200_000,
    maxOutputTokens: 32_000,
    aliases: ['claude-4-1-opus'],
    prices: [anthropic('2025-08-05', '15.00', '75.00', '18.75', '1.50')],
  },
  {
    id: 'claude-opus-4',
    provider: 'anthropic',
    displayName: 'Claude Opus 4',
    encoding: null,
    contextWindow: 200_000,
    maxOutputTokens: 32_000,
    legacy: true,
    aliases: ['claude-4-opus', 'claude-opus-4-0'],
    prices: [anthropic('2025-05-22', '15.00', '75.00', '18.75', '1.50')],
  },
  {
    id: 'claude-sonnet-4-5',
    provider: 'anthropic',
    displayName: 'Claude Sonnet 4.5',
    encoding: null,
    // 200k by default; 1M with the long-context beta, where prompts over 200k pay the tier below.
    contextWindow: 1_000_000,
    maxOutputTokens: 64_000,
    aliases: ['claude-4-5-sonnet'],
    prices: [
      anthropic('2025-09-29', '3.00', '15.00', '3.75', '0.30', [
        { aboveInputTokens: 200_000, inputPerMTok: '6.00', outputPerMTok: '22.50', cacheWritePerMTok: '7.50', cachedInputPerMTok: '0.60' },
      ]),
    ],
  },
  {
    id: 'claude-sonnet-4',
    provider: 'anthropic',
    displayName: 'Claude Sonnet 4',
    encoding: null,
    contextWindow: 1_000_000,
    maxOutputTokens: 64_000,
    aliases: ['claude-4-sonnet', 'claude-sonnet-4-0'],
    prices: [
      anthropic('2025-05-22', '3.00', '15.00', '3.75', '0.30'),
      // Long-context (1M) pricing arrived with the 1M-token beta on 2025-08-12.
      anthropic('2025-08-12', '3.00', '15.00', '3.75', '0.30', [
        { aboveInputTokens: 200_000, inputPerMTok: '6.00', outputPerMTok: '22.50', cacheWritePerMTok: '7.50', cachedInputPerMTok: '0.60' },
      ]),
    ],
  },
  {
    id: 'claude-3-7-sonnet',
    provider: 'anthropic',
    displayName: 'Claude Sonnet 3.7',
    encoding: null,
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    legacy: true,
    prices: [anthropic('2025-02-24', '3.00', '15.00', '3.75', '0.30')],
  },
  {
    id: 'claude-3-5-sonnet',
    provider: 'anthropic',
    displayName: 'Claude Sonnet 3.5',
    encoding: null,
    contextWindow: 200_000,
    maxOutputTokens: 8_192,
    legacy: true,
    prices: [anthropic('2024-06-20', '3.00', '15.00', '3.75', '0.30')],
  },
  {
    id: 'claude-haiku-4-5',
    provider: 'anthropic',
    displayName: 'Claude Haiku 4.5',
    encoding: null,
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    aliases: ['claude-4-5-haiku'],
    prices: [anthropic('2025-10-15', '1.00', '5.00', '1.25', '0.10')],
  },
  {
    id: 'claude-3-5-haiku',
    provider: 'anthropic',
    displayName: 'Claude Haiku 3.5',
    encoding: null,
    contextWindow: 200_000,
    maxOutputTokens: 8_192,
    prices: [anthropic('2024-11-04', '0.80', '4.00', '1.00', '0.08')],
  },
  {
    id: 'claude-3-haiku',
    provider: 'anthropic',
    displayName: 'Claude Haiku 3',
    encoding: null,
    contextWindow: 200_000,
    maxOutputTokens: 4_096,
    legacy: true,
    prices: [anthropic('2024-03-13', '0.25', '1.25', '0.30', '0.03')],
  },

  // ── Google Gemini ─────────────────────────────────────────────────────────────────────────
  {
    id: 'gemini-3-pro',
    provider: 'google',
    displayName: 'Gemini 3 Pro',
    encoding: null,
    contextWindow: 1_048_576,
    maxOutputTokens: 65_536,
    prices: [
      google('2025-11-18', '2.00', '12.00', '0.20', [
        { aboveInputTokens: 200_000, inputPerMTok: '4.00', outputPerMTok: '18.00', cachedInputPerMTok: '0.40' },
      ]),
    ],
  },
  {
    id: 'gemini-2.5-pro',
    provider: 'google',
    displayName: 'Gemini 2.5 Pro',
    encoding: null,
    contextWindow: 1_048_576,
    maxOutputTokens: 65_536,
    prices: [
      google('2025-06-17', '1.25', '10.00', '0.125', [
        { aboveInputTokens: 200_000, inputPerMTok: '2.50', outputPerMTok: '15.00', cachedInputPerMTok: '0.25' },
      ]),
    ],
  },
  {
    id: 'gemini-2.5-flash',
    provider: 'google',
    displayName: 'Gemini 2.5 Flash',
    encoding: null,
    contextWindow: 1_048_576,
    maxOutputTokens: 65_536,
    prices: [google('2025-06-17', '0.30', '2.50', '0.03')],
  },
  {
    id: 'gemini-2.5-flash-lite',
    provider: 'google',
    displayName: 'Gemini 2.5 Flash-Lite',
    encoding: null,
    contextWindow: 1_048_576,
    maxOutputTokens: 65_536,
    prices: [google('2025-07-22', '0.10', '0.40', '0.01')],
  },
  {
    id: 'gemini-2.0-flash',
    provider: 'google',
    displayName: 'Gemini 2.0 Flash',
    encoding: null,
    contextWindow: 1_048_576,
    maxOutputTokens: 8_192,
    prices: [google('2025-02-05', '0.10', '0.40', '0.025')],
  },
  {
    id: 'gemini-1.5-pro',
    provider: 'google',
    displayName: 'Gemini 1.5 Pro',
    encoding: null,
    contextWindow: 2_097_152,
    maxOutputTokens: 8_192,
    legacy: true,
    prices: [
      google('2024-05-14', '3.50', '10.50', undefined, [
        { aboveInputTokens: 128_000, inputPerMTok: '7.00', outputPerMTok: '21.00' },
      ]),
      // Google's price cut of 2024-10-01.
      google('2024-10-01', '1.25', '5.00', '0.3125', [
        { aboveInputTokens: 128_000, inputPerMTok: '2.50', outputPerMTok: '10.00', cachedInputPerMTok: '0.625' },
      ]),
    ],
  },
  {
    id: 'gemini-1.5-flash',
    provider: 'google',
    displayName: 'Gemini 1.5 Flash',
    encoding: null,
    contextWindow: 1_048_576,
    maxOutputTokens: 8_192,
    legacy: true,
    prices: [
      google('2024-08-12', '0.075', '0.30', '0.01875', [
        { aboveInputTokens: 128_000, inputPerMTok: '0.15', outputPerMTok: '0.60', cachedInputPerMTok: '0.0375' },
      ]),
    ],
  },

  // ── Mistral ───────────────────────────────────────────────────────────────────────────────
  {
    id: 'mistral-large',
    provider: 'mistral',
    displayName: 'Mistral Large',
    encoding: null,
    contextWindow: 131_072,
    maxOutputTokens: 131_072,
    prices: [mistral('2024-11-18', '2.00', '6.00')],
  },
  {
    id: 'mistral-medium',
    provider: 'mistral',
    displayName: 'Mistral Medium 3',
    encoding: null,
    contextWindow: 131_072,
    maxOutputTokens: 131_072,
    aliases: ['mistral-medium-3', 'mistral-medium-3.1'],
    prices: [mistral('2025-05-07', '0.40', '2.00')],
  },
  {
    id: 'mistral-small',
    provider: 'mistral',
    displayName: 'Mistral Small 3.2',
    encoding: null,
    contextWindow: 131_072,
    maxOutputTokens: 131_072,
    aliases: ['mistral-small-3.1', 'mistral-small-3.2'],
    prices: [mistral('2025-03-17', '0.10', '0.30')],
  },
  {
    id: 'codestral',
    provider: 'mistral',
    displayName: 'Codestral',
    encoding: null,
    contextWindow: 262_144,
    maxOutputTokens: 262_144,
    prices: [mistral('2025-01-13', '0.30', '0.90')],
  },
  {
    id: 'ministral-8b',
    provider: 'mistral',
    displayName: 'Ministral 8B',
    encoding: null,
    contextWindow: 131_072,
    maxOutputTokens: 131_072,
    prices: [mistral('2024-10-16', '0.10', '0.10')],
  },

  // ── DeepSeek ──────────────────────────────────────────────────────────────────────────────
  {
    id: 'deepseek-chat',
    provider: 'deepseek',
    displayName: 'DeepSeek Chat (V3.2)',
    encoding: null,
    contextWindow: 128_000,
    maxOutputTokens: 8_192,
    aliases: ['deepseek-v3', 'deepseek-v3.1', 'deepseek-v3.2'],
    prices: [
      deepseek('2025-02-09', '0.27', '1.10', '0.07'),
      deepseek('2025-09-05', '0.56', '1.68', '0.07'),
      deepseek('2025-09-29', '0.28', '0.42', '0.028'),
    ],
  },
  {
    id: 'deepseek-reasoner',
    provider: 'deepseek',
    displayName: 'DeepSeek Reasoner (V3.2 thinking)',
    encoding: null,
    contextWindow: 128_000,
    maxOutputTokens: 65_536,
    aliases: ['deepseek-r1'],
    prices: [
      deepseek('2025-01-20', '0.55', '2.19', '0.14'),
      deepseek('2025-09-05', '0.56', '1.68', '0.07'),
      deepseek('2025-09-29', '0.28', '0.42', '0.028'),
    ],
  },

  // ── Costwise demo models (local OpenAI-compatible server) ─────────────────────────────────
  {
    id: 'costwise-demo',
    provider: 'local',
    displayName: 'Costwise Demo',
    encoding: 'o200k_base',
    contextWindow: 128_000,
    maxOutputTokens: 16_384,
    prices: [
      { effectiveFrom: '2024-01-01', sourceUrl: LOCAL, inputPerMTok: '1.00', outputPerMTok: '4.00', cachedInputPerMTok: '0.25', batchDiscountPct: 50 },
    ],
  },
  {
    id: 'costwise-demo-mini',
    provider: 'local',
    displayName: 'Costwise Demo mini',
    encoding: 'o200k_base',
    contextWindow: 128_000,
    maxOutputTokens: 16_384,
    prices: [
      { effectiveFrom: '2024-01-01', sourceUrl: LOCAL, inputPerMTok: '0.10', outputPerMTok: '0.40', cachedInputPerMTok: '0.025', batchDiscountPct: 50 },
    ],
  },
  {
    id: 'costwise-demo-reasoner',
    provider: 'local',
    displayName: 'Costwise Demo reasoner',
    encoding: 'o200k_base',
    contextWindow: 200_000,
    maxOutputTokens: 16_384,
    prices: [
      { effectiveFrom: '2024-01-01', sourceUrl: LOCAL, inputPerMTok: '2.00', outputPerMTok: '8.00', cachedInputPerMTok: '0.50' },
    ],
  },
]
