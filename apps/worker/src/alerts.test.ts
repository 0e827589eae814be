import { recordUsage } from '@costwise/api'
import { email, jobs, notifications, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMailer, type Mailer } from './mail'
import { startWorker, type WorkerHandle } from './runner'
import { alertNotify } from './tasks/alert__notify'
import { startSmtp, teamWithDollarBudget, until } from './testing'

describe('alert emails', () => {
  let t: TestDb
  let db: Db
  let smtp: Awaited<ReturnType<typeof startSmtp>>
  let worker: WorkerHandle
  let teamId: string
  let scope: Awaited<ReturnType<typeof teamWithDollarBudget>>['scope']

  beforeAll(async () => {
    t = await createTestDb()
    db = t.db
    smtp = await startSmtp()
    const made = await teamWithDollarBudget(
      db,
      'alerting',
      [
        ['owner@a.test', 'owner'],
        ['admin@a.test', 'admin'],
        ['member@a.test', 'member'],
      ],
      { thresholds: [50, 100] },
    )
    teamId = made.team.id
    scope = made.scope
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
    await worker.stop()
    await smtp.close()
    await t.destroy()
  })

  it('emails the owners and admins once per threshold crossed', async () => {
    // gpt-4o-mini input: $0.15 per 1M tokens. 4M = $0.60 → crosses 50 %.
    await recordUsage(db, scope, [{ model: 'gpt-4o-mini', inputTokens: 4_000_000, outputTokens: 0 }])
    await until(async () => smtp.received.length >= 2 && smtp.received)
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(['admin@a.test', 'owner@a.test'])
    expect(smtp.received[0]!.body).toContain('reached 50%')
    expect(smtp.received[0]!.body).toContain('http://costwise.test/dashboard/alerts')

    // The same alert's job again (a retry after a crash) sends nothing new.
    const [alert] = await db.selectFrom('usage_alerts').select('id').execute()
    await jobs.enqueueJob(db, 'alert__notify', { alertId: alert!.id })
    await until(async () => (await jobs.listPendingJobs(db, 'alert__notify')).length === 0)
    await new Promise((r) => setTimeout(r, 300))
    expect(smtp.received).toHaveLength(2)

    const log = await email.listEmails(db, teamId)
    expect(log.map((m) => m.status)).toEqual(['sent', 'sent'])
    const stats = await email.deliveryStats(db, teamId)
    expect(stats).toMatchObject({ attempts: '2', succeeded: '2' })
  })

  it('sends one digest per recipient when one call crosses several thresholds, not thresholds × recipients', async () => {
    const { team, scope } = await teamWithDollarBudget(
      db,
      'digest',
      [
        ['owner@d.test', 'owner'],
        ['admin@d.test', 'admin'],
      ],
      { thresholds: [50, 80, 100], mode: 'hard' },
    )
    const before = smtp.received.length
    // 7M gpt-4o-mini input tokens = $1.05 of a $1 budget: 50 %, 80 % and 100 % crossed by one call.
    await recordUsage(db, scope, [{ model: 'gpt-4o-mini', inputTokens: 7_000_000, outputTokens: 0 }])
    await until(
      async () =>
        (
          await db
            .selectFrom('usage_alerts')
            .select('id')
            .where('team_id', '=', team.id)
            .where('notified_at', 'is', null)
            .execute()
        ).length === 0,
    )
    await until(async () => (await jobs.listPendingJobs(db, 'alert__notify')).length === 0)

    const mine = smtp.received.slice(before).filter((m) => m.to[0]!.endsWith('@d.test'))
    expect(mine.map((m) => m.to[0]).sort()).toEqual(['admin@d.test', 'owner@d.test'])
    for (const m of mine) {
      expect(m.body).toContain('3 alerts')
      for (const pct of ['50%', '80%', '100%']) expect(m.body).toContain(`reached ${pct}`)
    }
    const log = await email.listEmails(db, team.id)
    expect(log).toHaveLength(2)
    expect(log.every((m) => m.status === 'sent')).toBe(true)
    // Each person still gets one in-app notice per alert.
    const ids = await db.selectFrom('usage_alerts').select('id').where('team_id', '=', team.id).execute()
    expect(ids).toHaveLength(3)
    const notices = await notifications.listByPrefix(db, 'alert:')
    expect(notices.filter((n) => ids.some((a) => n.dedupeKey.startsWith(`alert:${a.id}:`)))).toHaveLength(6)

    // The sweep or a retry of the same alerts sends nothing new.
    await jobs.enqueueJob(
      db,
      'alert__notify',
      ids.map((a) => ({ alertId: a.id })),
    )
    await until(async () => (await jobs.listPendingJobs(db, 'alert__notify')).length === 0)
    expect(await email.listEmails(db, team.id)).toHaveLength(2)
  })
})

