import { bytePairEncodeLinear, type RankTable } from './bpe'

export interface GuardedTokenizerOptions {
  /** Which library encodes ordinary pieces (for reports and benchmarks). */
  backend: string
  /** The encoding's pre-tokenisation regex, the same one the backend uses. */
  pattern: RegExp
  /** The backend's encoder for one ordinary (short) piece; must not treat special tokens specially. */
  encodePiece: (piece: string) => number[]
  /** The same encoding's ranks, for the linear merge of long pieces. */
  table: RankTable
  /** Pieces longer than this (UTF-16 units) are merged in O(n log n) instead of by the backend. Default 32. */
  longPieceChars?: number
  /** How many piece → count results to memoise; the memo is emptied when full. Default 100,000. */
  memoEntries?: number
}

const textEncoder = new TextEncoder()

/**
 * A BPE tokenizer library behind a guard. Counting is the tokenizer's own two steps, done here so
 * each can be bounded:
 *
 * 1. Pre-split the text with the encoding's regex, exactly as tiktoken does. BPE never merges across
 *    these pieces, so counting piece by piece is exact.
 * 2. Encode each piece. Short pieces go to the library (its quadratic merge is harmless on a few
 *    dozen bytes). Long pieces — the "16 KB single word" that takes js-tiktoken 18 s — go to
 *    {@link bytePairEncodeLinear}, the same merge rule in O(n log n), so the worst case stays
 *    near-linear and the result is still exact: no chunking, no approximation.
 *
 * Counts of short pieces are memoised (text repeats its words), which is what makes a warm counter
 * fast. The memo holds results of a pure function, so it never changes an answer.
 *
 * Special-token text (`<|endoftext|>`) is counted as the ordinary text it is, like tiktoken's
 * `encode_ordinary`: user content is never read as control tokens. (The pre-split can never put a
 * whole special token into one piece, so the backend never sees one.)
 */
export class GuardedTokenizer {
  readonly backend: string
  private readonly pattern: RegExp
  private readonly encodeShort: (piece: string) => number[]
  private readonly table: RankTable
  private readonly longPieceChars: number
  private readonly memoEntries: number
  private readonly memo = new Map<string, number>()

  constructor(options: GuardedTokenizerOptions) {
    this.backend = options.backend
    this.pattern = new RegExp(options.pattern.source, 'gu')
    this.encodeShort = options.encodePiece
    this.table = options.table
    this.longPieceChars = options.longPieceChars ?? 32
    this.memoEntries = options.memoEntries ?? 100_000
  }

  /** The token ids of one pre-split piece. */
  encodePiece(piece: string): number[] {
    if (piece.length > this.longPieceChars) return bytePairEncodeLinear(textEncoder.encode(piece), this.table)
    return this.encodeShort(piece)
  }

  /** Token ids of `text` (not memoised; for tests and tools that need the ids). */
  encode(text: string): number[] {
    const ids: number[] = []
    for (const match of text.matchAll(this.pattern)) {
      for (const id of this.encodePiece(match[0])) ids.push(id)
    }
    return ids
  }

  /** Number of tokens in `text`. */
  count(text: string): number {
    let total = 0
    for (const match of text.matchAll(this.pattern)) {
      const piece = match[0]
      if (piece.length > this.longPieceChars) {
        total += this.encodePiece(piece).length
        continue
      }
      let n = this.memo.get(piece)
      if (n === undefined) {
        n = this.encodeShort(piece).length
        if (this.memo.size >= this.memoEntries) this.memo.clear()
        this.memo.set(piece, n)
      }
      total += n
    }
    return total
  }

  /** Forget memoised counts (benchmarks use it to measure a cold start). */
  clearMemo(): void {
    this.memo.clear()
  }
}
