import { teams, users, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiKey } from '../auth/api-keys'
import { openApiDocument } from '../http'
import { restCall } from '../testing/rest'

let t: TestDb
let db: Db
let key: string
let otherKey: string
let readOnlyKey: string

const call = (method: string, path: string, body?: unknown, apiKey = key) => restCall(db, method, path, body, apiKey)

beforeAll(async () => {
  t = await createTestDb()
  db = t.db
  const team = await teams.insertTeam(db, { slug: 'prompts-rest', name: 'Prompts', timeZone: 'UTC' })
  const other = await teams.insertTeam(db, { slug: 'prompts-other', name: 'Other' })
  const user = await users.insertUser(db, { email: 'p@prompts.test', name: 'P', passwordHash: 'x' })
  await teams.upsertMember(db, team.id, user.id, 'owner')
  const scopes = ['usage:read', 'budgets:read', 'prompts:write'] as const
  key = (await createApiKey(db, { teamId: team.id, name: 'tool', scopes: [...scopes] })).key
  otherKey = (await createApiKey(db, { teamId: other.id, name: 'other', scopes: [...scopes] })).key
  readOnlyKey = (await createApiKey(db, { teamId: team.id, name: 'reader' })).key
})
afterAll(async () => t?.destroy())

describe('prompts over REST', () => {
  it('creates, lists, changes (as versions) and reverts a prompt', async () => {
    const created = await call('POST', '/prompts', {
      name: 'Summariser',
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'Summarise for {{audience}}.' },
        { role: 'user', content: '{{text}}' },
      ],
      maxOutputTokens: 300,
    })
    expect(created.status).toBe(200)
    expect(created.json).toMatchObject({
      name: 'Summariser',
      model: 'gpt-4o',
      maxOutputTokens: 300,
      version: 1,
      caching: false,
    })
    expect(created.json.messages).toEqual([
      { role: 'system', content: 'Summarise for {{audience}}.' },
      { role: 'user', content: '{{text}}' },
    ])
    const id = created.json.id as string

    const listed = await call('GET', '/prompts')
    expect(listed.json.items.map((p: { id: string }) => p.id)).toEqual([id])

    const patched = await call('PATCH', `/prompts/${id}`, { model: 'gpt-4.1-mini', maxOutputTokens: 200 })
    expect(patched.json).toMatchObject({ model: 'gpt-4.1-mini', maxOutputTokens: 200, version: 2, name: 'Summariser' })
    const unchanged = await call('PATCH', `/prompts/${id}`, { model: 'gpt-4.1-mini' })
    expect(unchanged.json.version).toBe(2) // nothing changed, no version

    const versions = await call('GET', `/prompts/${id}/versions`)
    expect(versions.json.items.map((v: { version: number; source: string }) => [v.version, v.source])).toEqual([
      [2, 'edit'],
      [1, 'create'],
    ])
    expect(versions.json.items[0]).toMatchObject({
      changed: ['model', 'maxOutputTokens'],
      before: { model: 'gpt-4o', maxOutputTokens: 300 },
      after: { model: 'gpt-4.1-mini', maxOutputTokens: 200 },
      changedBy: { kind: 'api_key' },
    })

    const reverted = await call('POST', `/prompts/${id}/revert`, { version: 1 })
    expect(reverted.json).toMatchObject({ model: 'gpt-4o', maxOutputTokens: 300, version: 3 })
    expect((await call('GET', `/prompts/${id}`)).json.version).toBe(3)
  })

  it('bad input is a 400 naming the field, and changes nothing', async () => {
    const noUser = await call('POST', '/prompts', {
      name: 'X',
      model: 'gpt-4o',
      messages: [{ role: 'system', content: 'only a system message' }],
    })
    expect(noUser.status).toBe(400)
    expect(noUser.json).toMatchObject({ code: 'BAD_INPUT', field: 'messages' })
    const badRole = await call('POST', '/prompts', {
      name: 'X',
      model: 'gpt-4o',
      messages: [{ role: 'assistant', content: 'hi' }],
    })
    expect(badRole.json).toMatchObject({ code: 'BAD_INPUT', field: 'messages.0.role' })
    const badTokens = await call('POST', '/prompts', {
      name: 'X',
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hi' }],
      maxOutputTokens: 0,
    })
    expect(badTokens.json).toMatchObject({ code: 'BAD_INPUT', field: 'maxOutputTokens' })
    const order = await call('POST', '/prompts', {
      name: 'X',
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'system', content: 'late' },
      ],
    })
    expect(order.json).toMatchObject({ code: 'BAD_INPUT', field: 'messages.1.role' })
    const badVersion = await call('POST', `/prompts/${(await call('GET', '/prompts')).json.items[0].id}/revert`, {
      version: 99,
    })
    expect(badVersion).toMatchObject({ status: 404, json: { code: 'NOT_FOUND', field: 'version' } })
    expect((await call('GET', '/prompts')).json.items).toHaveLength(1)
  })

  it('another team sees none of them and cannot change them', async () => {
    const [prompt] = (await call('GET', '/prompts')).json.items
    expect((await call('GET', '/prompts', undefined, otherKey)).json.items).toEqual([])
    expect((await call('GET', `/prompts/${prompt.id}`, undefined, otherKey)).status).toBe(404)
    expect((await call('PATCH', `/prompts/${prompt.id}`, { name: 'Mine now' }, otherKey)).status).toBe(404)
    expect((await call('GET', `/prompts/${prompt.id}/versions`, undefined, otherKey)).status).toBe(404)
  })

  it('a key lists prompts with usage:read; changing them, refreshing and applying need prompts:write (403 naming it)', async () => {
    const prompt = (
      await call('POST', '/prompts', {
        name: 'Scoped',
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Hi' }],
      })
    ).json
    expect(
      (await call('GET', '/prompts', undefined, readOnlyKey)).json.items.map((p: { id: string }) => p.id),
    ).toContain(prompt.id)
    expect((await call('GET', `/prompts/${prompt.id}/versions`, undefined, readOnlyKey)).status).toBe(200)
    expect((await call('GET', '/recommendations', undefined, readOnlyKey)).status).toBe(200)
    const refused = [
      await call(
        'POST',
        '/prompts',
        { name: 'Nope', model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] },
        readOnlyKey,
      ),
      await call('PATCH', `/prompts/${prompt.id}`, { name: 'Nope' }, readOnlyKey),
      await call('POST', `/prompts/${prompt.id}/revert`, { version: 1 }, readOnlyKey),
      await call('POST', '/recommendations/refresh', {}, readOnlyKey),
      await call('POST', '/recommendations/00000000-0000-4000-8000-000000000000/apply', {}, readOnlyKey),
    ]
    for (const r of refused)
      expect(r).toMatchObject({ status: 403, json: { code: 'FORBIDDEN', missingScope: 'prompts:write' } })
    expect((await call('GET', `/prompts/${prompt.id}`)).json).toMatchObject({ name: 'Scoped', version: 1 })
  })

  it('recommendations, forecast and budget suggestions answer in their contract shapes', async () => {
    const refreshed = await call('POST', '/recommendations/refresh', {})
    expect(refreshed.status).toBe(200)
    expect(refreshed.json).toMatchObject({ items: [], summary: { savedThisMonthUsd: '0', savedPercent: 0 } })
    expect((await call('GET', '/recommendations')).json.items).toEqual([])
    const forecast = await call('GET', '/forecast')
    expect(forecast.status).toBe(200)
    expect(forecast.json).toMatchObject({ team: { projectedCostUsd: '0', lowUsd: '0', highUsd: '0' }, budgets: [] })
    expect(typeof forecast.json.team.periodEnd).toBe('string')
    const suggestion = await call('GET', '/usage/budget/suggestion?scope=team&period=month')
    expect(suggestion.json).toMatchObject({ limitUsd: null, basis: 'none' })
    expect((await call('GET', '/usage/budget/suggestion?scope=user&period=month')).json).toMatchObject({
      code: 'BAD_INPUT',
      field: 'userId',
    })
    const apply = await call('POST', '/recommendations/00000000-0000-4000-8000-000000000000/apply', {})
    expect(apply).toMatchObject({ status: 404, json: { code: 'NOT_FOUND', field: 'id' } })
    const paths = Object.keys(openApiDocument('http://localhost').paths ?? {})
    for (const p of [
      '/prompts',
      '/prompts/{id}',
      '/recommendations',
      '/recommendations/refresh',
      '/recommendations/{id}/apply',
      '/forecast',
    ]) {
      expect(paths).toContain(p)
    }
  })
})
