import { Migrator, NO_MIGRATIONS, sql, type MigrationResultSet } from 'kysely'
import { migrations } from '@costwise/migrations'
import { Logger, runMigrations as runWorkerMigrations } from 'graphile-worker'
import type { Db } from './client'

function migrator(db: Db): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  })
}

function unwrap(result: MigrationResultSet, action: string): string[] {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')
    const where = failed ? ` (in ${failed.migrationName})` : ''
    throw new Error(`Migration ${action} failed${where}: ${String(result.error)}`, { cause: result.error })
  }
  return (result.results ?? []).map((r) => r.migrationName)
}

/**
 * Brings the database to the latest schema: our migrations (Kysely's migrator holds an advisory lock,
 * so several processes may start at once), then graphile-worker's own schema, which `add_job` needs
 * so that jobs can be enqueued in the same transaction as the write they follow.
 */
export async function migrateToLatest(db: Db, connectionString: string): Promise<string[]> {
  const applied = unwrap(await migrator(db).migrateToLatest(), 'to latest')
  await runWorkerMigrations({ connectionString, logger: quietLogger })
  await ensureUsagePartitions(db, new Date())
  return applied
}

export async function migrateDown(db: Db): Promise<string[]> {
  return unwrap(await migrator(db).migrateDown(), 'down')
}

export async function migrateAllDown(db: Db): Promise<string[]> {
  return unwrap(await migrator(db).migrateTo(NO_MIGRATIONS), 'to zero')
}

export async function migrateUpOnly(db: Db): Promise<string[]> {
  return unwrap(await migrator(db).migrateToLatest(), 'to latest')
}

/** Month partitions of the usage log from `monthsBack` before `at` to `monthsAhead` after it. */
export async function ensureUsagePartitions(db: Db, at: Date, monthsBack = 13, monthsAhead = 3): Promise<string[]> {
  const first = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() - monthsBack, 1))
  const names: string[] = []
  for (let i = 0; i <= monthsBack + monthsAhead; i++) {
    const month = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + i, 1))
    const day = month.toISOString().slice(0, 10)
    const { rows } = await sql<{ name: string }>`select costwise_ensure_usage_partition(${day}::date) as name`.execute(
      db,
    )
    names.push(rows[0]!.name)
  }
  return names
}

/**
 * Brings the database to exactly `target` (a migration name): a restore loads a backup into the schema it was
 * taken with, then migrates to the latest. A name this code doesn't know is refused.
 */
export async function migrateTo(
  db: Db,
  connectionString: string,
  target: string | typeof NO_MIGRATIONS,
): Promise<string[]> {
  if (typeof target === 'string' && !(target in migrations)) {
    throw new Error(
      `Unknown migration "${target}": this backup comes from a newer Costwise; restore it with that version.`,
    )
  }
  const applied = unwrap(await migrator(db).migrateTo(target), `to ${String(target)}`)
  await runWorkerMigrations({ connectionString, logger: quietLogger })
  return applied
}

const quietLogger = new Logger(() => () => {})
