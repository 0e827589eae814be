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

export function createDb(connectionString: string, options: CreateDbOptions = {}): Db {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'costwise',
  })
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
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
