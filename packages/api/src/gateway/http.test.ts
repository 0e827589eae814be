import { budgets, teams, users, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { startLocalLlm, type LocalLlmServer } from '@costwise/local-llm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { issueSession } from '../auth/service'
import { SESSION_COOKIE } from '../auth/cookies'
import { createApiConfig, type ApiConfig } from '../config'
import { handleLabRunRequest, type LabRunEvent } from './http'

let t: TestDb
let db: Db
let llm: LocalLlmServer
let token: string
let teamId: string
/** The settings the app would start with: the gateway pointed at the local model server. */
let config: ApiConfig

const post = (body: unknown, cookie = `${SESSION_COOKIE}=${token}`) =>
  handleLabRunRequest(
    db,
    new Request('http://app.test/api/lab/run', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify(body),
    }),
    config,
  )

async function events(response: Response): Promise<LabRunEvent[]> {
  return (await response.text())
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LabRunEvent)
}

beforeAll(async () => {
  t = await createTestDb()
  db = t.db
  llm = await startLocalLlm({ latencyMs: { firstToken: 0, perToken: 0 } })
  config = createApiConfig({ gateway: { apiKey: 'k', baseURL: llm.url, maxRetries: 0 } })
  const team = await teams.insertTeam(db, { slug: 'http-lab', name: 'Lab', timeZone: 'UTC' })
  teamId = team.id
  const user = await users.insertUser(db, { email: 'h@lab.test', name: 'H', passwordHash: 'x' })
  await teams.upsertMember(db, team.id, user.id, 'member')
  token = (await issueSession(db, user.id)).token
})
afterAll(async () => {
  await llm?.stop()
  await t?.destroy()
})

describe('POST /api/lab/run', () => {
  it('streams start, deltas and done as NDJSON, rendering variables on the server', async () => {
    const response = await post({
      model: 'costwise-demo',
      system: '',
      user: 'Say {{what}}',
      variables: { what: 'hello' },
      maxOutputTokens: 64,
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('application/x-ndjson')
    const list = await events(response)
    expect(list[0]!.type).toBe('start')
    expect(list.filter((e) => e.type === 'delta').length).toBeGreaterThan(0)
    const done = list.at(-1)!
    expect(done.type).toBe('done')
    if (done.type === 'done') expect(done.result.usage.inputTokens).toBe(done.result.estimate.inputTokens)
    const row = await db.selectFrom('token_usage_logs').select(['status', 'feature']).executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'ok', feature: 'lab' })
  })

  it('refuses before any call: no session 401, bad input 400 naming the field, hard budget 402 with the budget', async () => {
    expect((await post({ model: 'costwise-demo', user: 'x', maxOutputTokens: 1 }, '')).status).toBe(401)
    const bad = await post({ model: 'costwise-demo', user: '', maxOutputTokens: 1 })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ code: 'BAD_INPUT', field: 'user' })

    await budgets.insertBudget(
      db,
      teamId,
      {
        name: 'Tiny',
        scope: 'team',
        scopeUserId: null,
        scopeApiKeyId: null,
        scopePromptId: null,
        period: 'month',
        timeZone: null,
        limitUsd: '0.000001',
        mode: 'hard',
        thresholds: [50, 80, 100],
        active: true,
      },
      { start: new Date('2000-01-01T00:00:00Z'), spentUsd: '0' },
    )
    const before = llm.stats.requests
    const blocked = await post({ model: 'costwise-demo', user: 'Hello', maxOutputTokens: 500 })
    expect(blocked.status).toBe(402)
    expect(await blocked.json()).toMatchObject({ code: 'BUDGET_EXCEEDED', budget: { name: 'Tiny' } })
    expect(llm.stats.requests).toBe(before)
  })
})
