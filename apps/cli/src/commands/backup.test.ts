import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { gunzipSync, gzipSync } from 'node:zlib'
import { hashPassword, recordUsage, sendNow } from '@costwise/api'
import {
  alerts,
  backup,
  createDb,
  dropDatabase,
  ensureDatabase,
  email,
  teams,
  withDatabase,
  type Db,
} from '@costwise/db'
import { createTestDb, testAdminUrl, type TestDb } from '@costwise/db/test-db'
import { seedDemo } from '@costwise/seed'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// `cli backup` then `cli restore` into an empty database: every table has the same rows (compared by count
// and by a digest of every row), and the money totals are exactly equal.

const run = promisify(execFile)
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli')
const main = path.join(import.meta.dirname, '..', 'main.ts')

async function cli(databaseUrl: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [tsxCli, main, ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

/** Per table: row count and an md5 of all rows in a stable order; plus exact money totals. */
async function fingerprint(db: Db) {
  const tables: Record<string, { rows: number; digest: string }> = {}
  for (const table of await backup.backupTables(db)) {
    const { rows } = await sql<{ n: string; digest: string | null }>`
      select count(*)::text as n, md5(string_agg(t::text, '|' order by t::text)) as digest from ${sql.table(table.name)} t`.execute(
      db,
    )
    tables[table.name] = { rows: Number(rows[0]!.n), digest: rows[0]!.digest ?? '' }
  }
  const money = await sql<{ usage: string; daily: string; spent: string }>`
    select (select coalesce(sum(cost_usd), 0)::text from token_usage_logs) as usage,
           (select coalesce(sum(cost_usd), 0)::text from usage_rollup_daily) as daily,
           (select coalesce(sum(spent_usd), 0)::text from usage_budgets) as spent`.execute(db)
  return { tables, money: money.rows[0]! }
}

describe('cli backup and restore', () => {
  let source: TestDb
  const targets: string[] = []
  const dir = mkdtempSync(path.join(tmpdir(), 'costwise-backup-'))
  const file = path.join(dir, 'costwise.backup.gz')

  const emptyDatabase = async () => {
    const name = `restore_${Math.random().toString(16).slice(2, 10)}`
    await ensureDatabase(testAdminUrl(), name)
    targets.push(name)
    return withDatabase(testAdminUrl(), name)
  }

  beforeAll(async () => {
    source = await createTestDb()
    // The demo team (90 days of usage, budgets, alerts, prompts), plus a second team with an email sent and a
    // report run, so every table has rows.
    await seedDemo(source.db, { hashPassword, days: 30 })
    const team = await teams.insertTeam(source.db, { slug: 'second', name: 'Second', timeZone: 'Asia/Tokyo' })
    const scope = { ...team, role: 'owner' as const, userId: null, apiKeyId: null }
    await recordUsage(source.db, scope, [
      {
        model: 'gpt-4o',
        inputTokens: 1234,
        outputTokens: 567,
        idempotencyKey: 'k1',
        metadata: { note: 'é, "quoted"\ttab\nnewline\\' },
      },
    ])
    await sendNow(source.db, scope, { definition: {}, format: 'csv', recipients: ['a@b.test'] })
    await email.queueEmails(source.db, [
      { teamId: team.id, kind: 'report', dedupeKey: 'x', to: 'a@b.test', subject: 's', text: 't' },
    ])
    const [message] = await source.db.selectFrom('email_messages').select('id').execute()
    await email.recordDelivery(source.db, { messageId: message!.id, ok: true, transport: 'outbox' })
    const budget = await source.db
      .selectFrom('usage_budgets')
      .select(['id', 'team_id', 'period_start'])
      .executeTakeFirstOrThrow()
    await alerts.insertAlertOnce(source.db, {
      teamId: budget.team_id,
      budgetId: budget.id,
      periodStart: budget.period_start,
      threshold: 50,
      level: 'info',
      spentUsd: '1.5',
      limitUsd: '3',
    })
  }, 120_000)

  afterAll(async () => {
    await source.destroy()
    for (const name of targets) await dropDatabase(testAdminUrl(), name)
  })

  it('round-trips every row exactly into an empty database', async () => {
    const before = await fingerprint(source.db)
    for (const table of [
      'teams',
      'users',
      'api_keys',
      'prompts',
      'token_usage_logs',
      'usage_idempotency_keys',
      'usage_rollup_daily',
      'usage_budgets',
      'usage_alerts',
      'email_messages',
      'email_delivery_attempts',
      'report_runs',
    ]) {
      expect(before.tables[table]?.rows, table).toBeGreaterThan(0)
    }
    const made = await cli(source.url, 'backup', '--out', file)
    expect(made.stderr).toBe('')
    expect(made).toMatchObject({ code: 0 })
    expect(made.stdout).toMatch(/^Backed up [\d,]+ rows of \d+ tables to /)

    const targetUrl = await emptyDatabase()
    const restored = await cli(targetUrl, 'restore', '--from', file)
    expect(restored).toMatchObject({ code: 0 })
    expect(restored.stdout).toMatch(/^Restored [\d,]+ rows/)
    const target = createDb(targetUrl, { max: 2 })
    let restoredState: Awaited<ReturnType<typeof fingerprint>>
    try {
      const after = await fingerprint(target)
      expect(after).toEqual(before)
      // Identity columns continue after the restored rows.
      const [message] = await target.selectFrom('email_messages').select('id').execute()
      await email.recordDelivery(target, { messageId: message!.id, ok: true, transport: 'outbox' })
      restoredState = await fingerprint(target)
    } finally {
      await target.destroy()
    }

    // Restoring over data is refused, and changes nothing.
    const again = await cli(targetUrl, 'restore', '--from', file)
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('empty database')
    const unchanged = createDb(targetUrl, { max: 2 })
    try {
      expect(await fingerprint(unchanged)).toEqual(restoredState)
    } finally {
      await unchanged.destroy()
    }
  }, 240_000)

  it('a damaged backup restores nothing', async () => {
    const text = gunzipSync(readFileSync(file)).toString('utf8')
    const damaged = path.join(dir, 'damaged.backup.gz')
    // One usage row dropped: the counts at the end no longer match.
    const lines = text.split('\n')
    const usageStart = lines.indexOf('\\table token_usage_logs')
    lines.splice(usageStart + 1, 1)
    writeFileSync(damaged, gzipSync(lines.join('\n')))
    const targetUrl = await emptyDatabase()
    const result = await cli(targetUrl, 'restore', '--from', damaged)
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('damaged')
    const target = createDb(targetUrl, { max: 1 })
    try {
      expect(await backup.isEmpty(target)).toBe(true)
    } finally {
      await target.destroy()
    }
    const notOurs = path.join(dir, 'not-a-backup.gz')
    writeFileSync(notOurs, gzipSync('hello'))
    expect((await cli(targetUrl, 'restore', '--from', notOurs)).stderr).toContain('not a Costwise backup')
  }, 120_000)
})
