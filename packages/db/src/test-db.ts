import { randomBytes } from 'node:crypto'
import { inject } from 'vitest'
import { createDb, type Db } from './client'
import { dropDatabase, ensureDatabase } from './databases'
import { withDatabase } from './url'

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string
    pgTemplateDatabase: string
  }
}

export interface TestDb {
  db: Db
  url: string
  name: string
  destroy(): Promise<void>
}

/**
 * A fresh, migrated database for one test file: a copy of the template the global setup migrated,
 * so each file starts from the same schema in milliseconds and files never see each other's rows.
 */
export async function createTestDb(): Promise<TestDb> {
  const adminUrl = inject('pgAdminUrl')
  const template = inject('pgTemplateDatabase')
  const name = `test_${randomBytes(6).toString('hex')}`
  await ensureDatabase(adminUrl, name, template)
  const url = withDatabase(adminUrl, name)
  const db = createDb(url, { max: 20 })
  return {
    db,
    url,
    name,
    async destroy() {
      await db.destroy()
      await dropDatabase(adminUrl, name)
    },
  }
}

/** The admin connection of the test cluster, for tests that create their own databases. */
export function testAdminUrl(): string {
  return inject('pgAdminUrl')
}