describe('the alert digest window', () => {
  // No worker here: the notification job is run by hand at chosen moments, so the window is tested without waiting.
  let t: TestDb
  let db: Db
  let smtp: Awaited<ReturnType<typeof startSmtp>>
  let mailer: Mailer

  beforeAll(async () => {
    t = await createTestDb()
    db = t.db
    smtp = await startSmtp()
    mailer = createMailer({ smtpUrl: smtp.url, from: 'Costwise <alerts@costwise.test>' })
  })
  afterAll(async () => {
    mailer.close()
    await smtp.close()
    await t.destroy()
  })

  it('sends alerts fired by separate calls within the window as one digest per recipient, in-app notices at once', async () => {
    const { team, scope } = await teamWithDollarBudget(
      db,
      'window',
      [
        ['owner@w.test', 'owner'],
        ['admin@w.test', 'admin'],
      ],
      { thresholds: [50, 80] },
    )
    const window = { digestWindowMs: 60_000 }
    const pending = async () => {
      const list = await jobs.listPendingJobs(db, 'alert__notify')
      expect(list).toHaveLength(1)
      return list[0]!
    }
    const alertTimes = async () =>
      (
        await db
          .selectFrom('usage_alerts')
          .select(['threshold', 'created_at'])
          .where('team_id', '=', team.id)
          .orderBy('threshold')
          .execute()
      ).map((a) => a.created_at.getTime())

    // A first call crosses 50 % ($0.60 of $1): in-app notices at once, the emails wait until a minute after it.
    await recordUsage(db, scope, [{ model: 'gpt-4o-mini', inputTokens: 4_000_000, outputTokens: 0 }])
    const [first] = await alertTimes()
    const one = await alertNotify(db, mailer, (await pending()).payload, 'http://costwise.test', {
      ...window,
      now: new Date(first! + 1_000),
    })
    expect(one).toMatchObject({ alerts: 1, emails: 0 })
    expect(one.deferred).toEqual([{ teamId: team.id, alerts: 1, until: new Date(first! + 60_000) }])
    expect((await pending()).runAt).toEqual(new Date(first! + 60_000))
    expect(await notifications.listByPrefix(db, 'alert:')).toHaveLength(2)

    // A second call within the window crosses 80 % ($0.90): its notices go at once, its email joins the first's.
    await recordUsage(db, scope, [{ model: 'gpt-4o-mini', inputTokens: 2_000_000, outputTokens: 0 }])
    const [, second] = await alertTimes()
    const two = await alertNotify(db, mailer, (await pending()).payload, 'http://costwise.test', {
      ...window,
      now: new Date(second! + 1_000),
    })
    expect(two).toMatchObject({ alerts: 2, emails: 0, deferred: [{ alerts: 2, until: new Date(first! + 60_000) }] })
    expect(await notifications.listByPrefix(db, 'alert:')).toHaveLength(4)
    expect(smtp.received).toHaveLength(0)

    // When the window closes: one email per recipient listing both alerts.
    const due = await alertNotify(db, mailer, (await pending()).payload, 'http://costwise.test', {
      ...window,
      now: new Date(first! + 60_000),
    })
    expect(due).toMatchObject({ alerts: 2, emails: 2, delivered: 2, deferred: [] })
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(['admin@w.test', 'owner@w.test'])
    for (const m of smtp.received) {
      expect(m.body).toContain('2 alerts')
      for (const pct of ['50%', '80%']) expect(m.body).toContain(`reached ${pct}`)
    }
    // Run again (a retry, the sweep): nothing more is sent, nothing deferred.
    const again = await alertNotify(db, mailer, (await pending()).payload, 'http://costwise.test', {
      ...window,
      now: new Date(first! + 120_000),
    })
    expect(again).toMatchObject({ emails: 0, deferred: [] })
    expect(smtp.received).toHaveLength(2)
  })
})
