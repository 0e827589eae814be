import { recordUsage } from '@costwise/api'
import { promptTokenFacts } from '@costwise/core'
import { longSystemMessage, plantedHistory } from '@costwise/core/recommendations/testing/histories'
import { budgets, jobs, teams, users, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadHistory, makeTeam } from '@costwise/api/testing/histories'
import { startWorker, type WorkerHandle } from './runner'
import { startSmtp, until } from './testing'

describe('worker: recommendations, forecasts and anomalies', () => {
  let t: TestDb
  let db: Db
  let smtp: Awaited<ReturnType<typeof startSmtp>>
  let worker: WorkerHandle

  beforeAll(async () => {
    t = await createTestDb()
    db = t.db
    smtp = await startSmtp()
    worker = await startWorker({
      connectionString: t.url,
      pollInterval: 100,
      logLevel: 'silent',
      alertDigestSeconds: 0, // alert emails at once (the digest window has its own test)
      smtpUrl: smtp.url,
      appUrl: 'http://costwise.test',
    })
  })
  afterAll(async () => {
    await worker?.stop()
    await smtp?.close()
    await t?.destroy()
  })

  it('the nightly schedule refreshes every team’s recommendations', async () => {
    const now = new Date()
    const policy = await promptTokenFacts({
      systemMessage: longSystemMessage(3000),
      userMessage: 'Question: {{question}}',
      model: 'claude-haiku-4-5',
    })
    const scope = await makeTeam(db, 'nightly')
    await loadHistory(db, scope, plantedHistory({ now, policyPrefixTokens: policy.staticPrefixTokens }), now)
    await jobs.enqueueJob(db, 'recommendation__schedule_nightly', {})
    const kinds = await until(async () => {
      const rows = await db.selectFrom('recommendations').select('kind').where('team_id', '=', scope.team.id).execute()
      return rows.length >= 4 && rows.map((r) => r.kind).sort()
    })
    expect(kinds).toEqual(expect.arrayContaining(['batch_api', 'cheaper_model', 'prompt_caching', 'unpriced_model']))
    expect(
      await db.selectFrom('prompt_scores').select('prompt_id').where('team_id', '=', scope.team.id).execute(),
    ).toHaveLength(3)
  })

  it('the hourly schedule checks forecasts: a budget about to run out emails its owners once', async () => {
    const team = await teams.insertTeam(db, { slug: 'forecasting', name: 'Forecasting', timeZone: 'UTC' })
    const owner = await users.insertUser(db, { email: 'owner@forecast.test', name: 'Owner', passwordHash: 'x' })
    await teams.upsertMember(db, team.id, owner.id, 'owner')
    const scope = { ...team, role: 'admin' as const, userId: null, apiKeyId: null }
    const at = new Date('2026-11-16T06:00:00Z')
    // $5 a day for six weeks (gpt-4o output, $10 per 1M tokens), always at noon.
    const events = Array.from({ length: 42 }, (_, i) => ({
      model: 'gpt-4o',
      inputTokens: 0,
      outputTokens: 500_000,
      occurredAt: new Date(Date.UTC(2026, 9, 5 + i, 12)).toISOString(),
    }))
    await recordUsage(db, scope, events, at)
    // November so far: 15 days × $5 = $75; at $5 a day a $100 limit runs out on the 20th.
    await budgets.insertBudget(
      db,
      team.id,
      {
        name: 'November cap',
        scope: 'team',
        scopeUserId: null,
        scopeApiKeyId: null,
        scopePromptId: null,
        period: 'month',
        timeZone: null,
        limitUsd: '100',
        mode: 'hard',
        thresholds: [50, 80, 100],
        active: true,
      },
      { start: new Date('2026-11-01T00:00:00Z'), spentUsd: '75' },
    )
    await jobs.enqueueJob(db, 'forecast__schedule_hourly', { _cron: { ts: at.toISOString() } })
    const mail = await until(async () => smtp.received.find((m) => m.to[0] === 'owner@forecast.test'))
    const body = mail.body.replace(/=\r?\n/g, '') // undo quoted-printable line wrapping
    expect(body).toContain('reaches its limit on 2026-11-20, before its period ends')
    expect(body).toContain('See the budget: http://costwise.test/dashboard/budget-settings')
    // Once per period: the next hour's check adds nothing.
    await jobs.enqueueJob(db, 'forecast__check_team', {
      teamId: team.id,
      at: new Date(at.getTime() + 3_600_000).toISOString(),
    })
    await until(async () => (await jobs.listPendingJobs(db)).filter((j) => j.task !== 'alert__notify').length === 0)
    await until(async () => (await jobs.listPendingJobs(db, 'alert__notify')).length === 0)
    const forecastAlerts = await db.selectFrom('usage_alerts').select('kind').where('team_id', '=', team.id).execute()
    expect(forecastAlerts).toEqual([{ kind: 'budget_forecast' }])
    expect(smtp.received.filter((m) => m.to[0] === 'owner@forecast.test')).toHaveLength(1)
  })
})
