/**
 * Counts (and, on request, records) the SQL statements this process sends — every pg Client.query call, pooled
 * or not — so a bench can print "statements per event" and EXPLAIN exactly what a service function ran.
 */
import { createRequire } from 'node:module'
import path from 'node:path'
import { REPO_ROOT } from './pg'

export interface Recorded {
  text: string
  values: unknown[]
}

let count = 0
let recording: Recorded[] | null = null
let installed = false

function install(): void {
  if (installed) return
  // The pg that @costwise/db uses (resolved from its folder, not ours).
  const require = createRequire(path.join(REPO_ROOT, 'packages/db/package.json'))
  const pg = require('pg') as { Client: { prototype: { query: (...args: unknown[]) => unknown } } }
  const original = pg.Client.prototype.query
  pg.Client.prototype.query = function (this: unknown, ...args: unknown[]) {
    count++
    if (recording) {
      const [first, second] = args as [unknown, unknown]
      const text = typeof first === 'string' ? first : ((first as { text?: string })?.text ?? '')
      const values = Array.isArray(second) ? second : ((first as { values?: unknown[] })?.values ?? [])
      recording.push({ text, values })
    }
    return original.apply(this, args)
  }
  installed = true
}

export function countStatements(): { read(): number } {
  install()
  return { read: () => count }
}

/** The statements `fn` sent, in order. */
export async function recordStatements(fn: () => Promise<unknown>): Promise<Recorded[]> {
  install()
  const mine: Recorded[] = []
  recording = mine
  try {
    await fn()
  } finally {
    recording = null
  }
  return mine
}
