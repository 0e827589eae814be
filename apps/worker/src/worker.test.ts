import { jobs, teams, usage, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWorker, type WorkerHandle } from './runner'
import { until } from './testing'

describe('worker: the daily rollup path', () => {
  let t: TestDb
  let db: Db
  let worker: WorkerHandle | null = null
  let teamId: string

  beforeAll(async () => {
    t = await createTestDb()
    db = t.db
    // A team in a non-UTC zone: its local day 2026-11-01 (DST ends in New York that day: 25 hours).
    teamId = (await teams.insertTeam(db, { slug: 'ny-team', name: 'NY', timeZone: 'America/New_York' })).id
    const row = (occurredAt: string, cost: string) => ({
      team_id: teamId,
      occurred_at: new Date(occurredAt),
      provider: 'openai',
      model: 'gpt-4o-mini',
      priced: true,
      input_tokens: 1000,
      output_tokens: 100,
      cost_usd: cost,
    })
    await usage.insertUsageRows(db, [
      row('2026-11-01T04:30:00Z', '0.000210000'), // 00:30 EDT, Nov 1: in
      row('2026-11-01T12:00:00Z', '0.000150000'), // in
      row('2026-11-02T04:30:00Z', '0.000100000'), // 23:30 EST, Nov 1: in (the 25th hour)
      row('2026-11-02T05:30:00Z', '9.000000000'), // 00:30 EST, Nov 2: out
      row('2026-11-01T03:30:00Z', '7.000000000'), // 23:30 EDT, Oct 31: out
    ])
  })
  afterAll(async () => {
    await worker?.stop()
    await t.destroy()
  })

  it('a job added in a rolled-back transaction never exists', async () => {
    await expect(
      db.transaction().execute(async (trx) => {
        await jobs.enqueueJob(trx, 'rollup__rebuild_day', { teamId, day: '2026-11-01' })
        throw new Error('rollback')
      }),
    ).rejects.toThrow('rollback')
    expect(await jobs.listPendingJobs(db, 'rollup__rebuild_day')).toHaveLength(0)
  })

  it('rebuilds a local day exactly, across the DST change, through a real worker', async () => {
    await db.transaction().execute(async (trx) => {
      await jobs.enqueueJob(
        trx,
        'rollup__rebuild_day',
        { teamId, day: '2026-11-01' },
        {
          jobKey: `rollup__rebuild_day:${teamId}:2026-11-01`,
        },
      )
    })
    worker = await startWorker({ connectionString: t.url, concurrency: 2, pollInterval: 100, logLevel: 'silent' })
    const rows = await until(async () => {
      const r = await usage.dailyUsage(db, teamId, '2026-10-31', '2026-11-02')
      return r.length > 0 && r
    })
    expect(rows).toEqual([
      { day: '2026-11-01', costUsd: '0.000460000', inputTokens: '3000', outputTokens: '300', runs: '3' },
    ])
    await until(async () => (await jobs.listPendingJobs(db, 'rollup__rebuild_day')).length === 0)
  })

  it('the crontab is registered with explicit ids', async () => {
    const { rows } = await until(async () => {
      const r = await sql<{
        identifier: string
      }>`select identifier from graphile_worker._private_known_crontabs order by 1`.execute(db)
      return r.rows.length >= 11 && r
    })
    expect(rows.map((r) => r.identifier)).toEqual([
      'alert_sweep',
      'budget_request_expire',
      'forecast_hourly',
      'partition_archive',
      'partition_monthly',
      'rate_limit_sweep',
      'recommendation_nightly',
      'report_queue_due',
      'report_sweep',
      'reservation_expire',
      'rollup_daily',
    ])
  })
})
