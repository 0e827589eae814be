import { once } from 'node:events'
import { createReadStream, createWriteStream, renameSync, rmSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { pipeline } from 'node:stream/promises'
import { createGunzip, createGzip } from 'node:zlib'
import { AppError } from '@costwise/core'
import { backup, type Db } from '@costwise/db'

// `cli backup --out FILE` / `cli restore --from FILE`: every row of the application's tables, in one consistent
// snapshot, as a gzip'd file of COPY text sections:
//   COSTWISE-BACKUP 1
//   {"createdAt":…,"migrations":[…],"months":[…],"tables":[{"name":…,"columns":[…]},…]}
//   \table <name>        then the table's COPY rows, then \.      (for each table, parents first)
//   \end {"rows":{"<table>":<count>,…}}

const MAGIC = 'COSTWISE-BACKUP 1'

interface Header {
  createdAt: string
  migrations: string[]
  months: string[]
  tables: backup.BackupTable[]
}

export interface BackupResult {
  file: string
  tables: number
  rows: Record<string, number>
  bytes: number
}

export async function backupTo(db: Db, file: string): Promise<BackupResult> {
  const tables = await backup.backupTables(db)
  const header: Header = {
    createdAt: new Date().toISOString(),
    migrations: await backup.appliedMigrations(db),
    months: await backup.usagePartitionMonths(db),
    tables,
  }
  // Written beside the target and renamed at the end: a failed backup never leaves a half file under FILE.
  const partial = `${file}.partial`
  const gzip = createGzip()
  const out = createWriteStream(partial)
  const written = pipeline(gzip, out)
  const write = async (text: string) => {
    if (!gzip.write(text)) await once(gzip, 'drain')
  }
  try {
    const rows: Record<string, number> = {}
    await write(`${MAGIC}\n${JSON.stringify(header)}\n`)
    await backup.inSnapshot(db, async (copyOut) => {
      for (const table of tables) {
        await write(`\\table ${table.name}\n`)
        rows[table.name] = await copyOut(table, gzip)
        await write('\\.\n')
      }
    })
    await write(`\\end ${JSON.stringify({ rows })}\n`)
    gzip.end()
    await written
    renameSync(partial, file)
    return { file, tables: tables.length, rows, bytes: out.bytesWritten }
  } catch (error) {
    gzip.destroy()
    rmSync(partial, { force: true })
    throw error
  }
}

export async function restoreFrom(db: Db, url: string, file: string): Promise<Record<string, number>> {
  // Into an empty database only: nothing is overwritten (and the audit log can't be emptied, by design).
  if (!(await backup.isEmpty(db))) {
    throw new AppError(
      'CONFLICT',
      'This database already has data. Restore into an empty database: a new one for DATABASE_URL, or for the embedded server stop Costwise and move COSTWISE_DATA_DIR/postgres aside first.',
      { field: 'from' },
    )
  }
  const input = createReadStream(file).pipe(createGunzip())
  const lines = createInterface({ input, crlfDelay: Infinity })[Symbol.asyncIterator]()
  const next = async (what: string): Promise<string> => {
    const { value, done } = await lines.next()
    if (done)
      throw new AppError('BAD_INPUT', `${file} ends early (expected ${what}); it is not a complete Costwise backup.`, {
        field: 'from',
      })
    return value as string
  }
  if ((await next('the header')) !== MAGIC) {
    throw new AppError('BAD_INPUT', `${file} is not a Costwise backup (made by \`cli backup\`).`, { field: 'from' })
  }
  const header = JSON.parse(await next('the header')) as Header
  try {
    return await backup.restoreTables(db, url, {
      migrations: header.migrations,
      months: header.months,
      tables: header.tables,
      async *rowsOf(table) {
        const start = await next(`the rows of ${table.name}`)
        if (start !== `\\table ${table.name}`)
          throw new Error(`${file}: expected the rows of ${table.name}, found "${start.slice(0, 60)}"`)
        for (
          let line = await next(`the end of ${table.name}`);
          line !== '\\.';
          line = await next(`the end of ${table.name}`)
        )
          yield line
      },
      async expectedRows() {
        const end = await next('the end marker')
        if (!end.startsWith('\\end ')) throw new Error(`${file}: expected the end marker, found "${end.slice(0, 60)}"`)
        return (JSON.parse(end.slice(5)) as { rows: Record<string, number> }).rows
      },
    })
  } finally {
    input.destroy()
  }
}
