/**
 * Byte-pair merging in O(n log n) — the guard for js-tiktoken's quadratic worst case.
 *
 * js-tiktoken merges a piece by rescanning every adjacent pair after each merge, which is O(n²) in
 * the piece's byte length (a 16 KB single "word" takes ~18 s). This is the same algorithm — always
 * merge the adjacent pair with the lowest rank, the leftmost one on ties — driven by a binary heap
 * over a linked list of parts, so each merge costs O(log n). It produces the same token ids, not an
 * approximation: the tests compare it id for id with js-tiktoken and gpt-tokenizer.
 *
 * Ranks are looked up through a {@link RankTable}, so the merge works over either rank map we hold:
 * js-tiktoken's (keys are bytes as decimals joined by commas, `"104,105"` for "hi") or one keyed by
 * "binary strings" (one char per byte, `"hi"`).
 */
export interface RankTable {
  /** Rank (token id) of a byte sequence given by its key, if it is a token. */
  rank(key: string): number | undefined
  /** The key of a single byte. */
  byteKey(byte: number): string
  /** What joins two keys into the key of their concatenation. */
  separator: string
}

/** A table over js-tiktoken's own rank map (`"104,105"` keys). */
export function commaKeyedTable(map: ReadonlyMap<string, number>): RankTable {
  return { rank: (key) => map.get(key), byteKey: (byte) => String(byte), separator: ',' }
}

const BYTE_CHARS = Array.from({ length: 256 }, (_, b) => String.fromCharCode(b))

/** A table keyed by binary strings (`"hi"` — one char per byte). */
export function binaryKeyedTable(map: ReadonlyMap<string, number>): RankTable {
  return { rank: (key) => map.get(key), byteKey: (byte) => BYTE_CHARS[byte]!, separator: '' }
}

/** Token ids of one pre-split piece, given as UTF-8 bytes. */
export function bytePairEncodeLinear(bytes: Uint8Array, table: RankTable): number[] {
  const { separator } = table
  const n = bytes.length
  if (n === 0) return []
  // A linked list of parts; a part is identified by the index of its first byte.
  const key: string[] = new Array<string>(n)
  const end = new Int32Array(n)
  const next = new Int32Array(n)
  const prev = new Int32Array(n)
  const alive = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    key[i] = table.byteKey(bytes[i]!)
    end[i] = i + 1
    next[i] = i + 1 < n ? i + 1 : -1
    prev[i] = i - 1
    alive[i] = 1
  }

  // Min-heap of candidate merges (rank, left part start, end of the pair when it was pushed).
  // An entry is stale when either part has changed since; stale entries are skipped on pop.
  const heapRank: number[] = []
  const heapStart: number[] = []
  const heapEnd: number[] = []
  const less = (a: number, b: number): boolean =>
    heapRank[a]! < heapRank[b]! || (heapRank[a] === heapRank[b] && heapStart[a]! < heapStart[b]!)
  const swap = (a: number, b: number): void => {
    let t = heapRank[a]!
    heapRank[a] = heapRank[b]!
    heapRank[b] = t
    t = heapStart[a]!
    heapStart[a] = heapStart[b]!
    heapStart[b] = t
    t = heapEnd[a]!
    heapEnd[a] = heapEnd[b]!
    heapEnd[b] = t
  }
  const push = (rank: number, start: number, pairEnd: number): void => {
    heapRank.push(rank)
    heapStart.push(start)
    heapEnd.push(pairEnd)
    let i = heapRank.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!less(i, parent)) break
      swap(i, parent)
      i = parent
    }
  }
  const popInto = (): void => {
    const last = heapRank.length - 1
    swap(0, last)
    heapRank.pop()
    heapStart.pop()
    heapEnd.pop()
    const size = heapRank.length
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let m = i
      if (l < size && less(l, m)) m = l
      if (r < size && less(r, m)) m = r
      if (m === i) break
      swap(i, m)
      i = m
    }
  }
  const consider = (start: number): void => {
    const right = next[start]!
    if (right < 0) return
    const rank = table.rank(key[start]! + separator + key[right]!)
    if (rank !== undefined) push(rank, start, end[right]!)
  }

  for (let i = 0; i < n - 1; i++) consider(i)
  while (heapRank.length > 0) {
    const start = heapStart[0]!
    const pairEnd = heapEnd[0]!
    popInto()
    if (!alive[start]) continue
    const right = next[start]!
    if (right < 0 || end[right] !== pairEnd) continue
    // Merge `right` into `start`.
    key[start] = key[start]! + separator + key[right]!
    end[start] = end[right]!
    alive[right] = 0
    const after = next[right]!
    next[start] = after
    if (after >= 0) prev[after] = start
    if (prev[start]! >= 0) consider(prev[start]!)
    consider(start)
  }

  const ids: number[] = []
  for (let i = 0; i >= 0; i = next[i]!) {
    const id = table.rank(key[i]!)
    // Every single byte has a rank in byte-level BPE, and every merged part is a ranked pair,
    // so `id` is always defined for the real encodings; skip defensively like js-tiktoken does.
    if (id !== undefined) ids.push(id)
  }
  return ids
}
