import { API_KEY_SCOPES } from '@costwise/core'
import { teams, users, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiKey } from './auth/api-keys'
import { issueSession } from './auth/service'
import { createContext } from './context'
import { handleRestRequest } from './http'
import { createCaller } from './root'

describe('audit log: one row per administrative change, in the same transaction; append-only', () => {
  let t: TestDb
  let db: Db
  let teamId: string
  let ownerId: string
  let ownerToken: string
  let memberToken: string
  let key: string
  const IP = '203.0.113.5'

  beforeAll(async () => {
    t = await createTestDb()
    db = t.db
    const team = await teams.insertTeam(db, { slug: 'audited', name: 'Audited', plan: 'enterprise' })
    teamId = team.id
    const owner = await users.insertUser(db, { email: 'owner@audit.test', name: 'Owner', passwordHash: 'x' })
    const member = await users.insertUser(db, { email: 'member@audit.test', name: 'Member', passwordHash: 'x' })
    await teams.upsertMember(db, team.id, owner.id, 'owner')
    await teams.upsertMember(db, team.id, member.id, 'member')
    ownerId = owner.id
    ownerToken = (await issueSession(db, owner.id)).token
    memberToken = (await issueSession(db, member.id)).token
    key = (await createApiKey(db, { teamId, name: 'tool', scopes: [...API_KEY_SCOPES] })).key
  })
  afterAll(async () => t?.destroy())

  const owner = async () => createCaller(await createContext({ db, sessionToken: ownerToken, ip: IP }))
  const rows = () =>
    db.selectFrom('audit_log').selectAll().where('team_id', '=', teamId).orderBy('occurred_at').orderBy('id').execute()

  /** Runs a change and returns the audit rows it added. */
  async function added(change: () => Promise<unknown>) {
    const before = (await rows()).length
    await change()
    return (await rows()).slice(before)
  }

  it('keys: created and revoked by a person, with who, what, before/after and the address', async () => {
    const api = await owner()
    let id = ''
    const created = await added(async () => {
      id = (
        await api.apiKeys.create({
          name: 'ci',
          scopes: ['usage:write'],
          expiresInDays: 30,
          allowedModels: ['gpt-4o-mini'],
        })
      ).apiKey.id
    })
    expect(created).toHaveLength(1)
    expect(created[0]).toMatchObject({
      action: 'api_key.created',
      actor_kind: 'user',
      actor_user_id: ownerId,
      target_type: 'api_key',
      target_id: id,
      before: null,
      after: { name: 'ci', scopes: ['usage:write'], allowedModels: ['gpt-4o-mini'] },
      ip: IP,
    })
    const revoked = await added(() => api.apiKeys.revoke({ id }))
    expect(revoked).toHaveLength(1)
    expect(revoked[0]).toMatchObject({ action: 'api_key.revoked', before: { revokedAt: null }, after: { name: 'ci' } })
    // A change that fails writes nothing.
    expect(await added(() => api.apiKeys.revoke({ id }).catch(() => null))).toEqual([])
  })

  it('budgets: created, changed and deleted — by a key too, named as the key', async () => {
    const viaKey = createCaller(await createContext({ db, apiKey: key, ip: IP }))
    let id = ''
    const created = await added(async () => {
      id = (await viaKey.budgets.save({ name: 'Team', limitUsd: '100' })).id
    })
    expect(created).toHaveLength(1)
    expect(created[0]).toMatchObject({
      action: 'budget.created',
      actor_kind: 'api_key',
      actor_user_id: null,
      after: { name: 'Team', limitUsd: '100.000000000', mode: 'hard' },
    })
    const changed = await added(() => viaKey.budgets.save({ id, name: 'Team', limitUsd: '1000000', mode: 'soft' }))
    expect(changed).toHaveLength(1)
    expect(changed[0]).toMatchObject({
      action: 'budget.updated',
      before: { limitUsd: '100.000000000', mode: 'hard' },
      after: { limitUsd: '1000000.000000000', mode: 'soft' },
    })
    const deleted = await added(() => viaKey.budgets.delete({ id }))
    expect(deleted).toHaveLength(1)
    expect(deleted[0]).toMatchObject({ action: 'budget.deleted', before: { name: 'Team' }, after: null })
  })

  it('reports: schedule and recipients created, changed, deleted; a send is recorded too', async () => {
    const api = await owner()
    const definition = {
      metrics: ['cost' as const],
      groupBy: 'day' as const,
      range: { kind: 'rolling' as const, preset: 'last-7-days' as const },
    }
    let id = ''
    const created = await added(async () => {
      id = (
        await api.reports.save({
          name: 'Weekly',
          definition,
          format: 'csv',
          recipients: ['cfo@audit.test'],
          frequency: 'weekly',
          dayOfWeek: 1,
        })
      ).id
    })
    expect(created).toMatchObject([
      { action: 'report.created', after: { recipients: ['cfo@audit.test'], frequency: 'weekly' } },
    ])
    const changed = await added(() =>
      api.reports.save({
        id,
        name: 'Weekly',
        definition,
        format: 'csv',
        recipients: ['someone@else.test'],
        frequency: 'weekly',
        dayOfWeek: 1,
      }),
    )
    expect(changed).toMatchObject([
      {
        action: 'report.updated',
        before: { recipients: ['cfo@audit.test'] },
        after: { recipients: ['someone@else.test'] },
      },
    ])
    expect(await added(() => api.reports.sendNow({ scheduleId: id }))).toMatchObject([
      { action: 'report.sent', after: { recipients: ['someone@else.test'] } },
    ])
    expect(await added(() => api.reports.delete({ id }))).toMatchObject([
      { action: 'report.deleted', before: { name: 'Weekly' } },
    ])
  })

  it('the database refuses to change or remove a row', async () => {
    const [row] = await rows()
    await expect(
      db.updateTable('audit_log').set({ action: 'budget.deleted' }).where('id', '=', row!.id).execute(),
    ).rejects.toThrow(/append-only/)
    await expect(db.deleteFrom('audit_log').where('id', '=', row!.id).execute()).rejects.toThrow(/append-only/)
    await expect(sql`truncate audit_log`.execute(db)).rejects.toThrow(/append-only/)
    expect((await rows())[0]).toEqual(row)
  })

  it('GET /api/audit: owners and admins page through it with filters; members and keys are refused', async () => {
    const get = async (query: string, headers: Record<string, string>) => {
      const res = await handleRestRequest(db, new Request(`http://localhost/api/audit${query}`, { headers }))
      return {
        status: res.status,
        json: (await res.json()) as {
          items: { action: string; id: string }[]
          nextCursor: string | null
          missingScope?: null
        },
      }
    }
    const cookie = { cookie: `cw_session=${ownerToken}` }
    const all = await rows()
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page = await get(`?limit=3${cursor ? `&cursor=${cursor}` : ''}`, cookie)
      expect(page.status).toBe(200)
      seen.push(...page.json.items.map((i) => i.id))
      cursor = page.json.nextCursor
    } while (cursor)
    expect(seen).toEqual(all.map((r) => r.id).reverse())

    const budgets = await get('?action=budget.created,budget.deleted', cookie)
    expect(budgets.json.items.map((i) => i.action)).toEqual(['budget.deleted', 'budget.created'])

    expect((await get('', { cookie: `cw_session=${memberToken}` })).status).toBe(403)
    const asKey = await get('', { authorization: `Bearer ${key}` })
    expect(asKey.status).toBe(403)
    expect(asKey.json).toMatchObject({ code: 'FORBIDDEN', missingScope: null })
  })
})
