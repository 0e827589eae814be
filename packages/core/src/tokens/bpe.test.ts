import { Tiktoken } from 'js-tiktoken/lite'
import o200k from 'js-tiktoken/ranks/o200k_base'
import gptRanks from 'gpt-tokenizer/bpeRanks/o200k_base'
import { describe, expect, it } from 'vitest'
import { binaryKeyedTable, bytePairEncodeLinear, commaKeyedTable } from './bpe'
import { binaryRankMap, tiktokenRankMap } from './encodings'
import { TOKENIZER_SAMPLES, mixedCorpus, seededRandom } from './testing/corpus'

const encoder = new Tiktoken(o200k)
const pattern = new RegExp(o200k.pat_str, 'gu')
const comma = commaKeyedTable(tiktokenRankMap(encoder, o200k))
const binary = binaryKeyedTable(binaryRankMap(gptRanks))
const bytes = (s: string) => new TextEncoder().encode(s)

describe('bytePairEncodeLinear', () => {
  it('gives js-tiktoken’s ids for every piece of varied text, with either rank table', () => {
    const text = TOKENIZER_SAMPLES.join('\n') + mixedCorpus(60_000, 3)
    let pieces = 0
    for (const [piece] of text.matchAll(pattern)) {
      const expected = encoder.encode(piece, [], [])
      expect(bytePairEncodeLinear(bytes(piece), comma)).toEqual(expected)
      expect(bytePairEncodeLinear(bytes(piece), binary)).toEqual(expected)
      pieces++
    }
    expect(pieces).toBeGreaterThan(10_000)
  })

  it('matches on random byte soups, where ties between equal pairs decide the result', () => {
    const rnd = seededRandom(11)
    const alphabet = Array.from('aaab  ==--__..0011éé你好😀\n\t')
    for (let i = 0; i < 3_000; i++) {
      let s = ''
      const n = 1 + Math.floor(rnd() * 60)
      for (let j = 0; j < n; j++) s += alphabet[Math.floor(rnd() * alphabet.length)]!
      for (const [piece] of s.matchAll(pattern)) {
        expect(bytePairEncodeLinear(bytes(piece), binary)).toEqual(encoder.encode(piece, [], []))
      }
    }
  })

  it('matches js-tiktoken on long single words (kept to 1 KB: js-tiktoken is quadratic)', () => {
    for (const word of [
      'a'.repeat(1024),
      'ab'.repeat(512),
      '='.repeat(1024),
      'xyzzy'.repeat(200),
      '漢字'.repeat(300),
    ]) {
      expect(bytePairEncodeLinear(bytes(word), comma)).toEqual(encoder.encode(word, [], []))
    }
  })

  it('handles empty and single-byte input', () => {
    expect(bytePairEncodeLinear(new Uint8Array(), binary)).toEqual([])
    expect(bytePairEncodeLinear(bytes('a'), binary)).toEqual(encoder.encode('a'))
  })

  it('skips byte sequences the table does not know (defensive, like js-tiktoken)', () => {
    const partial = binaryKeyedTable(new Map([['a', 1]]))
    expect(bytePairEncodeLinear(bytes('ab'), partial)).toEqual([1])
  })
})
