import { describe, expect, it } from 'vitest'
import { heatLevel, promptHeatMap, topSegments } from './heat-map'

// A fake counter: one token per word, so expectations are easy to read.
const words = (text: string) => text.split(/\s+/).filter(Boolean).length

describe('promptHeatMap', () => {
  it('splits messages into variables and paragraph blocks that join back to the rendered text', () => {
    const segments = promptHeatMap(
      [
        { role: 'system', template: 'You are terse.' },
        { role: 'user', template: 'Summarise this:\n\n{{doc}}\n\nThanks a lot, really.' },
      ],
      { doc: 'one two three four five six seven eight' },
      words,
    )
    expect(segments.map((s) => [s.message, s.kind, s.tokens])).toEqual([
      ['system', 'text', 3],
      ['user', 'text', 2],
      ['user', 'variable', 8],
      ['user', 'text', 4],
    ])
    expect(
      segments
        .filter((s) => s.message === 'user')
        .map((s) => s.text)
        .join(''),
    ).toBe('Summarise this:\n\none two three four five six seven eight\n\nThanks a lot, really.')
    const doc = segments.find((s) => s.kind === 'variable')!
    expect(doc.label).toBe('{{doc}}')
    expect(doc.level).toBe(4)
    expect(doc.share).toBeCloseTo(8 / 17)
  })

  it('shades relative to the costliest segment', () => {
    expect(heatLevel(0, 10)).toBe(0)
    expect(heatLevel(1, 100)).toBe(1)
    expect(heatLevel(50, 100)).toBe(2)
    expect(heatLevel(76, 100)).toBe(4)
    expect(heatLevel(5, 0)).toBe(0)
  })

  it('keeps an unfilled variable as its placeholder and lists the costliest first', () => {
    const segments = promptHeatMap([{ role: 'user', template: 'a b c {{x}}' }], {}, words)
    expect(segments[1]).toMatchObject({ kind: 'variable', text: '{{x}}', tokens: 1 })
    expect(topSegments(segments, 1)[0]!.tokens).toBe(3)
  })

  it('merges paragraphs below the minimum block size', () => {
    const segments = promptHeatMap([{ role: 'user', template: 'a\n\nb\n\nc d e' }], {}, words, { minBlockTokens: 2 })
    expect(segments.map((s) => s.tokens)).toEqual([2, 3])
  })

  it('is empty for empty messages', () => {
    expect(promptHeatMap([{ role: 'user', template: '' }], {}, words)).toEqual([])
  })
})
