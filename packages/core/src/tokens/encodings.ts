import type { Tiktoken, TiktokenBPE } from 'js-tiktoken/lite'
import { AppError } from '../errors'
import { binaryKeyedTable, commaKeyedTable } from './bpe'
import { GuardedTokenizer } from './guarded'

/** The OpenAI encodings we count exactly. */
export const ENCODINGS = ['o200k_base', 'cl100k_base'] as const
export type EncodingName = (typeof ENCODINGS)[number]

/**
 * The BPE libraries that can sit behind {@link GuardedTokenizer}. Both give identical ids; they
 * differ in speed. The default is chosen by the numbers in bench/tokenizers.bench.ts — see
 * docs/decisions/002-tokenizer.md.
 */
export const TOKENIZER_BACKENDS = ['gpt-tokenizer', 'js-tiktoken'] as const
export type TokenizerBackend = (typeof TOKENIZER_BACKENDS)[number]
export const DEFAULT_TOKENIZER_BACKEND: TokenizerBackend = 'gpt-tokenizer'

export function isEncodingName(value: unknown): value is EncodingName {
  return typeof value === 'string' && (ENCODINGS as readonly string[]).includes(value)
}

// ---------------------------------------------------------------------------------------------
// js-tiktoken. Ranks are multi-megabyte modules: import them only when an encoding is first
// needed, so a page that never counts tokens never downloads them.

async function importTiktokenRanks(name: EncodingName): Promise<TiktokenBPE> {
  switch (name) {
    case 'o200k_base':
      return (await import('js-tiktoken/ranks/o200k_base')).default
    case 'cl100k_base':
      return (await import('js-tiktoken/ranks/cl100k_base')).default
  }
}

/** Decodes the tiktoken ranks format (`! <offset> <base64 token> …` per line) into js-tiktoken's comma keys. */
export function parseTiktokenRanks(bpeRanks: string): Map<string, number> {
  const map = new Map<string, number>()
  for (const line of bpeRanks.split('\n')) {
    if (!line) continue
    const [, offsetText = '0', ...tokens] = line.split(' ')
    const offset = Number.parseInt(offsetText, 10)
    tokens.forEach((token, i) => {
      const binary = atob(token)
      const bytes = new Array<number>(binary.length)
      for (let j = 0; j < binary.length; j++) bytes[j] = binary.charCodeAt(j)
      map.set(bytes.join(','), offset + i)
    })
  }
  return map
}

/**
 * js-tiktoken already holds its ranks in a Map keyed by comma-joined bytes (`rankMap`, missing from
 * its typings); reuse it rather than spend another half-second and ~30 MB on a copy. If a future
 * version drops it, decode the ranks file ourselves.
 */
export function tiktokenRankMap(encoder: object, ranks: Pick<TiktokenBPE, 'bpe_ranks'>): Map<string, number> {
  const internal = (encoder as { rankMap?: unknown }).rankMap
  return internal instanceof Map ? (internal as Map<string, number>) : parseTiktokenRanks(ranks.bpe_ranks)
}

async function buildJsTiktoken(name: EncodingName): Promise<GuardedTokenizer> {
  const [{ Tiktoken }, ranks] = await Promise.all([import('js-tiktoken/lite'), importTiktokenRanks(name)])
  // Building the encoder decodes ~200k ranks (≈0.5 s): done once per encoding and process.
  const encoder: Tiktoken = new Tiktoken(ranks)
  return new GuardedTokenizer({
    backend: 'js-tiktoken',
    pattern: new RegExp(ranks.pat_str, 'gu'),
    encodePiece: (piece) => encoder.encode(piece, [], []),
    table: commaKeyedTable(tiktokenRankMap(encoder, ranks)),
  })
}

// ---------------------------------------------------------------------------------------------
// gpt-tokenizer, also imported lazily.

type BpeRankList = (string | number[])[]

