import { teams, usage, users, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { fetchRequestHandler } from '@trpc/server/adapters/fetch'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiKey } from './auth/api-keys'
import { hashPassword } from './auth/secrets'
import { issueSession } from './auth/service'
import { createContext, createContextFromRequest } from './context'
import { appRouter, createCaller } from './root'

describe('tenancy: a user or key of team A never reaches team B', () => {
  let t: TestDb
  let db: Db
  const ids = {} as Record<'teamA' | 'teamB' | 'alice' | 'bob' | 'keyB', string>
  let keyA: string
  let keyB: string
  let aliceToken: string

  beforeAll(async () => {
    t = await createTestDb()
    db = t.db
    const teamA = await teams.insertTeam(db, { slug: 'team-a', name: 'A' })
    const teamB = await teams.insertTeam(db, { slug: 'team-b', name: 'B' })
    const passwordHash = await hashPassword('password-a')
    const alice = await users.insertUser(db, { email: 'alice@a.test', name: 'Alice', passwordHash })
    const bob = await users.insertUser(db, { email: 'bob@b.test', name: 'Bob', passwordHash })
    await teams.upsertMember(db, teamA.id, alice.id, 'owner')
    await teams.upsertMember(db, teamB.id, bob.id, 'owner')
    Object.assign(ids, { teamA: teamA.id, teamB: teamB.id, alice: alice.id, bob: bob.id })
    keyA = (await createApiKey(db, { teamId: teamA.id, name: 'a' })).key
    const b = await createApiKey(db, { teamId: teamB.id, name: 'b' })
    keyB = b.key
    ids.keyB = b.record.id
    aliceToken = (await issueSession(db, alice.id)).token
    // Some usage for team B only.
    await usage.insertUsageRows(db, [
      {
        team_id: teamB.id,
        occurred_at: new Date(),
        provider: 'openai',
        model: 'gpt-4o',
        priced: true,
        input_tokens: 10,
        output_tokens: 5,
        cost_usd: '1.250000000',
      },
    ])
    await usage.rebuildRollups(db, {
      teamId: teamB.id,
      timeZone: 'UTC',
      start: new Date(Date.now() - 86_400_000 * 2),
      end: new Date(Date.now() + 86_400_000 * 2),
    })
  })
  afterAll(async () => t.destroy())

  const asAlice = async (teamSlug: string | null = null) =>
    createCaller(await createContext({ db, sessionToken: aliceToken, teamSlug }))
  const asKey = async (apiKey: string) => createCaller(await createContext({ db, apiKey }))

  it('a user works in their own team by default', async () => {
    const api = await asAlice()
    const current = await api.teams.current()
    expect(current.team.slug).toBe('team-a')
    expect(current.members.map((m) => m.email)).toEqual(['alice@a.test'])
  })

  it('a user who names another team is refused', async () => {
    const api = await asAlice('team-b')
    await expect(api.teams.current()).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(api.analytics.daily({ days: 7 })).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })

  it('a user cannot revoke another team’s key', async () => {
    const api = await asAlice()
    await expect(api.apiKeys.revoke({ id: ids.keyB })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    const stored = await db
      .selectFrom('api_keys')
      .select('revoked_at')
      .where('id', '=', ids.keyB)
      .executeTakeFirstOrThrow()
    expect(stored.revoked_at).toBeNull()
  })

  it('an API key sees only its own team’s usage', async () => {
    const a = await (await asKey(keyA)).analytics.daily({ days: 3 })
    const b = await (await asKey(keyB)).analytics.daily({ days: 3 })
    expect(a.totals.costUsd).toBe('0')
    expect(b.totals.costUsd).toBe('1.25')
    expect(b.totals.runs).toBe(1)
  })

  it('a key cannot list, create or revoke keys, of its own team or any other', async () => {
    const api = await asKey(keyA)
    await expect(api.apiKeys.list()).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(api.apiKeys.create({ name: 'minted' })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(api.apiKeys.revoke({ id: ids.keyB })).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })

  it('no key, a wrong key or a revoked key is 401 over HTTP', async () => {
    const call = async (authorization?: string) => {
      const request = new Request('http://localhost/api/trpc/budgets.list', {
        headers: authorization ? { authorization } : {},
      })
      return fetchRequestHandler({
        endpoint: '/api/trpc',
        req: request,
        router: appRouter,
        createContext: () => createContextFromRequest(db, request),
      })
    }
    expect((await call()).status).toBe(401)
    expect((await call('Bearer cw_not-a-real-key')).status).toBe(401)
    const ok = await call(`Bearer ${keyA}`)
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({ result: { data: { budgets: [] } } })

    const temp = await createApiKey(db, { teamId: ids.teamA, name: 'temp' })
    await (await asAlice()).apiKeys.revoke({ id: temp.record.id })
    expect((await call(`Bearer ${temp.key}`)).status).toBe(401)

    // An expired key is no key either.
    const expiring = await createApiKey(db, { teamId: ids.teamA, name: 'expiring', expiresInDays: 1 })
    expect((await call(`Bearer ${expiring.key}`)).status).toBe(200)
    await db
      .updateTable('api_keys')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', expiring.record.id)
      .execute()
    expect((await call(`Bearer ${expiring.key}`)).status).toBe(401)
  })

  it('bad input is a 400 that names the field', async () => {
    const api = await asAlice()
    const error = await api.apiKeys.create({ name: '' }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'BAD_REQUEST' })
    const request = new Request(
      'http://localhost/api/trpc/analytics.daily?input=' + encodeURIComponent(JSON.stringify({ days: 0 })),
      {
        headers: { authorization: `Bearer ${keyA}` },
      },
    )
    const res = await fetchRequestHandler({
      endpoint: '/api/trpc',
      req: request,
      router: appRouter,
      createContext: () => createContextFromRequest(db, request),
    })
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: { message: string; data: { field: string; appCode: string } } }
    expect(body.error.data.field).toBe('days')
    expect(body.error.data.appCode).toBe('BAD_INPUT')
    expect(body.error.message).toContain('days')
  })

  it('viewers cannot manage keys', async () => {
    const viewer = await users.insertUser(db, { email: 'vic@a.test', name: 'Vic', passwordHash: 'x' })
    await teams.upsertMember(db, ids.teamA, viewer.id, 'viewer')
    const token = (await issueSession(db, viewer.id)).token
    const api = createCaller(await createContext({ db, sessionToken: token }))
    await expect(api.apiKeys.create({ name: 'nope' })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    expect((await api.teams.current()).team.slug).toBe('team-a')
  })
})
