import { sql } from 'kysely'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { from as copyFrom, to as copyTo } from 'pg-copy-streams'
import { poolOf, type Db } from '../client'

type Executor = Db

/** Month partitions of the usage log whose month ended before `before` and that are still attached. */
export async function attachedMonthsBefore(db: Executor, before: Date): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select c.relname as name
    from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    join pg_class p on p.oid = i.inhparent
    where p.relname = 'token_usage_logs' and c.relname ~ '^token_usage_logs_[0-9]{4}_[0-9]{2}$'
    order by 1`.execute(db)
  return rows
    .map((r) => `${r.name.slice(-7, -3)}-${r.name.slice(-2)}-01`)
    .filter((month) => {
      const end = new Date(`${month}T00:00:00Z`)
      end.setUTCMonth(end.getUTCMonth() + 1)
      return end <= before
    })
}

export function partitionName(month: string): string {
  if (!/^\d{4}-\d{2}-01$/.test(month)) throw new Error(`Not a month start: ${month}`)
  return `token_usage_logs_${month.slice(0, 4)}_${month.slice(5, 7)}`
}

export async function monthTotals(db: Executor, month: string): Promise<{ rows: string; costUsd: string }> {
  const { rows } = await sql<{ rows: string; costUsd: string }>`
    select count(*)::text as rows, coalesce(sum(cost_usd), 0)::text as "costUsd" from ${sql.table(partitionName(month))}`.execute(
    db,
  )
  return rows[0]!
}

/** Detaches and drops a month partition (after it was archived). */
export async function dropMonthPartition(db: Executor, month: string): Promise<void> {
  const name = sql.table(partitionName(month))
  await sql`alter table token_usage_logs detach partition ${name}`.execute(db)
  await sql`drop table ${name}`.execute(db)
}

export async function recordArchive(
  db: Executor,
  input: { month: string; artefactKey: string; rows: string; costUsd: string },
) {
  await db
    .insertInto('usage_archives')
    .values({ month: input.month, artefact_key: input.artefactKey, row_count: input.rows, cost_usd: input.costUsd })
    .onConflict((oc) =>
      oc.column('month').doUpdateSet({
        artefact_key: input.artefactKey,
        row_count: input.rows,
        cost_usd: input.costUsd,
        archived_at: new Date(),
        restored_at: null,
      }),
    )
    .execute()
}

export async function findArchive(db: Executor, month: string) {
  return db.selectFrom('usage_archives').selectAll().where('month', '=', month).executeTakeFirst()
}

export async function listArchives(db: Executor) {
  return db.selectFrom('usage_archives').selectAll().orderBy('month').execute()
}

export async function markRestored(db: Executor, month: string): Promise<void> {
  await db.updateTable('usage_archives').set({ restored_at: new Date() }).where('month', '=', month).execute()
}

/** The longest retention any team asks for, in months: a shared month partition is kept that long. */
export async function maxRetentionMonths(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('teams')
    .select((eb) => eb.fn.max<number>('retention_months').as('m'))
    .executeTakeFirst()
  return row?.m ?? 24
}

/** Streams a month partition as CSV with a header (every column, table order). */
export async function copyMonthOut(db: Db, month: string): Promise<Readable> {
  const client = await poolOf(db).connect()
  const stream = client.query(copyTo(`copy ${partitionName(month)} to stdout with (format csv, header true)`))
  let released = false
  const release = (error?: Error) => {
    if (!released) {
      released = true
      client.release(error)
    }
  }
  stream.on('end', () => release())
  stream.on('error', (e) => release(e))
  // Closed before the end (the client went away): drop the connection rather than return it to the pool
  // mid-COPY; PostgreSQL then stops the COPY.
  stream.on('close', () => release(new Error('COPY stream closed before the end')))
  return stream
}

/**
 * The CSV's header names the columns it holds; the rest of the stream (header included) follows. An archive
 * written before a migration added columns names fewer than the table has now: those get their defaults.
 */
async function splitHeader(csv: Readable): Promise<{ columns: string[]; body: Readable }> {
  const chunks = csv[Symbol.asyncIterator]() as AsyncIterator<Buffer>
  let head = Buffer.alloc(0)
  let done = false
  while (!done && !head.includes(10)) {
    const next = await chunks.next()
    if (next.done) done = true
    else head = Buffer.concat([head, Buffer.from(next.value)])
  }
  const end = head.indexOf(10)
  const line = head
    .subarray(0, end < 0 ? head.length : end)
    .toString('utf8')
    .replace(/\r$/, '')
  const columns = line.split(',')
  if (columns.some((c) => !/^[a-z_][a-z0-9_]{0,62}$/.test(c)))
    throw new Error('The archive has no CSV header of column names.')
  const body = Readable.from(
    (async function* () {
      yield head
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value
    })(),
  )
  return { columns, body }
}

/** Loads CSV (as written by copyMonthOut) into the month's partition, creating it if needed. */
export async function copyMonthIn(db: Db, month: string, csv: Readable): Promise<void> {
  await sql`select costwise_ensure_usage_partition(${month}::date)`.execute(db)
  const { columns, body } = await splitHeader(csv)
  const client = await poolOf(db).connect()
  try {
    const target = `${partitionName(month)} (${columns.join(', ')})`
    await pipeline(body, client.query(copyFrom(`copy ${target} from stdin with (format csv, header true)`)))
    client.release()
  } catch (error) {
    client.release(error as Error)
    throw error
  }
}
