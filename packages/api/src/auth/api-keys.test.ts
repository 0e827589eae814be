import { teams, users, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createContext } from '../context'
import { createCaller } from '../root'
import { recordUsage } from '../services/record-usage'
import type { TeamScope } from '../trpc'
import { issueSession } from './service'
import { authenticateApiKey, createApiKey } from './api-keys'

let t: TestDb
let db: Db
let team: Awaited<ReturnType<typeof teams.insertTeam>>
let owner: ReturnType<typeof createCaller>

beforeAll(async () => {
  t = await createTestDb()
  db = t.db
  team = await teams.insertTeam(db, { slug: 'keys', name: 'Keys', plan: 'enterprise' })
  const o = await users.insertUser(db, { email: 'o@keys.test', name: 'Owner', passwordHash: 'x' })
  await teams.upsertMember(db, team.id, o.id, 'owner')
  owner = createCaller(await createContext({ db, sessionToken: (await issueSession(db, o.id)).token }))
})
afterAll(async () => t?.destroy())

describe("an API key's last use", () => {
  it('reflects usage tracked through the key, as well as authenticated requests', async () => {
    const { key, record } = await createApiKey(db, { teamId: team.id, name: 'Backend' })
    const { record: idle } = await createApiKey(db, { teamId: team.id, name: 'Idle' })
    const lastUsed = async (id: string) => (await owner.apiKeys.list()).find((k) => k.id === id)!.lastUsedAt
    expect(await lastUsed(record.id)).toBeNull()

    // Usage attributed to the key (e.g. imported or seeded history) without a request authenticated by it.
    const scope: TeamScope = { ...team, role: 'member', userId: null, apiKeyId: record.id }
    const hourAgo = new Date(Date.now() - 3_600_000)
    await recordUsage(db, scope, [
      { model: 'gpt-4o-mini', inputTokens: 100, outputTokens: 10, occurredAt: hourAgo.toISOString() },
    ])
    expect(await lastUsed(record.id)).toBe(hourAgo.toISOString())
    expect(await lastUsed(idle.id)).toBeNull()

    // A request with the key counts as use at once, later than that usage.
    expect(await authenticateApiKey(db, key)).not.toBeNull()
    const after = await lastUsed(record.id)
    expect(new Date(after!).getTime()).toBeGreaterThan(hourAgo.getTime())
  })
})
