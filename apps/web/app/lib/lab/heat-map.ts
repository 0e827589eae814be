import { templateSegments } from '@costwise/core/prompts/template'

// Which parts of a prompt cost the most tokens: each message is split into its variables' values and its
// literal text, and long literal text into paragraph blocks. Pure; the counter is passed in (the Lab passes
// the loaded tokenizer, tests a fake), so the shading logic is testable without the ranks.

export interface HeatSegment {
  id: string
  message: 'system' | 'user'
  kind: 'text' | 'variable'
  /** A variable's name, or a short label for a text block. */
  label: string
  text: string
  tokens: number
  /** Share of the prompt's tokens (0–1), for display. */
  share: number
  /** Shade 0 (cheapest) to 4 (costliest), relative to the costliest segment. */
  level: 0 | 1 | 2 | 3 | 4
}

export interface HeatMapOptions {
  /** Literal text is split at blank lines into blocks; shorter paragraphs stay with their neighbours. Default 1. */
  minBlockTokens?: number
}

function blocks(text: string): string[] {
  // Keep the separators with the preceding block so the blocks join back to the text exactly.
  const parts = text.split(/(\n\s*\n)/)
  const out: string[] = []
  for (let i = 0; i < parts.length; i += 2) {
    const piece = (parts[i] ?? '') + (parts[i + 1] ?? '')
    if (piece) out.push(piece)
  }
  return out
}

function labelOf(text: string): string {
  const line = text.trim().split('\n')[0] ?? ''
  return line.length > 40 ? `${line.slice(0, 39)}…` : line || '(blank)'
}

/** Shade for a count relative to the largest: 0 for nothing, else 1–4 by quarter. */
export function heatLevel(tokens: number, max: number): HeatSegment['level'] {
  if (tokens <= 0 || max <= 0) return 0
  return Math.min(4, Math.max(1, Math.ceil((tokens / max) * 4))) as HeatSegment['level']
}

export function promptHeatMap(
  messages: { role: 'system' | 'user'; template: string }[],
  variables: Readonly<Record<string, string>>,
  count: (text: string) => number,
  options: HeatMapOptions = {},
): HeatSegment[] {
  const minBlock = options.minBlockTokens ?? 1
  const raw: Omit<HeatSegment, 'share' | 'level'>[] = []
  for (const { role, template } of messages) {
    templateSegments(template, variables).forEach((segment, s) => {
      if (segment.kind === 'variable') {
        raw.push({
          id: `${role}-${s}`,
          message: role,
          kind: 'variable',
          label: `{{${segment.name}}}`,
          text: segment.text,
          tokens: count(segment.text),
        })
        return
      }
      let pending = ''
      let b = 0
      for (const block of blocks(segment.text)) {
        pending += block
        const tokens = count(pending)
        if (tokens >= minBlock) {
          raw.push({
            id: `${role}-${s}-${b++}`,
            message: role,
            kind: 'text',
            label: labelOf(pending),
            text: pending,
            tokens,
          })
          pending = ''
        }
      }
      if (pending)
        raw.push({
          id: `${role}-${s}-${b}`,
          message: role,
          kind: 'text',
          label: labelOf(pending),
          text: pending,
          tokens: count(pending),
        })
    })
  }
  const total = raw.reduce((sum, r) => sum + r.tokens, 0)
  const max = raw.reduce((m, r) => Math.max(m, r.tokens), 0)
  return raw.map((r) => ({ ...r, share: total === 0 ? 0 : r.tokens / total, level: heatLevel(r.tokens, max) }))
}

/** The costliest segments first (for the list beside the map). */
export function topSegments(segments: readonly HeatSegment[], n = 5): HeatSegment[] {
  return [...segments]
    .filter((s) => s.tokens > 0)
    .sort((a, b) => b.tokens - a.tokens)
    .slice(0, n)
}
