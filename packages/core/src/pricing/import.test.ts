import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { AppError } from '../errors'
import { calculateCost } from './cost'
import { diffPriceFile, mergedImportPrice, parsePriceFile } from './import'
import { priceAt } from './price'

const sample = readFileSync(new URL('./testing/litellm-sample.json', import.meta.url), 'utf8')
const AT = new Date('2026-12-01T00:00:00Z')

describe('parsePriceFile: LiteLLM', () => {
  const parsed = parsePriceFile(sample)

  it('reads per-token floats as exact USD per 1M tokens, every token kind', () => {
    expect(parsed.format).toBe('litellm')
    const gpt5 = parsed.entries.find((e) => e.name === 'gpt-5')!
    expect(gpt5).toMatchObject({
      provider: 'openai',
      inputPerMTok: '1.25',
      outputPerMTok: '10',
      cachedInputPerMTok: '0.125',
      serviceTiers: {
        flex: { inputPerMTok: '0.625', outputPerMTok: '5', cachedInputPerMTok: '0.0625' },
        priority: { inputPerMTok: '2.5', outputPerMTok: '20', cachedInputPerMTok: '0.25' },
      },
    })
    expect(parsed.entries.find((e) => e.name === 'gpt-4o')).toMatchObject({ batchDiscountPct: '50' })
    expect(parsed.entries.find((e) => e.name === 'gpt-5-nano')?.cachedInputPerMTok).toBe('0.005')
    const sonnet = parsed.entries.find((e) => e.name.startsWith('global.anthropic.claude-sonnet-4-5'))!
    expect(sonnet).toMatchObject({ provider: 'bedrock', cacheWritePerMTok: '3.75', perCallUsd: { web_search: '0.01' } })
    expect(sonnet.tiers).toEqual([
      {
        aboveInputTokens: 200_000,
        inputPerMTok: '6',
        outputPerMTok: '22.5',
        cachedInputPerMTok: '0.6',
        cacheWritePerMTok: '7.5',
      },
    ])
    expect(parsed.entries.find((e) => e.name === 'gemini-3-flash-preview')).toMatchObject({
      provider: 'google',
      audioInputPerMTok: '1',
      reasoningPerMTok: '3',
    })
  })

  it('skips what is not priced per token and notes what it cannot take exactly', () => {
    expect(parsed.skipped.map((s) => s.name).sort()).toEqual([
      'gemini/imagen-4.0-generate-001',
      'gpt-4o-mini-transcribe',
    ])
    expect(parsed.notes).toContainEqual({
      name: 'gpt-5-nano',
      note: 'priority processing has an input price but no output price; left out',
    })
    expect(parsed.notes.find((n) => n.name === 'gpt-4o-mini-2024-07-18')?.note).toMatch(/search context size/)
  })

  it('rejects files that are neither format, naming what is wrong', () => {
    expect(() => parsePriceFile('{nope')).toThrow(AppError)
    expect(() => parsePriceFile('[1,2]')).toThrow(/neither LiteLLM/)
    expect(() =>
      parsePriceFile(
        JSON.stringify({ prices: [{ model: 'x', provider: 'y', inputPerMTok: '1e3', outputPerMTok: '1' }] }),
      ),
    ).toThrow(/prices\.0\.inputPerMTok/)
  })
})

describe('parsePriceFile: Costwise format', () => {
  it('takes decimal strings as they are', () => {
    const parsed = parsePriceFile(
      JSON.stringify({
        prices: [
          {
            model: 'acme-large',
            provider: 'acme',
            inputPerMTok: '0.70',
            outputPerMTok: '2.10',
            perCallUsd: { web_search: '0.005' },
          },
        ],
      }),
    )
    expect(parsed.entries).toEqual([
      {
        name: 'acme-large',
        provider: 'acme',
        inputPerMTok: '0.70',
        outputPerMTok: '2.10',
        perCallUsd: { web_search: '0.005' },
      },
    ])
  })
})

describe('diffPriceFile against the catalogue', () => {
  const diff = diffPriceFile(parsePriceFile(sample).entries, AT)

  it('finds the LiteLLM entries priced differently from our catalogue', () => {
    expect(diff.changed.map((c) => [c.name, c.changes])).toEqual([
      [
        'gpt-4o-2024-05-13',
        [
          { kind: 'priority.input', before: null, after: '8.75' },
          { kind: 'priority.output', before: null, after: '26.25' },
        ],
      ],
    ])
  })

  it('lists models the catalogue lacks as new, under their plain names', () => {
    expect(diff.added.map((a) => a.name).sort()).toEqual([
      'gemini-3-flash-preview',
      'gemini-3.1-pro-preview',
      'gpt-3.5-turbo-16k',
      'gpt-3.5-turbo-instruct',
      'gpt-4o-audio-preview',
      'gpt-5.1-codex-mini',
      'gpt-5.2',
    ])
  })

  it('treats snapshots and cloud spellings as aliases of their model, all at the same price here', () => {
    expect(diff.aliases.map((a) => a.name)).toContain('global.anthropic.claude-sonnet-4-5-20250929-v1:0')
    expect(diff.aliases.map((a) => a.name)).toContain('gpt-4o-2024-11-20')
    expect(diff.aliases.filter((a) => a.changes.length > 0)).toEqual([])
    expect(diff.unchanged.map((u) => u.name)).toEqual(
      expect.arrayContaining(['gpt-3.5-turbo-1106', 'gpt-4o', 'gpt-5', 'gpt-5-nano', 'gpt-4.1']),
    )
  })

  it('compares with already imported versions in effect, and reports a changed price per token kind', () => {
    const changed = parsePriceFile(sample).entries.map((e) =>
      e.name === 'gpt-4o-mini' ? { ...e, inputPerMTok: '0.12', cachedInputPerMTok: '0.06' } : e,
    )
    const again = diffPriceFile(changed, AT)
    expect(again.changed.find((c) => c.name === 'gpt-4o-mini')?.changes).toEqual([
      { kind: 'input', before: '0.15', after: '0.12' },
      { kind: 'cachedInput', before: '0.075', after: '0.06' },
    ])
    const entry = changed.find((e) => e.name === 'gpt-4o-mini')!
    const imported = [
      {
        id: 'i',
        model: 'gpt-4o-mini',
        provider: 'openai',
        effectiveFrom: '2026-11-01',
        ...mergedImportPrice(priceAt('gpt-4o-mini', AT), entry),
      },
    ]
    expect(diffPriceFile(changed, AT, { imported }).changed.map((c) => c.name)).toEqual(['gpt-4o-2024-05-13'])
  })

  it('an import keeps the prices the file does not mention', () => {
    const current = priceAt('gpt-4o-mini', AT)!
    const merged = mergedImportPrice(current, {
      name: 'gpt-4o-mini',
      provider: 'openai',
      inputPerMTok: '0.12',
      outputPerMTok: '0.60',
    })
    expect(merged).toMatchObject({
      inputPerMTok: '0.12',
      cachedInputPerMTok: '0.075',
      batchDiscountPct: '50',
      serviceTiers: { priority: { inputPerMTok: '0.25' } },
    })
    const cost = calculateCost('gpt-4o-mini', { inputTokens: 7, outputTokens: 0 }, AT, {
      imported: [{ id: 'x', model: 'gpt-4o-mini', provider: 'openai', effectiveFrom: '2026-11-01', ...merged }],
    })
    expect(cost.totalNano).toBe(840n) // 7 × 0.12
  })
})
