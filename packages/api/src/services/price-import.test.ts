import { readFileSync } from 'node:fs'
import { usdToNano } from '@costwise/core'
import { budgets, teams, users, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TeamScope } from '../trpc'
import { importPrices } from './price-import'
import { invalidateTeamPricing } from './pricing'
import { recordUsage } from './record-usage'
import { repriceWindow } from './reprice'

/**
 * Import a LiteLLM-format file in which one price changed, effective from a date, then re-price that window:
 * exactly the affected rows change, to the nano-dollar, and so do the rollups of their days and the budgets.
 */

const sample = readFileSync(new URL('../../../core/src/pricing/testing/litellm-sample.json', import.meta.url), 'utf8')
const DAY = 86_400_000

/** gpt-4o-mini at $0.12 input / $0.06 cached (was $0.15 / $0.075); everything else as LiteLLM has it. */
function changedFile(): string {
  const data = JSON.parse(sample) as Record<string, Record<string, unknown>>
  data['gpt-4o-mini'] = { ...data['gpt-4o-mini'], input_cost_per_token: 1.2e-7, cache_read_input_token_cost: 6e-8 }
  return JSON.stringify(data)
}

/** Independent of core: tokens × "0.12" USD per 1M → nano-dollars, rounded half-up. */
function nano(tokens: number, perMTok: string): bigint {
  const [w = '0', f = ''] = perMTok.split('.')
  const num = BigInt(tokens) * BigInt(w + f) * 1_000_000_000n
  const den = 10n ** BigInt(f.length) * 1_000_000n
  return (2n * num + den) / (2n * den)
}

let t: TestDb
let db: Db
let team: TeamScope
let other: TeamScope
const today = new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00Z')
const effective = new Date(today.getTime() - 2 * DAY)
const effectiveDay = effective.toISOString().slice(0, 10)
const at = (daysBeforeToday: number, hour = 10) =>
  new Date(today.getTime() - daysBeforeToday * DAY + hour * 3_600_000).toISOString()

beforeAll(async () => {
  t = await createTestDb()
  db = t.db
  const user = await users.insertUser(db, { email: 'p@import.test', name: 'P', passwordHash: 'x' })
  const a = await teams.insertTeam(db, { slug: 'import-team', name: 'Import', timeZone: 'UTC' })
  const b = await teams.insertTeam(db, { slug: 'other-team', name: 'Other', timeZone: 'Asia/Tokyo' })
  await teams.upsertMember(db, a.id, user.id, 'owner')
  team = { ...a, role: 'owner', userId: user.id, apiKeyId: null }
  other = { ...b, role: 'owner', userId: null, apiKeyId: null }
  await invalidateTeamPricing(null)
})
afterAll(async () => t.destroy())

async function rollupTotals(teamId: string) {
  const daily = await sql<{ day: string; cost: string }>`
    select to_char(day, 'YYYY-MM-DD') as day, sum(cost_usd)::text as cost from usage_rollup_daily where team_id = ${teamId} group by 1 order by 1`.execute(
    db,
  )
  const slots = await sql<{
    cost: string
  }>`select coalesce(sum(cost_usd), 0)::text as cost from usage_rollup_15min where team_id = ${teamId}`.execute(db)
  return {
    daily: Object.fromEntries(daily.rows.map((r) => [r.day, usdToNano(r.cost)])),
    slots: usdToNano(slots.rows[0]!.cost),
  }
}

