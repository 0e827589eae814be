import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from './client'
import { createTestDb, type TestDb } from './test-db'
import * as teams from './queries/teams'
import * as users from './queries/users'

describe('constraints reject bad rows', () => {
  let t: TestDb
  let db: Db
  let teamId: string
  let userId: string

  beforeAll(async () => {
    t = await createTestDb()
    db = t.db
    teamId = (await teams.insertTeam(db, { slug: 'acme', name: 'Acme' })).id
    userId = (await users.insertUser(db, { email: 'a@acme.test', name: 'A', passwordHash: 'x' })).id
  })
  afterAll(async () => t.destroy())

  const usageRow = (over: Record<string, unknown> = {}) => ({
    team_id: teamId,
    occurred_at: new Date('2026-11-02T10:00:00Z'),
    provider: 'openai',
    model: 'gpt-4o',
    priced: true,
    input_tokens: 100,
    output_tokens: 20,
    cost_usd: '0.000450000',
    ...over,
  })

  it('accepts a good usage row into its month partition', async () => {
    await db.insertInto('token_usage_logs').values(usageRow()).execute()
    const { rows } = await sql<{ part: string }>`
      select tableoid::regclass::text as part from token_usage_logs where team_id = ${teamId}`.execute(db)
    expect(rows[0]!.part).toBe('token_usage_logs_2026_11')
  })

  it.each([
    ['negative tokens', { input_tokens: -1 }],
    ['cached tokens above input', { cached_input_tokens: 101 }],
    ['reasoning above output', { reasoning_tokens: 21 }],
    ['negative cost', { cost_usd: '-0.1' }],
    ['unpriced with a cost', { priced: false }],
    ['unknown status', { status: 'weird' }],
    ['feature outside the name charset', { feature: 'no spaces!' }],
    ['metadata not an object', { metadata: JSON.stringify([1, 2]) }],
  ])('rejects %s', async (_label, over) => {
    await expect(
      db
        .insertInto('token_usage_logs')
        .values(usageRow(over) as never)
        .execute(),
    ).rejects.toThrow()
  })

  it('rejects bad users, teams and members', async () => {
    await expect(users.insertUser(db, { email: 'not-an-email', name: 'X', passwordHash: 'x' })).rejects.toThrow()
    await expect(users.insertUser(db, { email: 'a@acme.test', name: 'Dup', passwordHash: 'x' })).rejects.toThrow()
    await expect(teams.insertTeam(db, { slug: 'Bad Slug!', name: 'X' })).rejects.toThrow()
    await expect(teams.insertTeam(db, { slug: 'acme', name: 'Again' })).rejects.toThrow()
    await expect(teams.upsertMember(db, teamId, userId, 'emperor' as never)).rejects.toThrow()
    await expect(
      db
        .updateTable('teams')
        .set({ plan: 'platinum' as never })
        .where('id', '=', teamId)
        .execute(),
    ).rejects.toThrow()
  })

  it('rejects budgets with a bad limit, thresholds or scope', async () => {
    const base = {
      team_id: teamId,
      name: 'Monthly',
      scope: 'team' as const,
      period: 'month' as const,
      limit_usd: '100',
      period_start: new Date('2026-11-01T00:00:00Z'),
    }
    await db.insertInto('usage_budgets').values(base).execute()
    await expect(
      db
        .insertInto('usage_budgets')
        .values({ ...base, limit_usd: '0' })
        .execute(),
    ).rejects.toThrow()
    await expect(
      db
        .insertInto('usage_budgets')
        .values({ ...base, thresholds: [0, 50] })
        .execute(),
    ).rejects.toThrow()
    await expect(
      db
        .insertInto('usage_budgets')
        .values({ ...base, thresholds: [50, 120] })
        .execute(),
    ).rejects.toThrow()
    await expect(
      db
        .insertInto('usage_budgets')
        .values({ ...base, scope: 'user' })
        .execute(),
    ).rejects.toThrow()
    await expect(
      db
        .insertInto('usage_budgets')
        .values({ ...base, scope: 'team', scope_user_id: userId })
        .execute(),
    ).rejects.toThrow()
  })

  it('keeps one alert per budget, period and threshold', async () => {
    const budget = await db
      .insertInto('usage_budgets')
      .values({
        team_id: teamId,
        name: 'Daily',
        scope: 'user',
        scope_user_id: userId,
        period: 'day',
        limit_usd: '5',
        period_start: new Date('2026-11-02T00:00:00Z'),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const alert = {
      team_id: teamId,
      budget_id: budget.id,
      period_start: new Date('2026-11-02T00:00:00Z'),
      threshold: 80,
      level: 'warning' as const,
      spent_usd: '4',
      limit_usd: '5',
    }
    await db.insertInto('usage_alerts').values(alert).execute()
    await expect(db.insertInto('usage_alerts').values(alert).execute()).rejects.toThrow(/duplicate key/)
  })

  it('keeps one idempotency key per team', async () => {
    const key = { team_id: teamId, idempotency_key: 'k1', usage_log_id: crypto.randomUUID(), occurred_at: new Date() }
    await db.insertInto('usage_idempotency_keys').values(key).execute()
    await expect(db.insertInto('usage_idempotency_keys').values(key).execute()).rejects.toThrow(/duplicate key/)
  })

  it('moves rows out of the default partition when their month gets one', async () => {
    const far = new Date('2031-05-05T00:00:00Z')
    await db
      .insertInto('token_usage_logs')
      .values(usageRow({ occurred_at: far }))
      .execute()
    const before = await sql<{ part: string }>`
      select tableoid::regclass::text as part from token_usage_logs where occurred_at = ${far}`.execute(db)
    expect(before.rows[0]!.part).toBe('token_usage_logs_default')
    await sql`select costwise_ensure_usage_partition('2031-05-01')`.execute(db)
    const after = await sql<{ part: string }>`
      select tableoid::regclass::text as part from token_usage_logs where occurred_at = ${far}`.execute(db)
    expect(after.rows).toHaveLength(1)
    expect(after.rows[0]!.part).toBe('token_usage_logs_2031_05')
  })
})
