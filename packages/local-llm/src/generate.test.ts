import { describe, expect, it } from 'vitest'
import { generateAnswer } from './generate'
import { findLocalModel } from './models'
import { loadTokenCounter } from './tokens'
import { parseTriggers } from './triggers'

describe('generateAnswer', () => {
  it('is a pure function of (model, messages) and honours the budget', async () => {
    const counter = await loadTokenCounter()
    const model = findLocalModel('costwise-demo')!
    const messages = [{ role: 'user', text: 'What does caching save? [[fail:500]]' }]
    const a = generateAnswer({ model, messages, counter })
    const b = generateAnswer({ model, messages, counter })
    expect(a).toEqual(b)
    expect(a.text).toBe(a.pieces.join(''))
    expect(a.text).not.toContain('[[')
    expect(a.contentTokens).toBe(counter.countText(a.text))
    expect(a.contentTokens).toBeGreaterThanOrEqual(model.answerTokens[0])
    for (let max = 1; max <= 40; max += 3) {
      const cut = generateAnswer({ model, messages, counter, maxTokens: max })
      expect(cut.finishReason).toBe('length')
      expect(cut.contentTokens).toBeLessThanOrEqual(max)
      expect(a.text.startsWith(cut.text)).toBe(true)
    }
  })
})

describe('parseTriggers', () => {
  it('reads every marker, first one of a kind wins', () => {
    expect(parseTriggers(['plain text'])).toEqual({})
    expect(parseTriggers(['[[fail:429]] and [[fail:500]]', '[[drop-after:4]]', '[[fail-once:abc-1]]'])).toEqual({
      failStatus: 429,
      dropAfter: 4,
      failOnceKey: 'abc-1',
    })
    expect(parseTriggers(['[[fail:200]]'])).toEqual({})
  })
})
