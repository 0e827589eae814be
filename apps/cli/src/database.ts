import path from 'node:path'
import { createDb, type Db } from '@costwise/db'
import { startEmbeddedPostgres, stopAbandonedPostgres, type EmbeddedCluster } from '@costwise/db/embedded'
import pg from 'pg'
import type { CliEnv } from './env'

export const EMBEDDED_DATABASE = 'costwise'

export interface Database {
  url: string
  db: Db
  /** The embedded cluster when this process started it (null when using DATABASE_URL or a running one). */
  cluster: EmbeddedCluster | null
  close(): Promise<void>
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 })
  try {
    await client.connect()
    await client.query('select 1')
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => {})
  }
}

/**
 * DATABASE_URL when set; otherwise the embedded PostgreSQL under COSTWISE_DATA_DIR — reusing it when
 * `pnpm start` already runs it, starting it when nothing does.
 */
export async function openDatabase(
  env: CliEnv,
  options: { reset?: boolean; log?: (line: string) => void } = {},
): Promise<Database> {
  const log = options.log ?? (() => {})
  if (env.DATABASE_URL) {
    const db = createDb(env.DATABASE_URL)
    return { url: env.DATABASE_URL, db, cluster: null, close: () => db.destroy() }
  }
  const port = env.EMBEDDED_PG_PORT
  const dataDir = path.join(env.COSTWISE_DATA_DIR, 'postgres')
  // Left running by a `cli start` that was killed along with PostgreSQL's watchdog: stop it before anything reuses it.
  const abandoned = await stopAbandonedPostgres(dataDir)
  if (abandoned) log(`Stopped the embedded PostgreSQL (pid ${abandoned}) left running by a process that is gone.`)
  const running = `postgres://postgres:postgres@127.0.0.1:${port}/${EMBEDDED_DATABASE}`
  if (!options.reset && (await answers(running))) {
    log(`Using the embedded PostgreSQL already running on port ${port}.`)
    const db = createDb(running)
    return { url: running, db, cluster: null, close: () => db.destroy() }
  }
  log(`Starting embedded PostgreSQL on port ${port} (data in ${dataDir})…`)
  const cluster = await startEmbeddedPostgres({ dataDir, port, reset: options.reset })
  await cluster.ensureDatabase(EMBEDDED_DATABASE)
  const url = cluster.url(EMBEDDED_DATABASE)
  const db = createDb(url)
  return {
    url,
    db,
    cluster,
    async close() {
      await db.destroy()
      await cluster.stop()
    },
  }
}
