import pg from 'pg'

// Creating and dropping databases on a server: production code (the CLI's `start` and backups, tests' per-file
// copies) uses these against any PostgreSQL, embedded or not, so they live apart from ./embedded.ts.

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
