import { nanoToUsd, usdToNano } from '@costwise/core'
import { prompts, teams, users, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { parse } from 'csv-parse/sync'
import fc from 'fast-check'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiKey } from '../auth/api-keys'
import { issueSession } from '../auth/service'
import { createContext } from '../context'
import { handleRestRequest } from '../http'
import { createCaller } from '../root'
import type { TeamScope } from '../trpc'
import { recordUsage } from './record-usage'
import { buildReport, reportCsv } from './reports'

let t: TestDb
let db: Db
let team: Awaited<ReturnType<typeof teams.insertTeam>>
let admin: ReturnType<typeof createCaller>
const people: string[] = []
const keys: { id: string; key: string }[] = []
const promptIds: string[] = []
const centers: Record<string, string> = {}

const scope = (userId: string | null, apiKeyId: string | null = null): TeamScope => ({
  ...team,
  role: 'member',
  userId,
  apiKeyId,
})
const month = { kind: 'fixed' as const, from: '2026-01-01', to: '2026-01-31' }

beforeAll(async () => {
  t = await createTestDb()
  db = t.db
  team = await teams.insertTeam(db, { slug: 'chargeback', name: 'Chargeback', plan: 'enterprise' })
  const owner = await users.insertUser(db, { email: 'o@cb.test', name: 'Owner', passwordHash: 'x' })
  await teams.upsertMember(db, team.id, owner.id, 'owner')
  admin = createCaller(await createContext({ db, sessionToken: (await issueSession(db, owner.id)).token }))
  for (const n of ['a', 'b', 'c']) {
    const u = await users.insertUser(db, { email: `${n}@cb.test`, name: n, passwordHash: 'x' })
    await teams.upsertMember(db, team.id, u.id, 'member')
    people.push(u.id)
  }
  for (const n of ['k1', 'k2']) {
    const created = await createApiKey(db, { teamId: team.id, name: n, scopes: ['usage:write', 'usage:read'] })
    keys.push({ id: created.record.id, key: created.key })
  }
  for (const n of ['p1', 'p2'])
    promptIds.push(
      (
        await prompts.insertPrompt(
          db,
          team.id,
          {
            name: n,
            systemMessage: '',
            userMessage: 'hi',
            variables: {},
            model: 'gpt-4o-mini',
            maxOutputTokens: 100,
            caching: false,
          },
          { userId: owner.id, apiKeyId: null },
        )
      ).id,
    )
  for (const [code, name] of [
    ['eng', 'Engineering'],
    ['mkt', 'Marketing'],
    ['research', 'Research'],
  ]) {
    centers[code!] = (await admin.costCenters.save({ code: code!, name: name! })).id
  }
})
afterAll(async () => t?.destroy())

