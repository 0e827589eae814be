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
}

const pools = new WeakMap<object, pg.Pool>()

export function createDb(connectionString: string, options: CreateDbOptions = {}): Db {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'costwise',
  })
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

/** True when the database answers a trivial query within the pool's connect timeout. */
export async function pingDb(db: Db): Promise<boolean> {
  try {
    await db.selectNoFrom((eb) => eb.val(1).as('one')).execute()
    return true
  } catch {
    return false
  }
}
