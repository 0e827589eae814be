import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, type TestDb } from '../test-db'
import * as analytics from './analytics'
import * as teams from './teams'
import * as tracking from './tracking'
import * as usage from './usage'

// The narrow daily rollups (team, day[, model | prompt | member]) are sums of the wide one, kept by triggers in
// the writer's transaction: after every kind of write they equal a group-by of the wide rollup, exactly, and the
// dashboards' queries answer the same from either.

const MEASURES = [
  'runs',
  'input_tokens',
  'output_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'cost_usd',
  'latency_ms_sum',
  'unpriced_runs',
]

describe('narrow daily rollups', () => {
  let t: TestDb
  let teamId: string
  const prompts: string[] = []
  const users: string[] = []

  beforeAll(async () => {
    t = await createTestDb()
    teamId = (await teams.insertTeam(t.db, { slug: 'narrow', name: 'Narrow' })).id
    for (let i = 0; i < 2; i++) {
      prompts.push(
        (
          await t.db
            .insertInto('prompts')
            .values({ team_id: teamId, name: `p${i}`, model: 'gpt-4o' } as never)
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id,
      )
    }
    for (let i = 0; i < 2; i++) {
      const user = await t.db
        .insertInto('users')
        .values({ email: `u${i}@narrow.test`, name: `U${i}`, password_hash: 'x' } as never)
        .returning('id')
        .executeTakeFirstOrThrow()
      users.push(user.id)
    }
  })
  afterAll(async () => t.destroy())

  const delta = (i: number, day: string): tracking.RollupDelta => ({
    teamId,
    bucket: day,
    model: ['gpt-4o', 'gpt-4o-mini', 'o3'][i % 3]!,
    provider: 'openai',
    promptId: i % 4 === 0 ? null : prompts[i % 2]!,
    userId: i % 5 === 0 ? null : users[i % 2]!,
    apiKeyId: null,
    feature: 'api',
    status: i % 7 === 0 ? 'error' : 'ok',
    costCenterId: null,
    runs: 1 + (i % 3),
    inputTokens: BigInt(100 * i),
    outputTokens: BigInt(10 * i),
    cachedInputTokens: BigInt(i),
    cacheWriteTokens: 0n,
    reasoningTokens: BigInt(i % 2),
    costUsd: `0.${String(123456789 * (i + 1))
      .padStart(9, '0')
      .slice(-9)}`,
    latencyMsSum: BigInt(50 * i),
    unpricedRuns: i % 6 === 0 ? 1 : 0,
  })

  /** One delta per rollup key (as the app sends them: merged), several per narrow key. */
  const deltas = (n: number, days: number) => {
    const seen = new Set<string>()
    return Array.from({ length: n }, (_, i) => delta(i, `2026-11-0${1 + (i % days)}`)).filter((d) => {
      const key = [d.bucket, d.model, d.promptId, d.userId, d.status].join('|')
      return !seen.has(key) && seen.add(key)
    })
  }

  /** Each narrow table against a group-by of the wide rollup (rows with runs only). */
  async function expectAgreement() {
    for (const [table, key] of [
      ['usage_daily_team', null],
      ['usage_daily_model', 'model'],
      ['usage_daily_prompt', 'prompt_id'],
      ['usage_daily_user', 'user_id'],
    ] as const) {
      const keys = key ? `team_id, day, ${key}` : 'team_id, day'
      const cols = `${keys}, ${MEASURES.join(', ')}, error_runs, ok_runs, ok_cost_usd`
      const wide = await sql
        .raw(
          `select ${keys}, ${MEASURES.map((m) => `sum(${m}) as ${m}`).join(', ')},
             sum(runs) filter (where status = 'error') as error_runs, sum(runs) filter (where status = 'ok') as ok_runs,
             sum(cost_usd) filter (where status = 'ok') as ok_cost_usd
           from usage_rollup_daily group by ${keys} order by ${keys}`,
        )
        .execute(t.db)
      const narrow = await sql.raw(`select ${cols} from ${table} order by ${keys}`).execute(t.db)
      // Numbers compared by value as exact decimal text (0.100000000 = 0.1); a sum over no rows is 0.
      const value = (k: string, v: unknown) => {
        if (v === null) return k.endsWith('_id') ? null : '0'
        const text = v instanceof Date ? v.toISOString() : String(v)
        return /^-?\d+\.\d+$/.test(text) ? text.replace(/\.?0+$/, '') : text
      }
      const norm = (rows: unknown[]) =>
        rows.map((r) =>
          Object.fromEntries(Object.entries(r as Record<string, unknown>).map(([k, v]) => [k, value(k, v)])),
        )
      expect(norm(narrow.rows), table).toEqual(norm(wide.rows))
    }
  }

  it('are backfilled, then follow inserts and upserts of the wide rollup', async () => {
    await tracking.addToRollup(t.db, 'daily', deltas(12, 3))
    await expectAgreement()
    // The same keys again: the upsert's update path, in one statement with new keys.
    await tracking.addToRollup(t.db, 'daily', deltas(16, 4))
    await expectAgreement()
  })

  it('answer the dashboard queries exactly as the wide rollup does', async () => {
    const range = { kind: 'days', fromDay: '2026-11-01', toDay: '2026-11-30' } as const
    const wide = await sql<{ cost: string; runs: string; errors: string }>`
      select sum(cost_usd)::text as cost, sum(runs)::text as runs, (sum(runs) filter (where status = 'error'))::text as errors
      from usage_rollup_daily where team_id = ${teamId}`.execute(t.db)
    const totals = await analytics.totals(t.db, teamId, range, {})
    expect({ cost: totals.costUsd, runs: totals.runs, errors: totals.errors }).toEqual(wide.rows[0])
    // Narrow (by model) and wide (by model, filtered by status = ok and error together) give the same groups.
    const byModel = await analytics.grouped(t.db, teamId, range, {}, 'model')
    const byModelWide = await analytics.grouped(t.db, teamId, range, { status: ['ok', 'error'] }, 'model')
    expect(byModel).toEqual(byModelWide)
    // Callers pass their whole input as the filters (range, groupBy…): only filter fields choose the table.
    const input = { from: '2026-11-01', to: '2026-11-30', groupBy: 'prompt' } as analytics.UsageFilters
    expect(await analytics.grouped(t.db, teamId, range, input, 'prompt')).toEqual(
      await analytics.grouped(t.db, teamId, range, { status: ['ok', 'error'] }, 'prompt'),
    )
    const byPrompt = await analytics.promptStats(t.db, teamId, range, {})
    const byPromptWide = await analytics.promptStats(t.db, teamId, range, { status: ['ok', 'error'] })
    expect(byPrompt).toEqual(byPromptWide)
    const byUser = await analytics.grouped(t.db, teamId, range, {}, 'user')
    expect(byUser).toEqual(await analytics.grouped(t.db, teamId, range, { status: ['ok', 'error'] }, 'user'))
    const days = await usage.dailyUsage(t.db, teamId, range.fromDay, range.toDay)
    expect(days.map((d) => d.day)).toEqual(['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04'])
  })

  it('follow deletes (a rebuild) and truncation, leaving no empty rows behind', async () => {
    // Rebuilding a window with no raw rows deletes the wide rows of those days.
    await usage.rebuildRollups(t.db, {
      teamId,
      timeZone: 'UTC',
      start: new Date('2026-11-03T00:00:00Z'),
      end: new Date('2026-11-05T00:00:00Z'),
    })
    await expectAgreement()
    const left = await t.db
      .selectFrom('usage_daily_model')
      .select(sql<string>`count(*) filter (where runs = 0)`.as('empty'))
      .executeTakeFirstOrThrow()
    expect(Number(left.empty)).toBe(0)
    await sql`truncate usage_rollup_daily`.execute(t.db)
    await expectAgreement()
    expect(await t.db.selectFrom('usage_daily_team').selectAll().execute()).toEqual([])
  })
})