async function importGptTokenizer(name: EncodingName): Promise<{
  encode: (text: string, options?: { disallowedSpecial?: Set<string> }) => number[]
  ranks: BpeRankList
  pattern: RegExp
}> {
  const constants = await import('gpt-tokenizer/encodingParams/constants')
  switch (name) {
    case 'o200k_base': {
      const [api, ranks] = await Promise.all([
        import('gpt-tokenizer/encoding/o200k_base'),
        import('gpt-tokenizer/bpeRanks/o200k_base'),
      ])
      return { encode: api.encode, ranks: ranks.default, pattern: constants.O200K_TOKEN_SPLIT_REGEX }
    }
    case 'cl100k_base': {
      const [api, ranks] = await Promise.all([
        import('gpt-tokenizer/encoding/cl100k_base'),
        import('gpt-tokenizer/bpeRanks/cl100k_base'),
      ])
      return { encode: api.encode, ranks: ranks.default, pattern: constants.CL100K_TOKEN_SPLIT_REGEX }
    }
  }
}

/** gpt-tokenizer's rank list (index = rank; a UTF-8 string or raw bytes) as a binary-string-keyed map. */
export function binaryRankMap(ranks: BpeRankList): Map<string, number> {
  const encoder = new TextEncoder()
  const map = new Map<string, number>()
  ranks.forEach((token, rank) => {
    const bytes = typeof token === 'string' ? encoder.encode(token) : token
    let key = ''
    for (const b of bytes) key += String.fromCharCode(b)
    map.set(key, rank)
  })
  return map
}

async function buildGptTokenizer(name: EncodingName): Promise<GuardedTokenizer> {
  const { encode, ranks, pattern } = await importGptTokenizer(name)
  const ordinary = { disallowedSpecial: new Set<string>() }
  return new GuardedTokenizer({
    backend: 'gpt-tokenizer',
    pattern,
    encodePiece: (piece) => encode(piece, ordinary),
    // Built up front (~0.1 s) so the first long piece is as fast as the rest.
    table: binaryKeyedTable(binaryRankMap(ranks)),
  })
}

// ---------------------------------------------------------------------------------------------

const ready = new Map<string, GuardedTokenizer>()
const pending = new Map<string, Promise<GuardedTokenizer>>()

function checkEncoding(name: unknown): asserts name is EncodingName {
  if (!isEncodingName(name)) {
    throw new AppError('BAD_INPUT', `Unknown encoding "${String(name)}": use one of ${ENCODINGS.join(', ')}.`, {
      field: 'encoding',
    })
  }
}

/**
 * The guarded tokenizer for an encoding and backend, built once per process (concurrent callers
 * share one build). Use {@link loadEncoding} unless you are comparing backends.
 */
export async function createTokenizer(
  name: EncodingName,
  backend: TokenizerBackend = DEFAULT_TOKENIZER_BACKEND,
): Promise<GuardedTokenizer> {
  checkEncoding(name)
  if (!(TOKENIZER_BACKENDS as readonly string[]).includes(backend)) {
    throw new AppError('BAD_INPUT', `Unknown tokenizer backend "${backend}": use ${TOKENIZER_BACKENDS.join(' or ')}.`)
  }
  const key = `${backend}:${name}`
  const done = ready.get(key)
  if (done) return done
  let promise = pending.get(key)
  if (!promise) {
    promise = (backend === 'js-tiktoken' ? buildJsTiktoken(name) : buildGptTokenizer(name)).then(
      (tokenizer) => {
        ready.set(key, tokenizer)
        pending.delete(key)
        return tokenizer
      },
      /* c8 ignore next 4 -- only reachable if a bundled ranks module fails to load */
      (error: unknown) => {
        pending.delete(key)
        throw error
      },
    )
    pending.set(key, promise)
  }
  return promise
}

/**
 * Loads an encoding once. After it resolves, the synchronous counters work for that encoding — the
 * browser preview awaits this once, then counts on every keystroke.
 */
export async function loadEncoding(name: EncodingName): Promise<GuardedTokenizer> {
  return createTokenizer(name, DEFAULT_TOKENIZER_BACKEND)
}

export function isEncodingLoaded(name: EncodingName): boolean {
  return ready.has(`${DEFAULT_TOKENIZER_BACKEND}:${name}`)
}

/** The loaded tokenizer, or an error telling the caller to load it first. */
export function loadedTokenizer(name: EncodingName): GuardedTokenizer {
  checkEncoding(name)
  const tokenizer = ready.get(`${DEFAULT_TOKENIZER_BACKEND}:${name}`)
  if (!tokenizer) {
    throw new AppError(
      'INTERNAL',
      `Encoding ${name} is not loaded yet: await loadEncoding('${name}') before counting synchronously, or use the async estimateTokens.`,
    )
  }
  return tokenizer
}
