import { AppError } from '@costwise/core'

/** Keys that mean something to JavaScript objects; never data. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])
/** No input of ours nests deeper than this (metadata is bounded tighter by its own schema). */
export const MAX_INPUT_DEPTH = 64

function fieldName(path: readonly (string | number)[]): string {
  return path.length ? path.join('.') : 'input'
}

/**
 * Checks raw input before any schema or handler sees it, without recursion (a body nested 10,000 deep must
 * not overflow the stack): no NUL character in any string or key (PostgreSQL rejects them in text and jsonb),
 * no `__proto__`/`constructor`/`prototype` keys, nesting at most {@link MAX_INPUT_DEPTH}. The error names the
 * field at fault; the top-level field for nesting, since the path itself is the problem.
 */
export function checkRawInput(input: unknown): AppError | null {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: input, path: [] }]
  while (stack.length > 0) {
    const { value, path } = stack.pop()!
    if (typeof value === 'string') {
      if (value.includes('\u0000')) {
        const field = fieldName(path)
        return new AppError('BAD_INPUT', `${field}: must not contain NUL characters (\\u0000).`, { field })
      }
      continue
    }
    if (value === null || typeof value !== 'object') continue
    if (path.length >= MAX_INPUT_DEPTH) {
      const field = fieldName(path.slice(0, path.findIndex((p) => typeof p === 'string' && p !== 'events') + 1 || 1))
      return new AppError('BAD_INPUT', `${field}: nested more than ${MAX_INPUT_DEPTH} levels deep.`, { field })
    }
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, i] })
      continue
    }
    for (const key of Object.keys(value)) {
      const keyPath = [...path, key]
      if (key.includes('\u0000')) {
        const field = fieldName(path)
        return new AppError('BAD_INPUT', `${field}: keys must not contain NUL characters (\\u0000).`, { field })
      }
      if (FORBIDDEN_KEYS.has(key)) {
        const field = fieldName(keyPath)
        return new AppError('BAD_INPUT', `${field}: "${key}" is not allowed as a key.`, { field })
      }
      stack.push({ value: (value as Record<string, unknown>)[key], path: keyPath })
    }
  }
  return null
}

/**
 * Size and depth of a JSON value, counted without recursion and without serialising it (JSON.stringify recurses
 * and throws on deep input). Stops counting once `maxBytes` is passed. Bytes are an upper-bound estimate of the
 * serialised size (strings counted as UTF-16 code units plus quotes).
 */
export function jsonShape(value: unknown, maxBytes: number): { bytes: number; depth: number } {
  let bytes = 0
  let depth = 0
  const stack: { value: unknown; level: number }[] = [{ value, level: 0 }]
  while (stack.length > 0 && bytes <= maxBytes) {
    const item = stack.pop()!
    depth = Math.max(depth, item.level)
    const v = item.value
    if (typeof v === 'string') bytes += v.length + 2
    else if (typeof v === 'number' || typeof v === 'boolean' || v === null) bytes += String(v).length
    else if (Array.isArray(v)) {
      bytes += 2 + v.length
      for (const x of v) stack.push({ value: x, level: item.level + 1 })
    } else if (typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>)
      bytes += 2 + entries.length
      for (const [k, x] of entries) {
        bytes += k.length + 3
        stack.push({ value: x, level: item.level + 1 })
      }
    }
  }
  return { bytes, depth }
}
