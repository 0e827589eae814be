import * as gptCl100k from 'gpt-tokenizer/encoding/cl100k_base'
import * as gptO200k from 'gpt-tokenizer/encoding/o200k_base'
import { Tiktoken } from 'js-tiktoken/lite'
import cl100k from 'js-tiktoken/ranks/cl100k_base'
import o200k from 'js-tiktoken/ranks/o200k_base'
import { describe, expect, it } from 'vitest'
import { AppError } from '../errors'
import {
  DEFAULT_TOKENIZER_BACKEND,
  ENCODINGS,
  createTokenizer,
  isEncodingLoaded,
  isEncodingName,
  loadEncoding,
  loadedTokenizer,
  parseTiktokenRanks,
  tiktokenRankMap,
  type EncodingName,
  type TokenizerBackend,
} from './encodings'
import { GuardedTokenizer } from './guarded'
import { TOKENIZER_SAMPLES, mixedCorpus } from './testing/corpus'

const ordinary = { disallowedSpecial: new Set<string>() }
const corpus = mixedCorpus(300_000, 5)
const reference = {
  o200k_base: { js: new Tiktoken(o200k), gpt: gptO200k },
  cl100k_base: { js: new Tiktoken(cl100k), gpt: gptCl100k },
}

describe.each(ENCODINGS.flatMap((e) => (['gpt-tokenizer', 'js-tiktoken'] as const).map((b) => [e, b] as const)))(
  '%s behind the guard with %s',
  (encoding: EncodingName, backend: TokenizerBackend) => {
    const ref = reference[encoding]

    it('gives the same ids as raw js-tiktoken and raw gpt-tokenizer on a varied corpus', async () => {
      const tok = await createTokenizer(encoding, backend)
      expect(tok.backend).toBe(backend)
      const expected = ref.js.encode(corpus, [], [])
      expect(ref.gpt.encode(corpus, ordinary)).toEqual(expected) // the two libraries agree…
      expect(tok.encode(corpus)).toEqual(expected) // …and so do we
      expect(tok.count(corpus)).toBe(expected.length)
    })

    it('agrees sample by sample on edge cases (unicode, emoji, code, special-token text)', async () => {
      const tok = await createTokenizer(encoding, backend)
      for (const sample of TOKENIZER_SAMPLES) {
        const expected = ref.js.encode(sample, [], [])
        expect(tok.encode(sample), JSON.stringify(sample.slice(0, 40))).toEqual(expected)
        expect(ref.gpt.encode(sample, ordinary)).toEqual(expected)
        expect(tok.count(sample)).toBe(expected.length)
      }
    })

    it('counts a 16 KB single word exactly (the guarded path)', async () => {
      const tok = await createTokenizer(encoding, backend)
      const word = Array.from({ length: 16_384 }, (_, i) => String.fromCharCode(97 + ((i * 7) % 26))).join('')
      const count = tok.count(word)
      expect(count).toBe(ref.gpt.countTokens(word, ordinary))
      expect(count).toBeGreaterThan(16_384 / 8)
      expect(count).toBeLessThan(16_384)
    })
  },
)

describe('GuardedTokenizer memo', () => {
  it('memoised counts never change the answer, even when the memo fills and resets', () => {
    const tok = new GuardedTokenizer({
      backend: 'test',
      pattern: /\S+|\s+/gu,
      encodePiece: (piece) => Array.from(piece, (c) => c.charCodeAt(0)),
      table: { rank: () => undefined, byteKey: String, separator: ',' },
      memoEntries: 2,
      longPieceChars: 1_000,
    })
    const text = 'aa bb cc aa dd ee aa'
    const first = tok.count(text)
    expect(first).toBe(text.length)
    expect(tok.count(text)).toBe(first)
    tok.clearMemo()
    expect(tok.count(text)).toBe(first)
  })
})

describe('loading', () => {
  it('builds each tokenizer once; concurrent loads share it', async () => {
    const [a, b] = await Promise.all([loadEncoding('o200k_base'), loadEncoding('o200k_base')])
    expect(a).toBe(b)
    expect(await createTokenizer('o200k_base', DEFAULT_TOKENIZER_BACKEND)).toBe(a)
    expect(isEncodingLoaded('o200k_base')).toBe(true)
    expect(loadedTokenizer('o200k_base')).toBe(a)
  })

  it('rejects unknown encodings and backends with BAD_INPUT', async () => {
    await expect(loadEncoding('p50k_base' as EncodingName)).rejects.toMatchObject({
      code: 'BAD_INPUT',
      field: 'encoding',
    })
    await expect(createTokenizer('o200k_base', 'tiktoken-wasm' as TokenizerBackend)).rejects.toBeInstanceOf(AppError)
    expect(() => loadedTokenizer('r50k_base' as EncodingName)).toThrow(/Unknown encoding/)
    expect(isEncodingName('o200k_base')).toBe(true)
    expect(isEncodingName('gpt2')).toBe(false)
    expect(isEncodingName(3)).toBe(false)
  })
})

describe('rank tables', () => {
  it('decodes the tiktoken ranks format exactly as js-tiktoken does', () => {
    const ours = parseTiktokenRanks(cl100k.bpe_ranks)
    const theirs = tiktokenRankMap(reference.cl100k_base.js, cl100k)
    expect(ours.size).toBe(theirs.size)
    for (const key of ['104,101,108,108,111', '32,119,111,114,108,100', '0', '255'])
      expect(ours.get(key)).toBe(theirs.get(key))
  })

  it('falls back to decoding the ranks when the encoder has no rank map', () => {
    const tiny = { bpe_ranks: '! 0 YQ== Yg==\n! 2 YWI=\n' } // "a" → 0, "b" → 1, "ab" → 2
    const map = tiktokenRankMap({}, tiny)
    expect([...map.entries()]).toEqual([
      ['97', 0],
      ['98', 1],
      ['97,98', 2],
    ])
  })
})
