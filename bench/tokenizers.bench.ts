/**
 * Token counting: js-tiktoken vs gpt-tokenizer, raw and behind Costwise's guard.
 *
 *   cd bench && npx tsx tokenizers.bench.ts
 *
 * Prints one line per figure for BRIEF's bar: exact ids (o200k, cl100k), ≥ 10 MB/s, a 16 KB single
 * "word" in < 50 ms, and an 8k-token prompt counted within one frame (16 ms). The numbers chose
 * the default backend: docs/decisions/002-tokenizer.md.
 */
import os from 'node:os'
import {
  DEFAULT_TOKENIZER_BACKEND,
  createTokenizer,
  estimateTokens,
  estimateTokensSync,
  type EncodingName,
  type GuardedTokenizer,
  type TokenizerBackend,
} from '@costwise/core'
import { mixedCorpus } from '@costwise/core/tokens/testing/corpus'
import * as gptCl100k from 'gpt-tokenizer/encoding/cl100k_base'
import * as gptO200k from 'gpt-tokenizer/encoding/o200k_base'
import { Tiktoken } from 'js-tiktoken/lite'
import cl100kRanks from 'js-tiktoken/ranks/cl100k_base'
import o200kRanks from 'js-tiktoken/ranks/o200k_base'

const BAR = { mbPerSec: 10, worstMs: 50, previewMs: 16 }
const ordinary = { disallowedSpecial: new Set<string>() }

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}
function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!
}
function timeMs(fn: () => unknown): number {
  const t = performance.now()
  fn()
  return performance.now() - t
}
const fmt = (n: number, digits = 1): string => n.toFixed(digits)
const pass = (ok: boolean): string => (ok ? 'PASS' : 'FAIL')
function line(label: string, value: string): void {
  console.log(`${label.padEnd(58)} ${value}`)
}

const corpus = mixedCorpus(1_000_000)
const corpusBytes = Buffer.byteLength(corpus)
const mbps = (ms: number): number => corpusBytes / 1e6 / (ms / 1000)

console.log(`# tokenizers — node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}`)
console.log(`# corpus: ${corpusBytes.toLocaleString('en')} bytes of mixed text (prose, code, JSON, 12 scripts, emoji)`)

// ── load time (once per process) ─────────────────────────────────────────────────────────────
const tokenizers = new Map<string, GuardedTokenizer>()
for (const backend of ['gpt-tokenizer', 'js-tiktoken'] as TokenizerBackend[]) {
  for (const encoding of ['o200k_base', 'cl100k_base'] as EncodingName[]) {
    const t = performance.now()
    const tok = await createTokenizer(encoding, backend)
    line(`load ${encoding} guarded ${backend}`, `${fmt(performance.now() - t, 0)} ms (once per process)`)
    tokenizers.set(`${backend}:${encoding}`, tok)
  }
}

// ── throughput and id equality, per encoding ─────────────────────────────────────────────────
const results: Record<string, { cold: number; warm: number }> = {}
for (const encoding of ['o200k_base', 'cl100k_base'] as EncodingName[]) {
  const jsRaw = new Tiktoken(encoding === 'o200k_base' ? o200kRanks : cl100kRanks)
  const gpt = encoding === 'o200k_base' ? gptO200k : gptCl100k
  const short = encoding.replace('_base', '')

  // Ids: raw libraries and both guarded paths must agree token for token.
  const idsJs = jsRaw.encode(corpus, [], [])
  const idsGpt = gpt.encode(corpus, ordinary)
  const idsGuardGpt = tokenizers.get(`gpt-tokenizer:${encoding}`)!.encode(corpus)
  const idsGuardJs = tokenizers.get(`js-tiktoken:${encoding}`)!.encode(corpus)
  const same = (a: number[], b: number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i])
  const identical = same(idsJs, idsGpt) && same(idsJs, idsGuardGpt) && same(idsJs, idsGuardJs)
  line(
    `${short} ids js-tiktoken = gpt-tokenizer = guarded (both)`,
    `${identical ? 'identical' : 'DIFFERENT'} (${idsJs.length.toLocaleString('en')} tokens) ${pass(identical)}`,
  )

  // Raw libraries. js-tiktoken has no cache; gpt-tokenizer has a merge cache (cleared for "first pass").
  const jsRawMs = median([0, 1].map(() => timeMs(() => jsRaw.encode(corpus, [], []))))
  line(`${short} js-tiktoken raw encode`, `${fmt(mbps(jsRawMs))} MB/s`)
  const gptCold = median([0, 1, 2].map(() => (gpt.clearMergeCache(), timeMs(() => gpt.countTokens(corpus, ordinary)))))
  const gptWarm = median([0, 1, 2].map(() => timeMs(() => gpt.countTokens(corpus, ordinary))))
  line(`${short} gpt-tokenizer raw count`, `steady ${fmt(mbps(gptWarm))} MB/s; first pass ${fmt(mbps(gptCold))} MB/s`)

  // Guarded paths. "Steady": the text counted again with caches warm — how a running server sees
  // common words, and how BRIEF's library figures were measured. "First pass": our memo and
  // gpt-tokenizer's merge cache cleared, every distinct word seen for the first time.
  for (const backend of ['js-tiktoken', 'gpt-tokenizer'] as TokenizerBackend[]) {
    const tok = tokenizers.get(`${backend}:${encoding}`)!
    tok.count(corpus) // JIT warm-up
    const cold = median(
      [0, 1, 2].map(() => {
        tok.clearMemo()
        gpt.clearMergeCache()
        return timeMs(() => tok.count(corpus))
      }),
    )
    const warm = median([0, 1, 2].map(() => timeMs(() => tok.count(corpus))))
    results[`${backend}:${encoding}`] = { cold: mbps(cold), warm: mbps(warm) }
    line(
      `${short} guarded ${backend} count`,
      `steady ${fmt(mbps(warm))} MB/s ${pass(mbps(warm) >= BAR.mbPerSec)} (bar ≥ ${BAR.mbPerSec}); first pass ${fmt(mbps(cold))} MB/s`,
    )
  }
}

