/**
 * Deterministic, varied text for tokenizer tests and benchmarks: English prose with a long tail of
 * rare words, source code, JSON, many scripts (Latin with diacritics, Cyrillic, Greek, CJK, Arabic,
 * Hebrew, Devanagari, Thai), emoji with ZWJ sequences, skin tones and flags, numbers, URLs, markdown
 * and odd whitespace. Same seed, same text, on every machine.
 */

import { createRng } from '../../random'

/** A small seeded PRNG (mulberry32, `random.ts`): deterministic across runs and platforms. */
export const seededRandom = createRng

const COMMON_WORDS = (
  'the of and to in a is that for it as was with be by on not he I this are or his from at which but have an they ' +
  'you were her she there been one all we their has would when if so no will more can out into up what about who ' +
  'budget token cost model prompt team usage price invoice month week report alert limit spend forecast latency ' +
  'request response cache input output reasoning provider billing dashboard export analytics gateway estimate ' +
  'However Therefore Meanwhile Costwise OpenAI Anthropic Gemini Mistral DeepSeek Postgres TypeScript JavaScript'
).split(' ')

const SYLLABLES = 'ka lo mi ne ru sa te vo zu pri stra con ment tion ly ing ed er qu ix oph ght str ae ou ei'.split(' ')

const MULTILINGUAL = [
  'Größenwahn über Straßen, Äpfel und Öl — naïve façade, déjà vu, crème brûlée.',
  'El niño comió piñata; ¿dónde está la estación? ¡Qué bien!',
  'Привет, мир! Съешь же ещё этих мягких французских булок, да выпей чаю.',
  'Ξεσκεπάζω την ψυχοφθόρα βδελυγμία. Καλημέρα κόσμε.',
  '我能吞下玻璃而不伤身体。今天的天气很好，我们去公园散步吧。',
  '私はガラスを食べられます。それは私を傷つけません。東京は晴れです。',
  '나는 유리를 먹을 수 있어요. 그래도 아프지 않아요. 안녕하세요 세계',
  'أنا قادر على أكل الزجاج و هذا لا يؤلمني. مرحبا بالعالم',
  'אני יכול לאכול זכוכית וזה לא מזיק לי. שלום עולם',
  'मैं काँच खा सकता हूँ और मुझे उससे कोई चोट नहीं पहुंचती. नमस्ते दुनिया',
  'ฉันกินกระจกได้ แต่มันไม่ทำให้ฉันเจ็บ สวัสดีชาวโลก',
  'Tôi có thể ăn thủy tinh mà không hại gì. Xin chào thế giới',
]

const EMOJI = ['😀', '🚀', '👩‍💻', '👍🏽', '🇩🇪', '🇯🇵', '❤️', '🧑‍🤝‍🧑', '✨', '🔥', '👨‍👩‍👧‍👦', '🏳️‍🌈', '©', '™', '∑', '√2 ≈ 1.414']

const CODE = [
  'export async function fetchUsage(teamId: string, since: Date): Promise<UsageRow[]> {\n  const rows = await db.selectFrom("token_usage_logs").where("team_id", "=", teamId).execute()\n  return rows.map((r) => ({ ...r, cost: usdToNano(r.cost_usd) }))\n}\n',
  'def tokenize(text: str) -> list[int]:\n    """Split text into BPE tokens."""\n    return [rank for piece in PAT.findall(text) for rank in bpe(piece)]\n\n',
  "SELECT team_id, date_trunc('day', occurred_at) AS day, sum(cost_usd)::numeric(20,9)\nFROM token_usage_logs\nWHERE occurred_at >= $1 AND occurred_at < $2\nGROUP BY 1, 2 ORDER BY 2 DESC;\n",
  'for (let i = 0; i < n; i++) {\n\tif (a[i] !== b[i]) return false; // mismatch\n}\n',
  '#include <stdio.h>\nint main(void) { printf("%d\\n", 42); return 0; }\n',
  '<div class="card" data-id="42"><span>Total: $1,234.56</span></div>\n',
  '    if (x == null) {\r\n        throw new IllegalStateException("x");\r\n    }\r\n',
]

function pick<T>(rnd: () => number, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)] as T
}

function rareWord(rnd: () => number): string {
  const n = 2 + Math.floor(rnd() * 4)
  let w = ''
  for (let i = 0; i < n; i++) w += pick(rnd, SYLLABLES)
  return rnd() < 0.15 ? w[0]!.toUpperCase() + w.slice(1) : w
}

