import { mkdirSync, mkdtempSync } from 'node:fs'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { createDb } from '../client'
import { dropDatabase, ensureDatabase } from '../databases'
import { startEmbeddedPostgres, type EmbeddedCluster } from '../embedded'
import { migrateToLatest } from '../migrate'
import { withDatabase } from '../url'
import { freePort } from './ports'
import type {} from '../test-db'

export const TEMPLATE_DATABASE = 'costwise_template'

// Several Vitest projects name this file; they share one cluster for the whole run.
interface Shared {
  starting?: Promise<{ cluster: EmbeddedCluster | null; adminUrl: string }>
  users: number
}
const shared: Shared = ((globalThis as Record<string, unknown>).__costwiseTestPg as Shared | undefined) ?? {
  users: 0,
}
;(globalThis as Record<string, unknown>).__costwiseTestPg = shared

async function start(): Promise<{ cluster: EmbeddedCluster | null; adminUrl: string }> {
  // TEST_DATABASE_URL points the suite at an existing server (its user must be allowed to create databases).
  const external = process.env.TEST_DATABASE_URL
  let cluster: EmbeddedCluster | null = null
  let adminUrl: string
  if (external) {
    adminUrl = external
  } else {
    const root = path.resolve(new URL('../../../../.data', import.meta.url).pathname)
    mkdirSync(root, { recursive: true })
    const dataDir = mkdtempSync(path.join(root, 'test-pg-'))
    // A throwaway cluster: durability off for speed (the app's clusters never do this).
    cluster = await startEmbeddedPostgres({ dataDir, port: await freePort(), ephemeral: true, unsafeNoFsync: true })
    adminUrl = cluster.url('postgres')
  }
  const templateUrl = withDatabase(adminUrl, TEMPLATE_DATABASE)
  await dropDatabase(adminUrl, TEMPLATE_DATABASE)
  await ensureDatabase(adminUrl, TEMPLATE_DATABASE)
  const db = createDb(templateUrl, { max: 2 })
  try {
    await migrateToLatest(db, templateUrl)
  } finally {
    await db.destroy()
  }
  return { cluster, adminUrl }
}

export default async function setup(project: TestProject) {
  shared.users += 1
  shared.starting ??= start()
  const { adminUrl } = await shared.starting
  project.provide('pgAdminUrl', adminUrl)
  project.provide('pgTemplateDatabase', TEMPLATE_DATABASE)
  return async () => {
    shared.users -= 1
    if (shared.users > 0) return
    const started = await shared.starting
    shared.starting = undefined
    await started?.cluster?.stop()
  }
}
