import {
  archiveMonth,
  buildReport,
  createArtefactStore,
  queueDueReports,
  recordUsage,
  restoreMonth,
  saveSchedule,
  sendNow,
} from '@costwise/api'
import { formatUsd, nanoToUsd, usdToNano } from '@costwise/core'
import { archives, reports, teams, usage, users, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { parse } from 'csv-parse/sync'
import { PDFParse } from 'pdf-parse'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWorker, type WorkerHandle } from './runner'
import { startSmtp, until } from './testing'

describe('reports and archives', () => {
  let t: TestDb
  let db: Db
  let smtp: Awaited<ReturnType<typeof startSmtp>>
  let worker: WorkerHandle
  const store = createArtefactStore({ kind: 'memory' })
  let team: Awaited<ReturnType<typeof teams.insertTeam>>
  const now = new Date()

  beforeAll(async () => {
    t = await createTestDb()
    db = t.db
    smtp = await startSmtp()
    team = await teams.insertTeam(db, {
      slug: 'reporting',
      name: 'Reporting Co',
      timeZone: 'Europe/Paris',
      plan: 'enterprise',
    })
    const u = await users.insertUser(db, { email: 'cfo@rep.test', name: 'CFO', passwordHash: 'x' })
    await teams.upsertMember(db, team.id, u.id, 'owner')
    const scope = { ...team, role: 'owner' as const, userId: u.id, apiKeyId: null }
    const models = ['gpt-4o', 'claude-sonnet-4-5', 'gemini-2.5-flash']
    const events = Array.from({ length: 240 }, (_, i) => ({
      model: models[i % 3]!,
      inputTokens: 500 + i * 37,
      outputTokens: 100 + ((i * 53) % 700),
      occurredAt: new Date(now.getTime() - (i + 1) * 3_000_000).toISOString(),
    }))
    await recordUsage(db, scope, events, now)
    worker = await startWorker({
      connectionString: t.url,
      pollInterval: 100,
      logLevel: 'silent',
      smtpUrl: smtp.url,
      store,
    })
  })
  afterAll(async () => {
    await worker.stop()
    await smtp.close()
    await t.destroy()
  })

  it('a scheduled weekly CSV report arrives by SMTP and its totals equal the database', async () => {
    const scope = { ...team, role: 'owner' as const, userId: null, apiKeyId: null }
    const saved = await saveSchedule(db, scope, {
      name: 'Weekly costs',
      definition: {
        metrics: ['cost', 'tokens', 'runs'],
        groupBy: 'day',
        range: { kind: 'rolling', preset: 'last-7-days' },
      },
      format: 'csv',
      recipients: ['cfo@rep.test', 'ops@rep.test'],
      frequency: 'weekly',
      dayOfWeek: 1,
      timeOfDay: '08:00',
    })
    expect(saved.nextRunAt).not.toBeNull()
    // Time passes: the schedule is due.
    const due = new Date(new Date(saved.nextRunAt!).getTime() + 1000)
    const runIds = await queueDueReports(db, due)
    expect(runIds).toHaveLength(1)
    expect(await queueDueReports(db, due)).toHaveLength(0)
    const next = await reports.findSchedule(db, team.id, saved.id)
    expect(next!.next_run_at!.getTime() - new Date(saved.nextRunAt!).getTime()).toBe(7 * 86_400_000)

    await until(async () => smtp.received.length >= 2 && smtp.received)
    const message = smtp.received.find((m) => m.to.includes('cfo@rep.test'))!
    const base64 = message.body
      .split(/Content-Disposition: attachment[^\n]*\n(?:[^\n]+\n)*?\r?\n/)[1]!
      .split(/\r?\n--/)[0]!
    const csv = Buffer.from(base64.replace(/\s+/g, ''), 'base64').toString('utf8')
    const rows: Record<string, string>[] = parse(csv, { columns: true })
    const total = rows.find((r) => r.day === 'TOTAL')!
    const days = rows.filter((r) => r.day !== 'TOTAL')
    expect(nanoToUsd(days.reduce((s, r) => s + usdToNano(r.cost_usd!), 0n))).toBe(total.cost_usd)

    const run = await reports.findRun(db, runIds[0]!)
    expect(run).toMatchObject({ status: 'done', format: 'csv' })
    const start = new Date(`${run!.range_from}T00:00:00+01:00`)
    const end = new Date(new Date(`${run!.range_to}T00:00:00+01:00`).getTime() + 86_400_000)
    const raw = await usage.rawUsageTotals(db, team.id, start, end)
    expect(total.cost_usd).toBe(nanoToUsd(usdToNano(raw.costUsd)))
    expect(total.runs).toBe(raw.runs)
  })

  it('the PDF executive summary carries the headline figures', async () => {
    const scope = { ...team, role: 'owner' as const, userId: null, apiKeyId: null }
    const { runId } = await sendNow(db, scope, {
      definition: { metrics: ['cost', 'runs'], groupBy: 'model', range: { kind: 'rolling', preset: 'last-30-days' } },
      format: 'pdf',
      recipients: ['cfo@rep.test'],
    })
    await until(async () => (await reports.findRun(db, runId))?.status === 'done')
    const run = await reports.findRun(db, runId)
    const pdf = await store.get(run!.artefact_key!)
    const text = (await new PDFParse({ data: new Uint8Array(pdf!) }).getText()).text
    const data = await buildReport(db, scope, run!.definition, now)
    expect(text).toContain('Usage report')
    expect(text).toContain('Reporting Co')
    expect(text).toContain(formatUsd(usdToNano(data.totals.costUsd)))
    expect(text).toContain(data.totals.runs.toLocaleString('en-US'))
    for (const m of data.topModels) expect(text).toContain(m.key!)
  })

  it('a free-form feature and tag filters narrow a report exactly: preview, send now and a scheduled run', async () => {
    const tagged = await teams.insertTeam(db, {
      slug: 'tagged',
      name: 'Tagged Co',
      timeZone: 'UTC',
      plan: 'enterprise',
    })
    const scope = { ...tagged, role: 'owner' as const, userId: null, apiKeyId: null }
    const models = ['gpt-4o', 'claude-sonnet-4-5', 'gemini-2.5-flash']
    const events = Array.from({ length: 60 }, (_, i) => {
      const tags: Record<string, string> =
        i % 2 === 0 ? { env: 'prod', customer: i % 4 === 0 ? 'acme' : 'globex' } : { env: 'dev' }
      return {
        model: models[i % 3]!,
        inputTokens: 800 + i * 41,
        outputTokens: 50 + ((i * 29) % 500),
        occurredAt: new Date(now.getTime() - (i + 1) * 60_000).toISOString(),
        ...(i % 3 === 0 ? { feature: 'support-bot/summary' } : i % 3 === 1 ? { feature: 'search' } : {}),
        tags,
      }
    })
    const results = await recordUsage(db, scope, events, now)
    /** The exact cost and count of the recorded events a filter keeps. */
    const expected = (keep: (i: number) => boolean) => {
      const kept = results.filter((_, i) => keep(i))
      return { costUsd: nanoToUsd(kept.reduce((sum, r) => sum + usdToNano(r.costUsd), 0n)), runs: kept.length }
    }
    const bot = (i: number) => i % 3 === 0
    const acme = (i: number) => i % 4 === 0
    const definition = (filters: object) => ({
      metrics: ['cost' as const, 'runs' as const],
      groupBy: 'day' as const,
      range: { kind: 'rolling' as const, preset: 'last-7-days' as const },
      filters,
    })

    // The preview (reports.preview builds the same report).
    const all = await buildReport(db, scope, definition({}), now)
    expect(all.totals).toMatchObject(expected(() => true))
    const byFeature = await buildReport(db, scope, definition({ feature: ['support-bot/summary'] }), now)
    expect(byFeature.totals).toMatchObject(expected(bot))
    const byTags = await buildReport(db, scope, definition({ tag: ['env:prod', 'customer:acme'] }), now)
    expect(byTags.totals).toMatchObject(expected(acme))
    const both = await buildReport(
      db,
      scope,
      definition({ feature: ['support-bot/summary'], tag: ['env:prod', 'customer:acme'] }),
      now,
    )
    expect(both.totals).toMatchObject(expected((i) => bot(i) && acme(i)))
    expect(both.totals.runs).toBeGreaterThan(0)
    expect(both.totals.runs).toBeLessThan(byTags.totals.runs)

    /** The TOTAL line of a finished run's CSV. */
    const csvTotal = async (runId: string) => {
      await until(async () => (await reports.findRun(db, runId))?.status === 'done')
      const run = await reports.findRun(db, runId)
      const rows: Record<string, string>[] = parse((await store.get(run!.artefact_key!))!.toString('utf8'), {
        columns: true,
      })
      const total = rows.find((r) => r.day === 'TOTAL')!
      return { costUsd: total.cost_usd, runs: Number(total.runs) }
    }

    // Send now, with a tag filter.
    const sent = await sendNow(db, scope, {
      definition: definition({ tag: ['env:prod', 'customer:acme'] }),
      format: 'csv',
      recipients: ['cfo@tagged.test'],
    })
    expect(await csvTotal(sent.runId)).toEqual(expected(acme))
    // Its email says what the report covers.
    const mail = await until(async () => smtp.received.find((m) => m.to.includes('cfo@tagged.test')))
    expect(mail.body).toContain('Only tag env:prod, tag customer:acme.')

    // The PDF's summary names the filters too.
    const pdfRun = await sendNow(db, scope, {
      definition: definition({ feature: ['support-bot/summary'] }),
      format: 'pdf',
      recipients: ['cfo@tagged.test'],
    })
    await until(async () => (await reports.findRun(db, pdfRun.runId))?.status === 'done')
    const pdf = await store.get((await reports.findRun(db, pdfRun.runId))!.artefact_key!)
    const text = (await new PDFParse({ data: new Uint8Array(pdf!) }).getText()).text
    expect(text).toContain('Only feature support-bot/summary')
    expect(text).toContain(formatUsd(usdToNano(expected(bot).costUsd)))

    // Saved with both filters, and run by the schedule.
    const saved = await saveSchedule(db, scope, {
      name: 'Support bot in prod for Acme',
      definition: definition({ feature: ['support-bot/summary'], tag: ['env:prod', 'customer:acme'] }),
      format: 'csv',
      recipients: ['cfo@tagged.test'],
      frequency: 'daily',
      timeOfDay: '08:00',
    })
    expect(saved.definition.filters).toEqual({ feature: ['support-bot/summary'], tag: ['env:prod', 'customer:acme'] })
    const due = new Date(new Date(saved.nextRunAt!).getTime() + 1000)
    const runIds = await queueDueReports(db, due)
    const runs = await Promise.all(runIds.map((id) => reports.findRun(db, id)))
    const scheduled = runs.find((r) => r?.schedule_id === saved.id)!
    // The run is built when it executes (now, in the test), from the definition it was queued with.
    expect(await csvTotal(scheduled.id)).toEqual(expected((i) => bot(i) && acme(i)))
  })

  it('archiving a month and restoring it round-trips the rows exactly', async () => {
    const month = '2025-03'
    await sql`select costwise_ensure_usage_partition('2025-03-01')`.execute(db)
    const scope = { ...team, role: 'owner' as const, userId: null, apiKeyId: null }
    await recordUsage(
      db,
      scope,
      Array.from({ length: 50 }, (_, i) => ({
        model: 'gpt-4o-mini',
        inputTokens: 1000 + i,
        outputTokens: 10 * i,
        occurredAt: new Date(Date.UTC(2025, 2, 1 + (i % 28), i % 24)).toISOString(),
        metadata: { note: `row "${i}", with, commas` },
      })),
      now,
    )
    const snapshot = async () =>
      (
        await sql<{ line: string }>`select t::text as line from token_usage_logs_2025_03 t order by id`.execute(db)
      ).rows.map((r) => r.line)
    const before = await snapshot()
    expect(before).toHaveLength(50)

    const archived = await archiveMonth(db, store, month)
    expect(archived).toMatchObject({ rows: 50 })
    expect(await archives.attachedMonthsBefore(db, new Date('2025-04-02T00:00:00Z'))).not.toContain('2025-03-01')
    const { rows } = await sql<{
      n: string
    }>`select count(*) as n from token_usage_logs where occurred_at >= '2025-03-01' and occurred_at < '2025-04-01'`.execute(
      db,
    )
    expect(rows[0]!.n).toBe('0')

    const restored = await restoreMonth(db, store, month)
    expect(restored.rows).toBe(50)
    expect(await snapshot()).toEqual(before)
    await expect(restoreMonth(db, store, month)).rejects.toMatchObject({ code: 'CONFLICT' })
    await expect(restoreMonth(db, store, '2019-01')).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })
})
