import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { authenticateApiKey, logIn, recordUsage } from '@costwise/api'
import { prices, teams } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli')
const main = path.join(import.meta.dirname, 'main.ts')

describe('pnpm cli', () => {
  let t: TestDb
  const cli = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [tsxCli, main, ...args], {
        env: { ...process.env, DATABASE_URL: t.url, ARTEFACT_DIR: artefacts, SMTP_URL: '' },
      })
      return { code: 0, stdout, stderr }
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string }
      return { code: e.code, stdout: e.stdout, stderr: e.stderr }
    }
  }

  const artefacts = mkdtempSync(path.join(tmpdir(), 'costwise-cli-'))
  beforeAll(async () => {
    t = await createTestDb()
  })
  afterAll(async () => t.destroy())

  it('migrate is a no-op on a migrated database', async () => {
    const result = await cli('migrate')
    expect(result).toMatchObject({ code: 0 })
    expect(result.stdout).toContain('Already up to date.')
  })

  it('creates a team, a user who can log in, and an API key printed alone on the last line', async () => {
    expect(
      (await cli('team', 'create', '--slug', 'acme-ai', '--name', 'Acme AI', '--time-zone', 'Europe/Paris')).code,
    ).toBe(0)
    const user = await cli(
      'user',
      'create',
      '--email',
      'ops@acme.test',
      '--password',
      'long-password',
      '--team',
      'acme-ai',
      '--role',
      'admin',
    )
    expect(user.code).toBe(0)
    expect(user.stdout).toContain('admin of team "acme-ai"')
    await expect(logIn(t.db, { email: 'ops@acme.test', password: 'long-password' })).resolves.toHaveProperty('token')

    const created = await cli('api-key', 'create', '--team', 'acme-ai', '--name', 'ci')
    expect(created.code).toBe(0)
    const lines = created.stdout.trim().split('\n')
    const key = lines[lines.length - 1]!
    expect(key).toMatch(/^cw_[A-Za-z0-9_-]{30,}$/)
    const record = await authenticateApiKey(t.db, key)
    expect(record?.name).toBe('ci')
    const stored = await t.db.selectFrom('api_keys').select(['key_hash', 'prefix']).execute()
    expect(stored.map((s) => s.key_hash)).not.toContain(key)
    expect(stored[0]!.prefix).toBe(key.slice(0, 10))
  })

  it('usage reprice prices rows once their model has a price, and refreshes the rollups', async () => {
    const team = await teams.findTeamBySlug(t.db, 'acme-ai')
    const scope = { ...team!, role: 'admin' as const, userId: null, apiKeyId: null }
    const [row] = await recordUsage(t.db, scope, [
      { model: 'acme-finetune-v1', inputTokens: 2_000_000, outputTokens: 1_000_000 },
    ])
    expect(row).toMatchObject({ unpriced: true, costUsd: '0' })
    const none = await cli('usage', 'reprice', '--team', 'acme-ai')
    expect(none.stdout).toContain('Repriced 0 of 1 unpriced rows; 1 still have no price')

    await prices.insertTeamPrice(t.db, {
      teamId: team!.id,
      model: 'acme-finetune-v1',
      provider: 'openai',
      effectiveFrom: '2020-01-01',
      inputPerMTok: '3.00',
      outputPerMTok: '12.00',
    })
    const done = await cli('usage', 'reprice', '--team', 'acme-ai')
    expect(done.code).toBe(0)
    expect(done.stdout).toContain('Repriced 1 of 1 unpriced rows')
    const priced = await t.db
      .selectFrom('token_usage_logs')
      .select(['priced', 'cost_usd', 'price_version'])
      .executeTakeFirstOrThrow()
    expect(priced).toMatchObject({ priced: true, cost_usd: '18.000000000' })
    expect(priced.price_version).toMatch(/^custom:/)
    const rollup = await t.db
      .selectFrom('usage_rollup_daily')
      .select(['cost_usd', 'unpriced_runs'])
      .executeTakeFirstOrThrow()
    expect(rollup).toEqual({ cost_usd: '18.000000000', unpriced_runs: '0' })
  })

  it('report send delivers through the job queue to the outbox, and names bad options', async () => {
    const sent = await cli(
      'report',
      'send',
      '--team',
      'acme-ai',
      '--to',
      'cfo@acme.test',
      '--format',
      'csv',
      '--range',
      'last-30-days',
    )
    expect(sent.stderr).not.toContain('Error')
    expect(sent.code).toBe(0)
    expect(sent.stdout).toContain('in the outbox')
    const messages = await t.db.selectFrom('email_messages').select(['to_address', 'status', 'kind']).execute()
    expect(messages).toEqual([{ to_address: 'cfo@acme.test', status: 'outbox', kind: 'report' }])
    const run = await t.db.selectFrom('report_runs').select(['status', 'trigger', 'format']).executeTakeFirstOrThrow()
    expect(run).toEqual({ status: 'done', trigger: 'cli', format: 'csv' })
    const bad = await cli('report', 'send', '--team', 'acme-ai', '--to', 'not-an-email', '--format', 'csv')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--to')
    const badRange = await cli('report', 'send', '--team', 'acme-ai', '--to', 'a@b.test', '--range', 'forever')
    expect(badRange.code).toBe(2)
    expect(badRange.stderr).toContain('--range')
  })

  it('says which option was wrong and changes nothing', async () => {
    const badSlug = await cli('team', 'create', '--slug', 'Bad Slug', '--name', 'X')
    expect(badSlug.code).toBe(2)
    expect(badSlug.stderr).toContain('--slug')
    const badRole = await cli(
      'user',
      'create',
      '--email',
      'x@acme.test',
      '--password',
      'long-password',
      '--team',
      'acme-ai',
      '--role',
      'king',
    )
    expect(badRole.code).toBe(2)
    expect(badRole.stderr).toContain('--role')
    const noTeam = await cli('api-key', 'create', '--team', 'nope-team', '--name', 'x')
    expect(noTeam.code).toBe(2)
    expect(noTeam.stderr).toContain('No team with slug "nope-team"')
    const users = await t.db.selectFrom('users').select('email').execute()
    expect(users.map((u) => u.email)).toEqual(['ops@acme.test'])
  })

  it('api-key create: default scopes, --scopes, --expires-in-days and --models; an unknown scope is named', async () => {
    const plain = await cli('api-key', 'create', '--team', 'acme-ai', '--name', 'tool')
    expect(plain.code).toBe(0)
    expect(plain.stdout).toContain('Scopes: usage:write, usage:read, budgets:read')
    const budgeter = await cli(
      'api-key',
      'create',
      '--team',
      'acme-ai',
      '--name',
      'budgeter',
      '--scopes',
      'budgets:write',
      '--expires-in-days',
      '7',
      '--models',
      'gpt-4o-mini,o3',
    )
    expect(budgeter.code).toBe(0)
    const key = budgeter.stdout.trim().split('\n').at(-1)!
    const record = await authenticateApiKey(t.db, key)
    expect(record).toMatchObject({ name: 'budgeter', scopes: ['budgets:write'], allowedModels: ['gpt-4o-mini', 'o3'] })
    expect(record!.expiresAt!.getTime() - Date.now()).toBeGreaterThan(6 * 86_400_000)
    const bad = await cli('api-key', 'create', '--team', 'acme-ai', '--name', 'x', '--scopes', 'usage:read,keys:write')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('"keys:write" is not a scope')
    const rows = await t.db
      .selectFrom('audit_log')
      .select(['action', 'actor_kind'])
      .where('action', '=', 'api_key.created')
      .execute()
    expect(rows.filter((r) => r.actor_kind === 'cli').length).toBeGreaterThanOrEqual(3)
  })

  const audit = async (action: string) => {
    const team = (await teams.findTeamBySlug(t.db, 'acme-ai'))!
    return t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('team_id', '=', team.id)
      .where('action', '=', action)
      .execute()
  }

  it('team set-plan changes the team’s plan and leaves one audit row', async () => {
    const set = await cli('team', 'set-plan', '--team', 'acme-ai', '--plan', 'enterprise')
    expect(set.code).toBe(0)
    expect(set.stdout).toContain('moved from free to enterprise')
    expect((await teams.findTeamBySlug(t.db, 'acme-ai'))!.plan).toBe('enterprise')
    expect(await audit('plan.changed')).toMatchObject([
      { actor_kind: 'cli', before: { plan: 'free' }, after: { plan: 'enterprise' } },
    ])
    expect((await cli('team', 'set-plan', '--team', 'acme-ai', '--plan', 'enterprise')).stdout).toContain(
      'already on enterprise',
    )
    expect(await audit('plan.changed')).toHaveLength(1)
    const bad = await cli('team', 'set-plan', '--team', 'acme-ai', '--plan', 'platinum')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--plan')
  })

  it('members added or re-roled from the CLI are audited', async () => {
    // ops@acme.test was added as admin by an earlier test: that left a member.added row; now re-role them.
    expect(await audit('member.added')).toMatchObject([{ after: { email: 'ops@acme.test', role: 'admin' } }])
    expect(
      (
        await cli(
          'user',
          'create',
          '--email',
          'ops@acme.test',
          '--password',
          'long-password',
          '--team',
          'acme-ai',
          '--role',
          'viewer',
        )
      ).code,
    ).toBe(0)
    expect(await audit('member.role_changed')).toMatchObject([{ before: { role: 'admin' }, after: { role: 'viewer' } }])
  })

  it('prices import shows the differences, applies them with --effective, and usage reprice --from re-prices that window', async () => {
    const sample = path.join(import.meta.dirname, '../../../packages/core/src/pricing/testing/litellm-sample.json')
    const shown = await cli('prices', 'import', sample)
    expect(shown.code).toBe(0)
    expect(shown.stdout).toContain('Changed (1):')
    expect(shown.stdout).toContain('gpt-4o-2024-05-13: priority.input (none) → 8.75; priority.output (none) → 26.25')
    expect(shown.stdout).toContain('gpt-5-nano: priority processing has an input price but no output price; left out')
    expect(shown.stdout).toContain('Nothing written')

    const team = await teams.findTeamBySlug(t.db, 'acme-ai')
    const scope = { ...team!, role: 'admin' as const, userId: null, apiKeyId: null }
    const [row] = await recordUsage(t.db, scope, [{ model: 'gpt-4o-mini', inputTokens: 1_000_000, outputTokens: 0 }])
    expect(row!.costUsd).toBe('0.15')
    const today = new Date().toISOString().slice(0, 10)
    const data = JSON.parse(readFileSync(sample, 'utf8'))
    data['gpt-4o-mini'].input_cost_per_token = 1.2e-7
    const changed = path.join(artefacts, 'prices.json')
    writeFileSync(changed, JSON.stringify(data))
    const applied = await cli('prices', 'import', changed, '--effective', today)
    expect(applied.code).toBe(0)
    expect(applied.stdout).toContain('gpt-4o-mini: input 0.15 → 0.12')
    expect(applied.stdout).toContain(`Wrote 2 price versions effective ${today}`)
    const repriced = await cli('usage', 'reprice', '--from', today, '--team', 'acme-ai')
    expect(repriced.code).toBe(0)
    expect(repriced.stdout).toContain('1 changed')
    expect(repriced.stdout).toContain('acme-ai gpt-4o-mini: 1 rows, $0.15 → $0.12')
    const stored = await t.db
      .selectFrom('token_usage_logs')
      .select(['cost_usd', 'price_version'])
      .where('id', '=', row!.id)
      .executeTakeFirstOrThrow()
    expect(stored.cost_usd).toBe('0.120000000')
    expect(stored.price_version).toMatch(/^import:/)

    const bad = await cli('usage', 'reprice', '--from', '2026-13-01')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--from')
    const missing = await cli('prices', 'import', path.join(artefacts, 'nope.json'))
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('Cannot read')
  })
})