describe('cost centres', () => {
  it('an event names its cost centre by code; an unknown or archived one is a 400 naming the field', async () => {
    const tool = keys[0]!
    const post = (body: unknown) =>
      handleRestRequest(
        db,
        new Request('http://localhost/api/usage/track', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${tool.key}` },
          body: JSON.stringify(body),
        }),
      )
    const unknown = await post({ model: 'gpt-4o-mini', inputTokens: 10, outputTokens: 1, costCenter: 'finance' })
    expect(unknown.status).toBe(400)
    expect(await unknown.json()).toMatchObject({
      code: 'BAD_INPUT',
      field: 'costCenter',
      message: expect.stringContaining('"finance" is not one of your team’s cost centres'),
    })
    const malformed = await post({ model: 'gpt-4o-mini', inputTokens: 10, outputTokens: 1, costCenter: 'Not A Code!' })
    expect(await malformed.json()).toMatchObject({ code: 'BAD_INPUT', field: 'costCenter' })
    const archived = await admin.costCenters.save({ code: 'old', name: 'Old' })
    await admin.costCenters.save({ id: archived.id, code: 'old', name: 'Old', archived: true })
    const gone = await post({ model: 'gpt-4o-mini', inputTokens: 10, outputTokens: 1, costCenter: 'old' })
    expect(await gone.json()).toMatchObject({ field: 'costCenter', message: expect.stringContaining('archived') })
    // A batch names the event at fault.
    const batch = await handleRestRequest(
      db,
      new Request('http://localhost/api/usage/track/batch', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tool.key}` },
        body: JSON.stringify({
          events: [
            { model: 'gpt-4o-mini', inputTokens: 1, outputTokens: 1, costCenter: 'eng' },
            { model: 'gpt-4o-mini', inputTokens: 1, outputTokens: 1, costCenter: 'nope' },
          ],
        }),
      }),
    )
    expect(await batch.json()).toMatchObject({ field: 'events.1.costCenter' })
    expect(
      await sql<{ n: number }>`select count(*)::int as n from token_usage_logs`.execute(db).then((r) => r.rows[0]!.n),
    ).toBe(0)
    const ok = await post({
      model: 'gpt-4o-mini',
      inputTokens: 10,
      outputTokens: 1,
      costCenter: 'MKT',
      occurredAt: '2026-01-05T10:00:00Z',
    })
    expect(ok.status).toBe(200)
    expect(
      (await db.selectFrom('token_usage_logs').select('cost_center_id').executeTakeFirstOrThrow()).cost_center_id,
    ).toBe(centers.mkt)
    await sql`truncate token_usage_logs, usage_rollup_daily, usage_rollup_15min, usage_idempotency_keys`.execute(db)
  })

  it('assignments: member, prompt, and a key split by percentages that must add up to 100; every change audited', async () => {
    await expect(
      admin.costCenters.assign({
        target: 'apiKey',
        apiKeyId: keys[1]!.id,
        shares: [
          { costCenterId: centers.eng!, percent: 50 },
          { costCenterId: centers.mkt!, percent: 40 },
        ],
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('add up to 90') })
    await expect(
      admin.costCenters.assign({
        target: 'apiKey',
        apiKeyId: keys[1]!.id,
        shares: [{ costCenterId: centers.eng!, percent: 33.333 }],
      }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    })
    await admin.costCenters.assign({
      target: 'apiKey',
      apiKeyId: keys[1]!.id,
      shares: [
        { costCenterId: centers.eng!, percent: 33.33 },
        { costCenterId: centers.mkt!, percent: 33.33 },
        { costCenterId: centers.research!, percent: 33.34 },
      ],
    })
    await admin.costCenters.assign({ target: 'member', userId: people[0]!, costCenterId: centers.research! })
    await admin.costCenters.assign({ target: 'prompt', promptId: promptIds[0]!, costCenterId: centers.mkt! })
    const listed = await admin.costCenters.list()
    expect(listed.apiKeys).toEqual([
      { apiKeyId: keys[1]!.id, shares: expect.arrayContaining([{ costCenterId: centers.research, percent: 33.34 }]) },
    ])
    expect(listed.members).toEqual([{ userId: people[0], costCenterId: centers.research }])
    const audited = await db.selectFrom('audit_log').select('action').where('action', 'like', 'cost_center.%').execute()
    expect(audited.filter((a) => a.action === 'cost_center.assigned')).toHaveLength(3)
  })

  it('stats grouped by cost centre and the monthly allocation report split a shared key exactly, with “unallocated” as its own line', async () => {
    const at = '2026-01-10T12:00:00Z'
    // $1 on the split key (no prompt, no member): 33.33 / 33.33 / 33.34 % of 1,000,000,000 nano.
    await recordUsage(db, scope(null, keys[1]!.id), [
      { model: 'gpt-4o-mini', inputTokens: 6_666_666, outputTokens: 0, occurredAt: at },
    ])
    await recordUsage(db, scope(people[0]!), [
      { model: 'gpt-4o-mini', inputTokens: 1000, outputTokens: 0, occurredAt: at },
    ])
    await recordUsage(db, scope(people[1]!), [
      { model: 'gpt-4o-mini', inputTokens: 2000, outputTokens: 0, occurredAt: at },
    ])
    await recordUsage(db, scope(people[0]!), [
      { model: 'gpt-4o-mini', inputTokens: 3000, outputTokens: 0, occurredAt: at, promptId: promptIds[0]! },
    ])
    await recordUsage(db, scope(people[1]!), [
      {
        model: 'gpt-4o-mini',
        inputTokens: 4000,
        outputTokens: 0,
        occurredAt: at,
        costCenter: 'eng',
        promptId: promptIds[0]!,
      },
    ])
    const stats = await admin.usage.stats({ from: '2026-01-01', to: '2026-01-31', groupBy: 'costCenter' })
    const byKey = Object.fromEntries(stats.groups.map((g) => [g.key ?? 'unallocated', g.costUsd]))
    // $0.15 per 1M input tokens. The key's 999,999,900 nano split 33.33/33.33/33.34 %: the two 33.33 % shares have
    // the larger remainders, so each gets one of the two leftover nano-dollars.
    expect(byKey).toEqual({
      eng: nanoToUsd(333_299_967n + 4000n * 150n),
      mkt: nanoToUsd(333_299_967n + 3000n * 150n),
      research: nanoToUsd(333_399_966n + 1000n * 150n),
      unallocated: nanoToUsd(2000n * 150n),
    })
    const sum = stats.groups.reduce((s, g) => s + usdToNano(g.costUsd), 0n)
    expect(sum).toBe(usdToNano(stats.totals.costUsd))

    const data = await buildReport(db, scope(null), { groupBy: 'costCenter', range: month, metrics: ['cost', 'runs'] })
    const rows = parse(reportCsv(data).toString('utf8'), { columns: true }) as Record<string, string>[]
    expect(rows.map((r) => r.cost_center)).toEqual(
      expect.arrayContaining(['eng', 'mkt', 'research', 'unallocated', 'TOTAL']),
    )
    expect(rows.find((r) => r.cost_center === 'unallocated')).toMatchObject({ name: 'Unallocated' })
    const lines = rows.filter((r) => r.cost_center !== 'TOTAL')
    expect(lines.reduce((s, r) => s + usdToNano(r.cost_usd!), 0n)).toBe(
      usdToNano(rows.find((r) => r.cost_center === 'TOTAL')!.cost_usd!),
    )
    expect(lines.reduce((s, r) => s + BigInt(r.runs!), 0n)).toBe(
      BigInt(rows.find((r) => r.cost_center === 'TOTAL')!.runs!),
    )
  })

  it('property: over random events and assignments, the allocation report’s lines add up to the team total to the nano-dollar', async () => {
    const models = ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4-5', 'o4-mini', 'deepseek-chat', 'no-such-model']
    const codes = ['eng', 'mkt', 'research']
    const event = fc.record({
      model: fc.constantFrom(...models),
      inputTokens: fc.integer({ min: 0, max: 3_000_000 }),
      outputTokens: fc.integer({ min: 0, max: 200_000 }),
      who: fc.integer({ min: 0, max: people.length + keys.length }),
      prompt: fc.option(fc.constantFrom(...promptIds), { nil: undefined }),
      costCenter: fc.option(fc.constantFrom(...codes), { nil: undefined }),
      day: fc.integer({ min: 1, max: 31 }),
      minute: fc.integer({ min: 0, max: 1439 }),
    })
    const split = fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 3 }).map((weights) => {
      const total = weights.reduce((s, w) => s + w, 0)
      const bp = weights.map((w) => Math.floor((w * 10_000) / total))
      bp[0]! += 10_000 - bp.reduce((s, w) => s + w, 0)
      return bp.map((b, i) => ({ costCenterId: centers[codes[i]!]!, percent: b / 100 })).filter((s) => s.percent > 0)
    })
    await fc.assert(
      fc.asyncProperty(
        fc.array(event, { minLength: 1, maxLength: 40 }),
        split,
        fc.option(fc.constantFrom(...codes), { nil: null }),
        async (events, shares, memberCenter) => {
          await sql`truncate token_usage_logs, usage_rollup_daily, usage_rollup_15min, usage_idempotency_keys`.execute(
            db,
          )
          await admin.costCenters.assign({ target: 'apiKey', apiKeyId: keys[0]!.id, shares })
          await admin.costCenters.assign({
            target: 'member',
            userId: people[2]!,
            costCenterId: memberCenter ? centers[memberCenter]! : null,
          })
          for (const e of events) {
            const who =
              e.who < people.length
                ? scope(people[e.who]!)
                : e.who < people.length + keys.length
                  ? scope(null, keys[e.who - people.length]!.id)
                  : scope(null)
            const occurredAt = new Date(Date.UTC(2026, 0, e.day, 0, e.minute)).toISOString()
            await recordUsage(db, who, [
              {
                model: e.model,
                inputTokens: e.inputTokens,
                outputTokens: e.outputTokens,
                promptId: e.prompt,
                costCenter: e.costCenter,
                occurredAt,
              },
            ])
          }
          const expected = await sql<{
            cost: string
          }>`select coalesce(sum(cost_usd), 0)::text as cost from token_usage_logs where team_id = ${team.id}`.execute(
            db,
          )
          const data = await buildReport(db, scope(null), { groupBy: 'costCenter', range: month, metrics: ['cost'] })
          const lines = data.allocation!
          expect(lines.reduce((s, l) => s + usdToNano(l.costUsd), 0n)).toBe(usdToNano(expected.rows[0]!.cost))
          expect(usdToNano(data.totals.costUsd)).toBe(usdToNano(expected.rows[0]!.cost))
          const csv = parse(reportCsv(data).toString('utf8'), { columns: true }) as Record<string, string>[]
          const total = csv.find((r) => r.cost_center === 'TOTAL')!
          expect(csv.filter((r) => r !== total).reduce((s, r) => s + usdToNano(r.cost_usd!), 0n)).toBe(
            usdToNano(total.cost_usd!),
          )
        },
      ),
      { numRuns: 25 },
    )
  })
})
