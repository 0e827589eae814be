import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { recordUsage, sendNow } from '@costwise/api'
import { budgets, notifications, teams, users, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWorker, type WorkerHandle } from './runner'
import { alertSweep } from './tasks/alert__sweep'
import { reportSweep } from './tasks/report__sweep'
import { teamWithDollarBudget, until } from './testing'

// The worker runs in this one process (tsx as a loader, not tsx's CLI, which would add a second process).
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href

/** An SMTP server that can hold messages (never answering DATA) to catch a worker mid-send. */
async function holdingSmtp() {
  const state = { hold: true, holding: 0, accepted: [] as { to: string[]; messageId: string }[] }
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    closeTimeout: 200,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        if (state.hold) {
          state.holding++
          return // no answer: the sender waits, and nothing is delivered
        }
        const body = Buffer.concat(chunks).toString('utf8')
        const messageId = /^Message-ID:\s*(\S+)/im.exec(body)?.[1] ?? ''
        state.accepted.push({ to: session.envelope.rcptTo.map((r) => r.address), messageId })
        callback()
      })
    },
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.server.address() as { port: number }).port
  return { state, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) }
}

/** The worker as its own process (main.ts), as `cli start` runs it. */
function spawnWorker(databaseUrl: string, smtpUrl: string): ChildProcess {
  return spawn(process.execPath, ['--import', tsxLoader, path.join(import.meta.dirname, 'main.ts')], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      SMTP_URL: smtpUrl,
      LOG_LEVEL: 'silent',
      ALERT_DIGEST_SECONDS: '0', // alert emails at once (the digest window has its own test)
      ARTEFACT_DIR: mkdtempSync(path.join(tmpdir(), 'crash-artefacts-')),
    },
    stdio: 'ignore',
  })
}

describe('emails survive a worker killed mid-job (alerts, reports)', () => {
  let t: TestDb
  let db: Db
  let smtp: Awaited<ReturnType<typeof holdingSmtp>>
  let child: ChildProcess | null = null
  let worker: WorkerHandle | null = null

  beforeAll(async () => {
    t = await createTestDb()
    db = t.db
    smtp = await holdingSmtp()
  })
  afterAll(async () => {
    child?.kill('SIGKILL')
    await worker?.stop()
    await smtp.close()
    await t.destroy()
  })

  it('delivers each email once after kill -9 and a restart', async () => {
    const { scope } = await teamWithDollarBudget(
      db,
      'crashy',
      [
        ['owner@c.test', 'owner'],
        ['admin@c.test', 'admin'],
      ],
      { thresholds: [50] },
    )
    await recordUsage(db, scope, [{ model: 'gpt-4o-mini', inputTokens: 4_000_000, outputTokens: 0 }])

    // A worker in its own process picks the alert job up and blocks inside the SMTP conversation…
    child = spawnWorker(t.url, smtp.url)
    await until(async () => smtp.state.holding > 0)
    // …and is killed there, without a chance to clean up.
    child.kill('SIGKILL')
    await new Promise((r) => child!.once('exit', r))
    expect(smtp.state.accepted).toHaveLength(0)

    // A new worker starts; the sweep re-queues the unfinished notification (the cron does this each minute).
    smtp.state.hold = false
    worker = await startWorker({
      connectionString: t.url,
      pollInterval: 100,
      logLevel: 'silent',
      smtpUrl: smtp.url,
      alertDigestSeconds: 0,
    })
    expect(await alertSweep(db, new Date(), 0)).toBe(1)
    await until(async () => smtp.state.accepted.length >= 2)
    await until(async () => (await db.selectFrom('usage_alerts').select('notified_at').executeTakeFirst())?.notified_at)
    await new Promise((r) => setTimeout(r, 500))
    expect(await alertSweep(db, new Date(), 0)).toBe(0)
    await new Promise((r) => setTimeout(r, 500))

    expect(smtp.state.accepted.map((m) => m.to[0]).sort()).toEqual(['admin@c.test', 'owner@c.test'])
    expect(new Set(smtp.state.accepted.map((m) => m.messageId)).size).toBe(2)
    // The in-app notices (written before the emails, by the job that was killed) are once per person too.
    const inApp = await notifications.listByPrefix(db, 'alert:')
    expect(inApp).toHaveLength(2)
    expect(new Set(inApp.map((n) => n.userId)).size).toBe(2)
  })

  it('delivers each report email once after kill -9 mid-report and a restart', async () => {
    await worker?.stop()
    worker = null
    smtp.state.hold = true
    smtp.state.holding = 0
    smtp.state.accepted.length = 0
    const team = await teams.insertTeam(db, { slug: 'crashy-reports', name: 'Crashy Reports', timeZone: 'UTC' })
    const scope = { ...team, role: 'owner' as const, userId: null, apiKeyId: null }
    await recordUsage(db, scope, [{ model: 'gpt-4o', inputTokens: 1000, outputTokens: 100 }])
    const recipients = ['cfo@r.test', 'cto@r.test', 'ops@r.test']
    const { runId } = await sendNow(db, scope, {
      definition: {
        metrics: ['cost', 'tokens', 'runs'],
        groupBy: 'day',
        range: { kind: 'rolling', preset: 'last-7-days' },
        filters: {},
      },
      format: 'csv',
      recipients,
    })

    // A worker process generates the report and blocks sending its first email…
    child = spawnWorker(t.url, smtp.url)
    await until(async () => smtp.state.holding > 0, 30_000)
    // …and dies there.
    child.kill('SIGKILL')
    await new Promise((r) => child!.once('exit', r))
    expect(smtp.state.accepted).toHaveLength(0)

    // A new worker; the sweep (each minute in production) re-queues the unfinished run, which resumes.
    smtp.state.hold = false
    worker = await startWorker({
      connectionString: t.url,
      pollInterval: 100,
      logLevel: 'silent',
      smtpUrl: smtp.url,
      alertDigestSeconds: 0,
    })
    expect(await reportSweep(db, new Date(), 0)).toBe(1)
    await until(async () => smtp.state.accepted.length >= recipients.length)
    await until(async () => (await reportSweep(db, new Date(), 0)) === 0)
    const sent = await db
      .selectFrom('email_messages')
      .select(['status'])
      .where('dedupe_key', 'like', `report:${runId}:%`)
      .execute()
    expect(sent.map((m) => m.status)).toEqual(['sent', 'sent', 'sent'])
    expect(smtp.state.accepted.map((m) => m.to[0]).sort()).toEqual(recipients)
    expect(new Set(smtp.state.accepted.map((m) => m.messageId)).size).toBe(recipients.length)
  })
})
