import { calculateCost, nanoToUsd, usdToNano } from '@costwise/core'
import { jobs, teams, users, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiKey } from '../auth/api-keys'
import { handleRestRequest } from '../http'
import { repriceUnpriced } from '../services/reprice'

/**
 * Over REST, as internal tools use it: negotiated prices, Azure deployment names, the new `track` fields, and
 * reconciliation with synthetic provider exports.
 */

let t: TestDb
let db: Db
let key: string
let otherKey: string

const call = async (method: string, path: string, body?: unknown, apiKey: string = key) => {
  const request = new Request(`http://localhost/api${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const res = await handleRestRequest(db, request)
  return { status: res.status, json: (await res.json()) as any }
}

beforeAll(async () => {
  t = await createTestDb()
  db = t.db
  const team = await teams.insertTeam(db, { slug: 'price-team', name: 'Prices' })
  const other = await teams.insertTeam(db, { slug: 'price-other', name: 'Other' })
  const user = await users.insertUser(db, { email: 'p@prices.test', name: 'P', passwordHash: 'x' })
  await teams.upsertMember(db, team.id, user.id, 'owner')
  key = (
    await createApiKey(db, { teamId: team.id, name: 'tool', scopes: ['usage:write', 'usage:read', 'budgets:write'] })
  ).key
  otherKey = (
    await createApiKey(db, { teamId: other.id, name: 'other', scopes: ['usage:write', 'usage:read', 'budgets:write'] })
  ).key
})
afterAll(async () => t.destroy())

describe('negotiated prices and model names', () => {
  it('a provider discount with dates prices tracked calls; other teams keep list prices', async () => {
    const added = await call('POST', '/prices/discounts', {
      provider: 'OpenAI',
      percent: '12.5',
      effectiveFrom: '2026-01-01',
      note: 'enterprise agreement',
    })
    expect(added.status).toBe(200)
    const body = { model: 'gpt-4o', inputTokens: 123_457, outputTokens: 7, occurredAt: '2026-06-01T12:00:00Z' }
    const mine = await call('POST', '/usage/track', body)
    const theirs = await call('POST', '/usage/track', body, otherKey)
    const list = calculateCost('gpt-4o', body, new Date(body.occurredAt)).totalNano
    expect(usdToNano(theirs.json.costUsd)).toBe(list)
    expect(mine.json.priceVersion).toBe(`gpt-4o@2024-10-01~discount:${added.json.id}`)
    expect(mine.json.costUsd).toBe(nanoToUsd(270_062_188n + 61_250n)) // 308,642,500 × 0.875 (half-up) + 70,000 × 0.875
    const table = await call('GET', '/prices')
    expect(table.json.discounts).toEqual([
      expect.objectContaining({ provider: 'openai', percent: '12.50', effectiveFrom: '2026-01-01', effectiveTo: null }),
    ])
    expect((await call('DELETE', `/prices/discounts?id=${added.json.id}`)).json).toEqual({ deleted: true })
    // Both changes are in the team's audit log, written with them.
    const audited = await db
      .selectFrom('audit_log')
      .select(['action', 'target_type', 'target_id', 'actor_kind', 'before', 'after'])
      .where('target_id', '=', added.json.id)
      .orderBy('occurred_at')
      .execute()
    expect(audited).toMatchObject([
      {
        action: 'prices.changed',
        target_type: 'discount',
        actor_kind: 'api_key',
        before: null,
        after: { provider: 'openai', percent: '12.5' },
      },
      { action: 'prices.changed', target_type: 'discount', actor_kind: 'api_key', after: null },
    ])
  })

  it('custom prices take effect and end on their dates; a duplicate date is a 409 naming the field', async () => {
    const price = {
      model: 'gpt-4o-mini',
      effectiveFrom: '2026-02-01',
      effectiveTo: '2026-02-28',
      inputPerMTok: '0.10',
      outputPerMTok: '0.40',
    }
    const added = await call('POST', '/prices/custom', price)
    expect(added.status).toBe(200)
    const again = await call('POST', '/prices/custom', price)
    expect(again.status).toBe(409)
    expect(again.json.field ?? again.json.data?.field).toBe('effectiveFrom')
    const inside = await call('POST', '/usage/track', {
      model: 'gpt-4o-mini',
      inputTokens: 1_000_000,
      outputTokens: 0,
      occurredAt: '2026-02-28T23:00:00Z',
    })
    const outside = await call('POST', '/usage/track', {
      model: 'gpt-4o-mini',
      inputTokens: 1_000_000,
      outputTokens: 0,
      occurredAt: '2026-03-01T00:00:00Z',
    })
    expect(inside.json).toMatchObject({ costUsd: '0.1', priceVersion: `custom:${added.json.id}` })
    expect(outside.json).toMatchObject({ costUsd: '0.15', priceVersion: 'gpt-4o-mini@2024-10-01' })
    const bad = await call('POST', '/prices/custom', {
      ...price,
      effectiveFrom: '2026-03-01',
      effectiveTo: '2026-02-01',
    })
    expect(bad.status).toBe(400)
  })

  it('an Azure deployment name is priced once mapped in team settings (and is unpriced and flagged before)', async () => {
    const before = await call('POST', '/usage/track', {
      model: 'azure/support-prod',
      inputTokens: 1000,
      outputTokens: 100,
    })
    expect(before.json).toMatchObject({ unpriced: true, costUsd: '0' })
    expect(before.json.unpricedReason).toMatch(/not in the price catalogue/)
    const mapped = await call('PUT', '/prices/mappings', {
      name: 'Azure/Support-Prod',
      model: 'gpt-4o-mini-2024-07-18',
    })
    expect(mapped.json).toEqual({ name: 'support-prod', model: 'gpt-4o-mini' })
    expect((await call('GET', '/prices/mappings')).json.mappings).toEqual([
      { name: 'support-prod', model: 'gpt-4o-mini' },
    ])
    const after = await call('POST', '/usage/track', {
      model: 'azure/support-prod',
      inputTokens: 1000,
      outputTokens: 100,
    })
    expect(after.json).toMatchObject({ unpriced: false, model: 'gpt-4o-mini', costUsd: '0.00021' })
    const unknown = await call('PUT', '/prices/mappings', { name: 'x', model: 'mistral-large-2512' })
    expect(unknown.status).toBe(400)
    expect((await call('DELETE', '/prices/mappings?name=support-prod')).json).toEqual({ deleted: true })
  })

  it('track accepts service tier, audio/image tokens and per-call fees, and flags what it cannot price', async () => {
    const priority = await call('POST', '/usage/track', {
      model: 'gpt-5',
      inputTokens: 1_000_000,
      outputTokens: 0,
      serviceTier: 'priority',
    })
    expect(priority.json).toMatchObject({ costUsd: '2.5', unpriced: false })
    const flex = await call('POST', '/usage/track', {
      model: 'gpt-4o',
      inputTokens: 1000,
      outputTokens: 0,
      serviceTier: 'flex',
    })
    expect(flex.json).toMatchObject({ unpriced: true })
    expect(flex.json.unpricedReason).toMatch(/no flex processing price/)
    const audio = await call('POST', '/usage/track', {
      model: 'gemini-2.5-flash',
      inputTokens: 1_000_000,
      audioInputTokens: 400_000,
      outputTokens: 0,
    })
    expect(audio.json.costUsd).toBe('0.58') // 600k × 0.30 + 400k × 1.00
    const search = await call('POST', '/usage/track', {
      model: 'claude-haiku-4-5',
      inputTokens: 0,
      outputTokens: 0,
      toolCalls: { web_search: 3 },
    })
    expect(search.json.costUsd).toBe('0.03')
    const row = await db
      .selectFrom('token_usage_logs')
      .select(['tool_calls', 'audio_input_tokens', 'service_tier'])
      .where('id', 'in', [search.json.id, audio.json.id, priority.json.id])
      .execute()
    expect(row).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ tool_calls: { web_search: 3 } }),
        expect.objectContaining({ audio_input_tokens: 400_000 }),
        expect.objectContaining({ service_tier: 'priority' }),
      ]),
    )
    const badTier = await call('POST', '/usage/track', {
      model: 'gpt-5',
      inputTokens: 1,
      outputTokens: 0,
      serviceTier: 'turbo',
    })
    expect(badTier.status).toBe(400)
    const badAudio = await call('POST', '/usage/track', {
      model: 'gpt-5',
      inputTokens: 1,
      outputTokens: 0,
      audioInputTokens: 2,
    })
    expect(badAudio.status).toBe(400)
  })

  it('a dated snapshot the catalogue does not list is recorded unpriced and flagged, never priced as its neighbour', async () => {
    const res = await call('POST', '/usage/track', {
      model: 'mistral-large-2512',
      inputTokens: 1000,
      outputTokens: 1000,
    })
    expect(res.json).toMatchObject({ unpriced: true, costUsd: '0', model: null })
    expect(res.json.unpricedReason).toContain('a version of mistral-large')
    const row = await db
      .selectFrom('token_usage_logs')
      .select(['priced', 'unpriced_reason'])
      .where('id', '=', res.json.id)
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({ priced: false, unpriced_reason: expect.stringContaining('usage reprice') })
  })

  it('members of the API key’s team only; API keys act as admin', async () => {
    const other = await call('GET', '/prices', undefined, otherKey)
    expect(other.json.discounts).toEqual([])
  })
})

/** A synthetic OpenAI costs API page (group_by=line_item). */
function openAiExport(days: { day: string; items: [string, string][] }[]) {
  return JSON.stringify({
    object: 'page',
    data: days.map((d) => ({
      object: 'bucket',
      start_time: Date.parse(`${d.day}T00:00:00Z`) / 1000,
      end_time: Date.parse(`${d.day}T00:00:00Z`) / 1000 + 86_400,
      results: d.items.map(([lineItem, value]) => ({
        object: 'organization.costs.result',
        amount: { value: Number(value), currency: 'usd' },
        line_item: lineItem,
        project_id: null,
      })),
    })),
    has_more: false,
    next_page: null,
  })
}

describe('GET /api/reconciliation', () => {
  it('shows 100 % capture when all usage was tracked, and the exact missing amount when it was not', async () => {
    const team = await teams.findTeamBySlug(db, 'price-other')
    expect(team).toBeTruthy()
    // Tracked in November: gpt-4o on the 3rd and 4th (UTC days), o3 on the 4th.
    const events = [
      { model: 'gpt-4o-2024-11-20', inputTokens: 100_000, outputTokens: 10_000, occurredAt: '2026-11-03T23:59:59Z' }, // $0.35
      { model: 'gpt-4o', inputTokens: 40_000, outputTokens: 1_000, occurredAt: '2026-11-04T00:00:00Z' }, // $0.11
      { model: 'o3', inputTokens: 1_000, outputTokens: 500, occurredAt: '2026-11-04T08:00:00Z' }, // $0.006
    ]
    for (const e of events) expect((await call('POST', '/usage/track', e, otherKey)).status).toBe(200)

    const complete = openAiExport([
      {
        day: '2026-11-03',
        items: [
          ['gpt-4o-2024-11-20, input', '0.25'],
          ['gpt-4o-2024-11-20, output', '0.1'],
        ],
      },
      {
        day: '2026-11-04',
        items: [
          ['gpt-4o-2024-11-20, input', '0.1'],
          ['gpt-4o-2024-11-20, output', '0.01'],
          ['o3-2025-04-16, input', '0.002'],
          ['o3-2025-04-16, output', '0.004'],
        ],
      },
    ])
    const imported = await call(
      'POST',
      '/reconciliation/import',
      { provider: 'openai', month: '2026-11', fileName: 'costs.json', content: complete },
      otherKey,
    )
    expect(imported.status).toBe(200)
    expect(imported.json).toMatchObject({
      providerTotalUsd: '0.466',
      trackedTotalUsd: '0.466',
      missingUsd: '0',
      overUsd: '0',
      captureRatePct: 100,
    })

    // Usage that bypassed Costwise: more gpt-4o on the 4th and a model never tracked on the 5th.
    const partial = openAiExport([
      {
        day: '2026-11-03',
        items: [
          ['gpt-4o-2024-11-20, input', '0.25'],
          ['gpt-4o-2024-11-20, output', '0.1'],
        ],
      },
      {
        day: '2026-11-04',
        items: [
          ['gpt-4o-2024-11-20, input', '0.123456789'],
          ['gpt-4o-2024-11-20, output', '0.01'],
          ['o3-2025-04-16, input', '0.002'],
          ['o3-2025-04-16, output', '0.004'],
        ],
      },
      { day: '2026-11-05', items: [['gpt-4.1-mini-2025-04-14, input', '1.5']] },
    ])
    await call('POST', '/reconciliation/import', { provider: 'openai', month: '2026-11', content: partial }, otherKey)
    const report = await call('GET', '/reconciliation?provider=openai&month=2026-11', undefined, otherKey)
    expect(report.status).toBe(200)
    expect(report.json).toMatchObject({
      providerTotalUsd: '1.989456789',
      trackedTotalUsd: '0.466',
      missingUsd: '1.523456789',
      overUsd: '0',
    })
    expect(report.json.captureRatePct).toBe(23.42)
    expect(report.json.rows).toEqual([
      {
        day: '2026-11-03',
        model: 'gpt-4o',
        providerUsd: '0.35',
        trackedUsd: '0.35',
        differenceUsd: '0',
        unpricedRuns: 0,
      },
      {
        day: '2026-11-04',
        model: 'gpt-4o',
        providerUsd: '0.133456789',
        trackedUsd: '0.11',
        differenceUsd: '0.023456789',
        unpricedRuns: 0,
      },
      {
        day: '2026-11-04',
        model: 'o3',
        providerUsd: '0.006',
        trackedUsd: '0.006',
        differenceUsd: '0',
        unpricedRuns: 0,
      },
      {
        day: '2026-11-05',
        model: 'gpt-4.1-mini',
        providerUsd: '1.5',
        trackedUsd: '0',
        differenceUsd: '1.5',
        unpricedRuns: 0,
      },
    ])
    // The other team sees nothing of it.
    expect((await call('GET', '/reconciliation?provider=openai&month=2026-11')).json).toMatchObject({
      imported: null,
      providerTotalUsd: '0',
      captureRatePct: null,
    })
  })

  it('refuses bad exports with a 400 naming the field', async () => {
    const outside = openAiExport([{ day: '2026-10-31', items: [['gpt-4o, input', '1']] }])
    const res = await call('POST', '/reconciliation/import', { provider: 'openai', month: '2026-11', content: outside })
    expect(res.status).toBe(400)
    expect(res.json.message).toMatch(/outside 2026-11/)
    expect((await call('GET', '/reconciliation?provider=openai&month=2026-13')).status).toBe(400)
    expect(
      (
        await call('POST', '/reconciliation/import', {
          provider: 'anthropic',
          month: '2026-11',
          content: 'date,amount\n',
        })
      ).status,
    ).toBe(400)
  })
})

describe('pricing an unpriced model from the app', () => {
  it('lists the unpriced model, takes a custom price, queues the re-pricing job, and the job prices the rows', async () => {
    const team = await teams.insertTeam(db, { slug: 'price-unpriced', name: 'Unpriced' })
    const own = (
      await createApiKey(db, { teamId: team.id, name: 'tool', scopes: ['usage:write', 'usage:read', 'budgets:write'] })
    ).key
    const body = {
      model: 'acme-internal-llm',
      inputTokens: 2_000_000,
      outputTokens: 500_000,
      occurredAt: '2026-11-20T10:00:00Z',
    }
    expect((await call('POST', '/usage/track', body, own)).json.costUsd).toBe('0')
    await call('POST', '/usage/track', { ...body, occurredAt: '2026-11-21T10:00:00Z' }, own)
    const unpriced = await call('GET', '/prices/unpriced', undefined, own)
    expect(unpriced.json.models).toEqual([
      {
        model: 'acme-internal-llm',
        rows: 2,
        firstSeen: '2026-11-20T10:00:00.000Z',
        lastSeen: '2026-11-21T10:00:00.000Z',
      },
    ])
    // Another team sees none of it.
    expect((await call('GET', '/prices/unpriced', undefined, otherKey)).json.models).toEqual([])

    expect(
      (
        await call(
          'POST',
          '/prices/custom',
          { model: 'acme-internal-llm', inputPerMTok: '1', outputPerMTok: '4', effectiveFrom: '2026-11-20' },
          own,
        )
      ).status,
    ).toBe(200)
    const queued = await call('POST', '/prices/reprice-unpriced', {}, own)
    expect(queued.json).toEqual({ queued: true, unpricedRows: 2 })
    const job = (await jobs.listPendingJobs(db, 'usage__reprice_unpriced')).find(
      (j) => j.jobKey === `usage__reprice_unpriced:${team.id}`,
    )
    expect(job?.payload).toEqual({ teamId: team.id })

    // What the worker's job runs: the CLI's exact re-pricing, for this team's unpriced rows.
    const result = await repriceUnpriced(db, { teamId: team.id })
    expect(result).toMatchObject({ repriced: 2, stillUnpriced: 0, deltaUsd: '8' }) // 2 × ($2 input + $2 output)
    expect((await call('GET', '/prices/unpriced', undefined, own)).json.models).toEqual([])
  })

  it('is for admins: a key without budgets:write cannot queue it', async () => {
    const team = await teams.insertTeam(db, { slug: 'price-readonly', name: 'Read only' })
    const readOnly = (await createApiKey(db, { teamId: team.id, name: 'reader', scopes: ['usage:read'] })).key
    expect((await call('POST', '/prices/reprice-unpriced', {}, readOnly)).status).toBe(403)
  })
})
