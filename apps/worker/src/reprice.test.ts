import { addCustomPrice, queueRepriceUnpriced, recordUsage } from '@costwise/api'
import { teams, tracking, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWorker, type WorkerHandle } from './runner'
import { until } from './testing'

describe('usage__reprice_unpriced', () => {
  let t: TestDb
  let db: Db
  let worker: WorkerHandle

  beforeAll(async () => {
    t = await createTestDb()
    db = t.db
    worker = await startWorker({ connectionString: t.url, pollInterval: 100, logLevel: 'silent' })
  })
  afterAll(async () => {
    await worker.stop()
    await t.destroy()
  })

  it('prices the rows of a model that had no price, once an admin adds one in the app', async () => {
    const team = await teams.insertTeam(db, { slug: 'reprice', name: 'Reprice' })
    const scope = { ...team, role: 'admin' as const, userId: null, apiKeyId: null }
    await recordUsage(db, scope, [{ model: 'acme-internal-llm', inputTokens: 1_000_000, outputTokens: 1_000_000 }])
    expect(await tracking.unpricedModels(db, team.id)).toHaveLength(1)
    await addCustomPrice(db, scope, {
      model: 'acme-internal-llm',
      inputPerMTok: '1',
      outputPerMTok: '3',
      effectiveFrom: '2020-01-01',
    })
    expect(await queueRepriceUnpriced(db, scope)).toEqual({ queued: true, unpricedRows: 1 })
    await until(async () => (await tracking.unpricedModels(db, team.id)).length === 0)
    const row = await db
      .selectFrom('token_usage_logs')
      .select(['cost_usd', 'priced'])
      .where('team_id', '=', team.id)
      .executeTakeFirstOrThrow()
    expect(row.priced).toBe(true)
    expect(Number(row.cost_usd)).toBe(4)
  })
})
