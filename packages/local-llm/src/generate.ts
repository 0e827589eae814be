import { createHash } from 'node:crypto'
import type { LocalModel } from './models'
import type { CountableMessage, TokenCounter } from './tokens'

/**
 * Deterministic answers: the text is a function of (model, messages) only. A SHA-256 of the
 * request seeds a small PRNG that strings sentences together from a built-in vocabulary, opening
 * with a line that quotes the start of the last user message so the Prompt Lab feels responsive.
 */

export interface Answer {
  /** The visible text, split the way it is streamed (one word per piece, whitespace leading). */
  pieces: string[]
  text: string
  /** Tokens of `text`. */
  contentTokens: number
  /** Hidden reasoning tokens (reasoning models only), billed inside completion_tokens. */
  reasoningTokens: number
  finishReason: 'stop' | 'length'
}

/** sfc32: tiny, fast, and the same on every platform. */
function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    a >>>= 0
    b >>>= 0
    c >>>= 0
    d >>>= 0
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return (t >>> 0) / 4_294_967_296
  }
}

export function requestSeed(model: string, messages: readonly CountableMessage[]): Buffer {
  const canonical = JSON.stringify([model, messages.map((m) => [m.role, m.name ?? null, m.text])])
  return createHash('sha256').update(canonical).digest()
}

const SUBJECTS = [
  'The model',
  'Each request',
  'A shorter prompt',
  'The monthly budget',
  'Your team',
  'Prompt caching',
  'The cheaper model',
  'A batch job',
  'The usage log',
  'This answer',
  'The gateway',
  'A hard limit',
  'Every API key',
  'The dashboard',
  'A cached prefix',
  'The system prompt',
] as const
const VERBS = [
  'reduces',
  'tracks',
  'estimates',
  'keeps',
  'reports',
  'spends',
  'saves',
  'counts',
  'limits',
  'explains',
  'reserves',
  'settles',
  'shows',
  'rounds',
] as const
const OBJECTS = [
  'the token cost',
  'every cached prefix',
  'the output tokens',
  'the prompt length',
  'the weekly spend',
  'each reservation',
  'the price per million tokens',
  'a soft warning',
  'the reasoning tokens',
  'the daily rollup',
  'an exact decimal',
  'the alert threshold',
  'the context window',
  'the input tokens',
] as const
const TAILS = [
  '',
  '',
  ' without surprises',
  ' for the whole team',
  ' before the call',
  ' after each run',
  ' in exact decimals',
  ' across every model',
  ' at the end of the month',
  ' when the limit is near',
  ' on every request',
  ' by a small margin',
] as const
const OPENERS = [
  (topic: string) => `You asked about "${topic}".`,
  (topic: string) => `On "${topic}": here is a short answer.`,
  (topic: string) => `About "${topic}", this is a local demo reply.`,
] as const
const CONNECTIVES = ['', '', '', 'In short, ', 'Meanwhile, ', 'As a result, ', 'In practice, ', 'Note that '] as const

const MARKER = /\[\[[^\]]*\]\]/g
const TOPIC_WORDS = 8

function topicOf(messages: readonly CountableMessage[]): string {
  const lastUser = [...messages].reverse().find((m) => m.role === 'user')
  if (!lastUser) return ''
  const words = lastUser.text.replace(MARKER, ' ').replace(/["“”]/g, "'").split(/\s+/).filter(Boolean)
  const head = words.slice(0, TOPIC_WORDS).join(' ')
  return words.length > TOPIC_WORDS ? `${head}…` : head
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T
}

function between(rand: () => number, [min, max]: readonly [number, number]): number {
  return min + Math.floor(rand() * (max - min + 1))
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1)
}

export interface GenerateOptions {
  model: LocalModel
  messages: readonly CountableMessage[]
  /** max_completion_tokens / max_tokens; reasoning tokens count against it, as at OpenAI. */
  maxTokens?: number | undefined
  counter: TokenCounter
}

export function generateAnswer({ model, messages, maxTokens, counter }: GenerateOptions): Answer {
  const seed = requestSeed(model.id, messages)
  const rand = sfc32(seed.readUInt32LE(0), seed.readUInt32LE(4), seed.readUInt32LE(8), seed.readUInt32LE(12))
  const target = between(rand, model.answerTokens)
  const plannedReasoning = model.reasoningTokens ? between(rand, model.reasoningTokens) : 0

  // The natural (uncut) answer: whole sentences until the target length is reached.
  const sentences: string[][] = []
  const topic = topicOf(messages)
  if (topic) sentences.push(pick(rand, OPENERS)(topic).split(' '))
  let text = ''
  const pieces: string[] = []
  let sinceBreak = 0
  let breakEvery = between(rand, [3, 5])
  for (;;) {
    const connective = pick(rand, CONNECTIVES)
    const subject = pick(rand, SUBJECTS)
    const sentence = `${connective}${connective ? lowerFirst(subject) : subject} ${pick(rand, VERBS)} ${pick(rand, OBJECTS)}${pick(rand, TAILS)}.`
    sentences.push(sentence.split(' '))
    for (const words of sentences.splice(0)) {
      words.forEach((word, i) => {
        const lead = pieces.length === 0 ? '' : i === 0 && sinceBreak >= breakEvery ? '\n\n' : ' '
        pieces.push(lead + word)
      })
      if (sinceBreak >= breakEvery) {
        sinceBreak = 0
        breakEvery = between(rand, [3, 5])
      }
      sinceBreak++
    }
    text = pieces.join('')
    if (counter.countText(text) >= target) break
  }

  // Cut to the token budget: reasoning is spent first, then whole words while they fit.
  const reasoningTokens = maxTokens === undefined ? plannedReasoning : Math.min(plannedReasoning, maxTokens)
  const visibleBudget = maxTokens === undefined ? Infinity : maxTokens - reasoningTokens
  const naturalTokens = counter.countText(text)
  if (naturalTokens <= visibleBudget && reasoningTokens === plannedReasoning) {
    return { pieces, text, contentTokens: naturalTokens, reasoningTokens, finishReason: 'stop' }
  }
  const kept: string[] = []
  let keptText = ''
  let keptTokens = 0
  for (const piece of pieces) {
    const next = keptText + piece
    const tokens = counter.countText(next)
    if (tokens > visibleBudget) break
    kept.push(piece)
    keptText = next
    keptTokens = tokens
  }
  return { pieces: kept, text: keptText, contentTokens: keptTokens, reasoningTokens, finishReason: 'length' }
}