function sentence(rnd: () => number): string {
  const n = 6 + Math.floor(rnd() * 18)
  const words: string[] = []
  for (let i = 0; i < n; i++) {
    const r = rnd()
    if (r < 0.72) words.push(pick(rnd, COMMON_WORDS))
    else if (r < 0.9) words.push(rareWord(rnd))
    else if (r < 0.95) words.push(String(Math.floor(rnd() * 100000)))
    else words.push(`${pick(rnd, COMMON_WORDS)}'s`)
  }
  const s = words.join(' ')
  return s[0]!.toUpperCase() + s.slice(1) + pick(rnd, ['.', '.', '.', '?', '!', ';', ':'])
}

function jsonBlock(rnd: () => number): string {
  const obj: Record<string, unknown> = {}
  const n = 2 + Math.floor(rnd() * 6)
  for (let i = 0; i < n; i++) {
    const key = rareWord(rnd)
    const r = rnd()
    obj[key] =
      r < 0.3
        ? Math.round(rnd() * 1e6) / 100
        : r < 0.6
          ? sentence(rnd)
          : r < 0.8
            ? [1, 2, 3].map(() => Math.floor(rnd() * 999))
            : rnd() < 0.5
  }
  return JSON.stringify(obj, null, rnd() < 0.5 ? 2 : undefined)
}

/** One block of mixed content. */
function block(rnd: () => number): string {
  const r = rnd()
  if (r < 0.45) {
    let p = ''
    const n = 2 + Math.floor(rnd() * 5)
    for (let i = 0; i < n; i++) p += (i ? ' ' : '') + sentence(rnd)
    return p + '\n\n'
  }
  if (r < 0.6) return pick(rnd, CODE)
  if (r < 0.7) return jsonBlock(rnd) + '\n'
  if (r < 0.82) return pick(rnd, MULTILINGUAL) + ' ' + pick(rnd, EMOJI) + '\n'
  if (r < 0.88) return `${pick(rnd, EMOJI)}${pick(rnd, EMOJI)} ${sentence(rnd)} ${pick(rnd, EMOJI)}\n`
  if (r < 0.92)
    return `https://example.com/${rareWord(rnd)}/${Math.floor(rnd() * 1e6)}?utm_source=${rareWord(rnd)}&x=1\n`
  if (r < 0.96)
    return `| model | tokens | cost |\n|---|---:|---:|\n| ${rareWord(rnd)} | ${Math.floor(rnd() * 1e5)} | $${(rnd() * 10).toFixed(4)} |\n\n`
  return `${' '.repeat(1 + Math.floor(rnd() * 8))}${pick(rnd, ['- ', '* ', '1. ', '> ', '\t'])}${sentence(rnd)}\n`
}

/** About `chars` UTF-16 code units of mixed text (whole blocks, so slightly more). */
export function mixedCorpus(chars: number, seed = 42): string {
  const rnd = seededRandom(seed)
  const parts: string[] = []
  let length = 0
  while (length < chars) {
    const b = block(rnd)
    parts.push(b)
    length += b.length
  }
  return parts.join('')
}

/** Short samples that exercise the tokenizer's edge cases, one per line of concern. */
export const TOKENIZER_SAMPLES: readonly string[] = [
  '',
  'hello world',
  'Hello, World!',
  "I'm sure it's fine; they've said we'll see, you'd agree. DON'T SHOUT'S",
  '   leading and trailing spaces   ',
  'line one\nline two\r\nline three\n\n\n',
  '\t\ttabs\tand\u00a0non-breaking\u2003spaces',
  '1234567890 3.14159 -42 1e10 0x1F 1,000,000',
  '2026-03-08T02:30:00-05:00',
  ...MULTILINGUAL,
  EMOJI.join(' '),
  '👩‍👩‍👧‍👦👩‍👩‍👧‍👦👩‍👩‍👧‍👦',
  ...CODE,
  '<|endoftext|> and <|im_start|>user<|im_sep|> are plain text here',
  'a'.repeat(300),
  '='.repeat(300),
  'ab'.repeat(200),
  ' '.repeat(100) + 'x',
  'Supercalifragilisticexpialidocious antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis',
  'ÀÉÎÕÜ àéîõü ÇçÑñ ǅǈǋ',
  'e\u0301 vs é (combining acute)',
  '\u{1F600}\u{1F601}\u{1F602} lone surrogate-free 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟘𝟙𝟚',
]