// ── worst case: one long "word" ──────────────────────────────────────────────────────────────
const word = (n: number): string =>
  Array.from({ length: n }, (_, i) => String.fromCharCode(97 + ((i * 7) % 26))).join('')
{
  const jsRaw = new Tiktoken(o200kRanks)
  const t4 = timeMs(() => jsRaw.encode(word(4096), [], []))
  const t8 = timeMs(() => jsRaw.encode(word(8192), [], []))
  // Quadratic: doubling the length quadruples the time; extrapolate rather than wait ~20 s.
  const t16 = t8 * 4
  line('worst js-tiktoken raw, single word 4 KB / 8 KB', `${fmt(t4, 0)} / ${fmt(t8, 0)} ms`)
  line(
    'worst js-tiktoken raw, single word 16 KB (extrapolated ×4)',
    `~${fmt(t16 / 1000, 1)} s ${pass(t16 < BAR.worstMs)}`,
  )
  gptO200k.clearMergeCache()
  const tg = timeMs(() => gptO200k.countTokens(word(16_384), ordinary))
  line('worst gpt-tokenizer raw, single word 16 KB', `${fmt(tg, 0)} ms ${pass(tg < BAR.worstMs)}`)
}
{
  const shapes: Record<string, string> = {
    letters: word(16_384),
    'one letter': 'x'.repeat(16_384),
    CJK: '漢字仮名交じり文'.repeat(2048),
    punctuation: '=-'.repeat(8192),
    whitespace: ' '.repeat(16_383) + 'x',
  }
  for (const backend of ['js-tiktoken', 'gpt-tokenizer'] as TokenizerBackend[]) {
    const tok = tokenizers.get(`${backend}:o200k_base`)!
    const times = Object.entries(shapes).map(([name, text]) => [name, timeMs(() => tok.count(text))] as const)
    const worst = times.reduce((a, b) => (b[1] > a[1] ? b : a))
    line(
      `worst guarded ${backend}, 16 KB single word (5 shapes)`,
      `max ${fmt(worst[1], 1)} ms (${worst[0]}) ${pass(worst[1] < BAR.worstMs)}`,
    )
  }
  // Through the public interface (default backend), first call on a fresh word.
  await estimateTokens('warm-up', 'gpt-4o')
  const t = performance.now()
  const est = await estimateTokens(word(16_384) + 'q', 'gpt-4o')
  const ms = performance.now() - t
  line(
    `worst estimateTokens (${DEFAULT_TOKENIZER_BACKEND}), 16 KB word`,
    `${fmt(ms, 1)} ms, ${est.tokens} tokens ${pass(ms < BAR.worstMs)}`,
  )
}

// ── preview: an 8k-token prompt, counted on every keystroke ──────────────────────────────────
{
  let prompt = mixedCorpus(40_000, 7)
  const chosen = tokenizers.get(`${DEFAULT_TOKENIZER_BACKEND}:o200k_base`)!
  // Trim to ~8,000 tokens.
  while (chosen.count(prompt) > 8_000) prompt = prompt.slice(0, Math.floor(prompt.length * 0.98))
  const tokens = estimateTokensSync(prompt, 'gpt-4o').tokens
  for (const backend of ['js-tiktoken', 'gpt-tokenizer'] as TokenizerBackend[]) {
    const tok = tokenizers.get(`${backend}:o200k_base`)!
    // The chosen backend is measured through the public sync API the browser uses.
    const count =
      backend === DEFAULT_TOKENIZER_BACKEND
        ? (t: string) => estimateTokensSync(t, 'gpt-4o').tokens
        : (t: string) => tok.count(t)
    const typing: number[] = []
    const first: number[] = []
    for (let i = 0; i < 300; i++) {
      // A keystroke changes the end of the prompt; the rest is unchanged.
      const text = prompt + String.fromCharCode(97 + (i % 26))
      typing.push(timeMs(() => count(text)))
    }
    for (let i = 0; i < 50; i++) {
      tok.clearMemo()
      gptO200k.clearMergeCache()
      first.push(timeMs(() => count(prompt)))
    }
    const worst = Math.max(percentile(typing, 99), percentile(first, 99))
    line(
      `preview ${tokens}-token prompt, guarded ${backend}`,
      `typing p50 ${fmt(median(typing), 2)} / p99 ${fmt(percentile(typing, 99), 2)} ms; first count p50 ${fmt(median(first), 2)} / p99 ${fmt(percentile(first, 99), 2)} ms ${pass(worst < BAR.previewMs)} (bar < ${BAR.previewMs} ms)`,
    )
  }
}

// ── verdict ──────────────────────────────────────────────────────────────────────────────────
{
  const chosen = results[`${DEFAULT_TOKENIZER_BACKEND}:o200k_base`]!
  const other = results[`js-tiktoken:o200k_base`]!
  line(
    'chosen backend behind estimateTokens',
    `${DEFAULT_TOKENIZER_BACKEND} (guarded): first pass ${fmt(chosen.cold)} vs js-tiktoken (guarded) ${fmt(other.cold)} MB/s; steady ${fmt(chosen.warm)} vs ${fmt(other.warm)} MB/s`,
  )
}