describe('prices import + usage reprice', () => {
  it('changes exactly the affected rows, rollups and budget spend', async () => {
    const mini = { model: 'gpt-4o-mini', inputTokens: 123_457, cachedInputTokens: 7, outputTokens: 999_999 }
    const events = [
      { ...mini, occurredAt: at(4) }, // before the effective date: unchanged
      { ...mini, occurredAt: at(3, 23) },
      { ...mini, occurredAt: at(2, 0) }, // from the effective date on: re-priced
      { ...mini, occurredAt: at(1), batch: true },
      { ...mini, model: 'openai/gpt-4o-mini-2024-07-18', occurredAt: at(0, 0) },
      { model: 'gpt-4o', inputTokens: 999_999, outputTokens: 1, occurredAt: at(1) }, // another model: unchanged
      { model: 'gpt-4o-mini', inputTokens: 1, outputTokens: 1, serviceTier: 'priority' as const, occurredAt: at(1) }, // priority: its own price, unchanged
    ]
    await recordUsage(db, team, events)
    await recordUsage(db, other, [{ ...mini, occurredAt: at(1) }])
    const budget = await budgets.insertBudget(
      db,
      team.id,
      {
        name: 'All time',
        scope: 'team',
        scopeUserId: null,
        scopeApiKeyId: null,
        scopePromptId: null,
        period: 'total',
        timeZone: null,
        mode: 'soft',
        thresholds: [50, 80, 100],
        active: true,
        limitUsd: '1000',
      },
      { start: new Date(0), spentUsd: '0' },
    )
    const before = await db
      .selectFrom('token_usage_logs')
      .select(['id', 'team_id', 'occurred_at', 'cost_usd', 'price_version'])
      .orderBy('occurred_at')
      .execute()
    const rollupsBefore = await rollupTotals(team.id)

    // Show the diff first: nothing is written.
    const preview = await importPrices(db, changedFile(), { effective: undefined })
    expect(preview.written).toBe(0)
    expect(preview.diff.changed.find((c) => c.name === 'gpt-4o-mini')?.changes).toEqual([
      { kind: 'input', before: '0.15', after: '0.12' },
      { kind: 'cachedInput', before: '0.075', after: '0.06' },
    ])
    // Apply from the effective date.
    const applied = await importPrices(db, changedFile(), {
      effective: effectiveDay,
      source: 'https://example.test/litellm.json',
    })
    expect(applied.written).toBe(2) // gpt-4o-mini, and gpt-4o-2024-05-13's priority prices
    const stored = await db
      .selectFrom('model_prices')
      .selectAll()
      .where('model', '=', 'gpt-4o-mini')
      .executeTakeFirstOrThrow()
    expect(stored).toMatchObject({
      team_id: null,
      origin: 'import',
      effective_from: effectiveDay,
      input_per_mtok: '0.120000000',
      cached_input_per_mtok: '0.060000000',
      output_per_mtok: '0.600000000',
    })
    expect(stored.batch_discount_pct).toBe('50.00') // kept from the list price
    expect(stored.service_tiers).toMatchObject({ priority: { inputPerMTok: '0.25' } })
    // List prices change for every team: each team's audit log has the import, written in the same transaction.
    const audited = await db
      .selectFrom('audit_log')
      .select(['team_id', 'action', 'target_type', 'after'])
      .where('target_type', '=', 'price_import')
      .execute()
    expect(audited.map((a) => a.team_id).sort()).toEqual([team.id, other.id].sort())
    expect(audited[0]).toMatchObject({
      action: 'prices.changed',
      after: {
        effectiveFrom: effectiveDay,
        changes: expect.arrayContaining([expect.objectContaining({ model: 'gpt-4o-mini' })]),
      },
    })

    const result = await repriceWindow(db, { start: new Date(today.getTime() - 10 * DAY) })
    // 3 of this team's gpt-4o-mini rows from the effective date and 1 of the other team's change cost; the priority
    // row keeps its cost (the import kept the priority price) but is now charged with the imported version.
    expect(result.changed).toBe(5)
    expect(result.changes).toEqual([
      expect.objectContaining({ team: 'import-team', model: 'gpt-4o-mini', rows: 4 }),
      expect.objectContaining({ team: 'other-team', model: 'gpt-4o-mini', rows: 1 }),
    ])

    const after = await db
      .selectFrom('token_usage_logs')
      .select(['id', 'occurred_at', 'cost_usd', 'price_version', 'batch'])
      .orderBy('occurred_at')
      .execute()
    const newMini = nano(123_457 - 7, '0.12') + nano(7, '0.06') + nano(999_999, '0.60')
    const newMiniBatch = nano(123_457 - 7, '0.06') + nano(7, '0.03') + nano(999_999, '0.30')
    const changedIds = new Set<string>()
    for (const row of after) {
      const old = before.find((b) => b.id === row.id)!
      if (old.cost_usd !== row.cost_usd) changedIds.add(row.id)
    }
    expect(changedIds.size).toBe(4)
    for (const row of after) {
      const old = before.find((b) => b.id === row.id)!
      if (!changedIds.has(row.id)) {
        if (row.occurred_at < effective || !old.price_version?.startsWith('gpt-4o-mini'))
          expect(row.price_version).toBe(old.price_version)
        continue
      }
      expect(row.occurred_at.getTime()).toBeGreaterThanOrEqual(effective.getTime())
      expect(row.price_version).toMatch(/^import:/)
      expect(usdToNano(row.cost_usd)).toBe(row.batch ? newMiniBatch : newMini)
    }

    // Rollups: only the days with changed rows moved, each by exactly the rows' change; 15-minute slots agree.
    const rollupsAfter = await rollupTotals(team.id)
    const raw = await sql<{ day: string; cost: string }>`
      select to_char((occurred_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day, sum(cost_usd)::text as cost
      from token_usage_logs where team_id = ${team.id} group by 1 order by 1`.execute(db)
    expect(rollupsAfter.daily).toEqual(Object.fromEntries(raw.rows.map((r) => [r.day, usdToNano(r.cost)])))
    for (const [day, cost] of Object.entries(rollupsAfter.daily)) {
      if (day < effectiveDay) expect(cost).toBe(rollupsBefore.daily[day])
    }
    const total = Object.values(rollupsAfter.daily).reduce((s, v) => s + v, 0n)
    expect(rollupsAfter.slots).toBe(total)
    expect(rollupsBefore.slots - rollupsAfter.slots).toBe(
      before
        .filter((b) => changedIds.has(b.id) && b.team_id === team.id)
        .reduce((s, b) => s + usdToNano(b.cost_usd), 0n) -
        after
          .filter((a) => changedIds.has(a.id) && before.find((b) => b.id === a.id)!.team_id === team.id)
          .reduce((s, a) => s + usdToNano(a.cost_usd), 0n),
    )

    // The budget's spend is the rows' sum again.
    const restated = await db
      .selectFrom('usage_budgets')
      .select('spent_usd')
      .where('id', '=', budget.id)
      .executeTakeFirstOrThrow()
    expect(usdToNano(restated.spent_usd)).toBe(total)

    // Idempotent: a second run changes nothing.
    const again = await repriceWindow(db, { start: new Date(today.getTime() - 10 * DAY) })
    expect(again).toMatchObject({ changed: 0, deltaUsd: '0', teams: [] })
  })

  it('a bad effective date is BAD_INPUT naming it, and writes nothing', async () => {
    await expect(importPrices(db, changedFile(), { effective: '2026-02-30' })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      field: 'effective',
    })
  })
})
