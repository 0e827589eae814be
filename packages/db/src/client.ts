import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { Database } from './schema'

// int8 (bigint sums, counters) stays a string so nothing loses precision; numeric already does.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v)
// date columns stay 'YYYY-MM-DD' strings: a calendar day has no time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v)

export type Db = Kysely<Database>

export interface CreateDbOptions {
  max?: number
  applicationName?: string
  /**
   * Told about connections lost outside a query (PostgreSQL restarted: "terminating connection due to
   * administrator command"). The pool drops such a connection and opens a new one on the next query, so the
   * process lives on; without a listener, pg's 'error' event would crash it. Default: one line on stderr.
   */
  onIdleError?: (error: Error) => void
}

const pools = new WeakMap<object, pg.Pool>()

export function createDb(connectionString: string, options: CreateDbOptions = {}): Db {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'costwise',
    // A server that doesn't answer (stopped, restarting) fails the query in seconds instead of hanging it.
    connectionTimeoutMillis: 5_000,
  })
  let lastLogged = 0
  const onError =
    options.onIdleError ??
    ((error: Error) => {
      // At most one line a second: a restart drops every connection at once.
      if (Date.now() - lastLogged < 1000) return
      lastLogged = Date.now()
      console.error(`[${options.applicationName ?? 'costwise'}] database connection lost: ${error.message}`)
    })
  // Idle connections report to the pool; a checked-out connection between two queries (inside a transaction)
  // reports to its client. Both need a listener, or pg's 'error' event ends the process. The broken client is
  // not queryable any more: its next query fails (answered 503) and the pool drops it on release.
  pool.on('error', onError)
  pool.on('connect', (client) => client.on('error', onError))
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  pools.set(db, pool)
  return db
}

/** The pg pool behind a Kysely instance made by createDb, for what Kysely can't do (COPY streams). */
export function poolOf(db: Db): pg.Pool {
  const pool = pools.get(db)
  if (!pool) throw new Error('poolOf: this Kysely instance was not made by createDb')
  return pool
}

// SQLSTATE classes and codes that mean "the server is not there right now", not "your query is wrong":
// 08 connection exceptions, 57P01-57P03 admin/crash shutdown and "cannot connect now" (starting up, recovering).
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-3]|53300)$/
const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
])
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down|in recovery mode)|Connection ended unexpectedly/i

/**
 * True when an error (or its cause) says the database can't be reached right now — the caller should answer
 * 503 and try again later, not 500. Used by the API's one error mapping.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (
    let e = error, depth = 0;
    e && typeof e === 'object' && depth < 8;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const { code, message } = e as { code?: unknown; message?: unknown }
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_NODE_CODES.has(code))) return true
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true
    if (e instanceof AggregateError && e.errors.some((inner) => isDatabaseUnavailable(inner))) return true
  }
  return false
}

/** True when the database answers a trivial query within the pool's connect timeout. */
export async function pingDb(db: Db): Promise<boolean> {
  try {
    await db.selectNoFrom((eb) => eb.val(1).as('one')).execute()
    return true
  } catch {
    return false
  }
}
