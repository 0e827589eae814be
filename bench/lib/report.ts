/** Percentiles, timing and the one-line-per-figure report every bench prints. */
import { readFileSync } from 'node:fs'
import os from 'node:os'

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}

export interface Summary {
  n: number
  p50: number
  p95: number
  p99: number
  max: number
  mean: number
}

export function summarize(values: readonly number[]): Summary {
  const mean = values.reduce((s, v) => s + v, 0) / values.length
  return {
    n: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: Math.max(...values),
    mean,
  }
}

export const ms = (v: number): string => (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)) + ' ms'
export const int = (v: number): string => Math.round(v).toLocaleString('en')

export interface Target {
  /** 'max': the value must stay below `limit`; 'min': it must reach at least `limit`; 'zero': it must be 0. */
  kind: 'max' | 'min' | 'zero'
  limit: number
  /** How the limit reads, e.g. "< 10 ms" or "≥ 2,000 events/s". */
  text: string
}
export const below = (limit: number, text: string): Target => ({ kind: 'max', limit, text })
export const atLeast = (limit: number, text: string): Target => ({ kind: 'min', limit, text })
export const zero = (text = 'zero'): Target => ({ kind: 'zero', limit: 0, text })

export interface Figure {
  bench: string
  label: string
  value: number
  shown: string
  target?: Target
  met?: boolean
}

const figures: Figure[] = []

/**
 * Prints one summary line: "label  value — target < X: met (3.1× headroom)" or "… MISSED (needs 1.8× better)".
 * Without a target the line is informational.
 */
export function figure(bench: string, label: string, value: number, shown: string, target?: Target): Figure {
  let verdict = ''
  let met: boolean | undefined
  if (target?.kind === 'zero') {
    met = value === 0
    verdict = ` — target ${target.text}: ${met ? 'met' : 'MISSED'}`
  } else if (target) {
    met = target.kind === 'max' ? value < target.limit : value >= target.limit
    const ratio = target.kind === 'max' ? target.limit / value : value / target.limit
    verdict = met
      ? ` — target ${target.text}: met (${ratio === Infinity ? '∞' : ratio.toFixed(1)}× headroom)`
      : ` — target ${target.text}: MISSED (needs ${(1 / ratio).toFixed(1)}× better)`
  }
  console.log(`${label.padEnd(52)} ${shown}${verdict}`)
  const f = { bench, label, value, shown, target, met }
  figures.push(f)
  return f
}

export function allFigures(): readonly Figure[] {
  return figures
}

/** Machine line for the record: cores, CPU model, Node, memory. */
export function machineLine(): string {
  let cpu = os.cpus()[0]?.model ?? 'unknown CPU'
  try {
    cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu
  } catch {
    /* not Linux */
  }
  return `${os.cpus().length} cores (nproc), ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`
}

export function header(title: string): void {
  console.log(`# ${title}`)
  console.log(`# machine: ${machineLine()}`)
}

/** Calls `fn` `n` times one after another and returns each call's wall time in ms. */
export async function timeEach(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    await fn(i)
    times.push(performance.now() - t)
  }
  return times
}
