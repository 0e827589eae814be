import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb, type Db } from './client'
import { dropDatabase, ensureDatabase } from './databases'
import { migrateAllDown, migrateToLatest, migrateUpOnly } from './migrate'
import { testAdminUrl } from './test-db'
import { withDatabase } from './url'

// A schema fingerprint: every column, constraint and index of the public schema.
async function schemaSnapshot(db: Db): Promise<string[]> {
  const columns = await sql<{ line: string }>`
    select table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' ||
           coalesce(column_default, '') as line
    from information_schema.columns where table_schema = 'public' order by 1`.execute(db)
  const constraints = await sql<{ line: string }>`
    select conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) as line
    from pg_constraint where connamespace = 'public'::regnamespace order by 1`.execute(db)
  const indexes = await sql<{ line: string }>`
    select indexdef as line from pg_indexes where schemaname = 'public' order by 1`.execute(db)
  return [...columns.rows, ...constraints.rows, ...indexes.rows].map((r) => r.line)
}

describe('migrations', () => {
  const name = `migrate_${Date.now()}`
  let db: Db
  let url: string

  beforeAll(async () => {
    await ensureDatabase(testAdminUrl(), name)
    url = withDatabase(testAdminUrl(), name)
    db = createDb(url, { max: 2 })
  })
  afterAll(async () => {
    await db.destroy()
    await dropDatabase(testAdminUrl(), name)
  })

  it('up → down → up leaves the same schema', async () => {
    const applied = await migrateToLatest(db, url)
    expect(applied.length).toBeGreaterThan(0)
    const first = await schemaSnapshot(db)
    expect(first.some((l) => l.startsWith('token_usage_logs.cost_usd numeric'))).toBe(true)

    await migrateAllDown(db)
    const empty = await sql<{ n: number }>`
      select count(*)::int as n from information_schema.tables
      where table_schema = 'public' and table_name not like 'kysely_%'`.execute(db)
    expect(empty.rows[0]!.n).toBe(0)

    await migrateUpOnly(db)
    // migrateToLatest also adds month partitions; compare like with like by running it again.
    await migrateToLatest(db, url)
    expect(await schemaSnapshot(db)).toEqual(first)
  })

  it('is idempotent when several processes migrate at once', async () => {
    const results = await Promise.all([migrateToLatest(db, url), migrateToLatest(db, url)])
    expect(results.flat()).toEqual([])
  })
})
