import { teams, users, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { startLocalLlm, type LocalLlmServer } from '@costwise/local-llm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { issueSession } from '../auth/service'
import { createContext } from '../context'
import { createApiConfig, type ApiConfig } from '../config'
import { createCaller } from '../root'

let t: TestDb
let db: Db
let llm: LocalLlmServer
let ownerToken: string
let viewerToken: string
let otherToken: string
/** The settings the app would start with: the gateway pointed at the local model server. */
let config: ApiConfig

const as = async (token: string) => createCaller(await createContext({ db, sessionToken: token, config }))

beforeAll(async () => {
  t = await createTestDb()
  db = t.db
  llm = await startLocalLlm({ latencyMs: { firstToken: 0, perToken: 0 } })
  config = createApiConfig({ gateway: { apiKey: 'k', baseURL: llm.url, maxRetries: 0 } })
  const team = await teams.insertTeam(db, { slug: 'lab-team', name: 'Lab', timeZone: 'UTC' })
  const other = await teams.insertTeam(db, { slug: 'other-team', name: 'Other', timeZone: 'UTC' })
  const owner = await users.insertUser(db, { email: 'o@lab.test', name: 'O', passwordHash: 'x' })
  const viewer = await users.insertUser(db, { email: 'v@lab.test', name: 'V', passwordHash: 'x' })
  const stranger = await users.insertUser(db, { email: 's@lab.test', name: 'S', passwordHash: 'x' })
  await teams.upsertMember(db, team.id, owner.id, 'owner')
  await teams.upsertMember(db, team.id, viewer.id, 'viewer')
  await teams.upsertMember(db, other.id, stranger.id, 'owner')
  ownerToken = (await issueSession(db, owner.id)).token
  viewerToken = (await issueSession(db, viewer.id)).token
  otherToken = (await issueSession(db, stranger.id)).token
})
afterAll(async () => {
  await llm?.stop()
  await t?.destroy()
})

describe('lab router', () => {
  it('saves, renames, lists and deletes prompts within the team; viewers cannot write; other teams cannot see', async () => {
    const owner = await as(ownerToken)
    const saved = await owner.lab.save({
      name: 'First',
      userMessage: 'Hi {{who}}',
      variables: { who: 'there' },
      model: 'costwise-demo',
    })
    expect(saved).toMatchObject({ name: 'First', maxOutputTokens: 1024, variables: { who: 'there' } })
    await owner.lab.rename({ id: saved.id, name: 'Renamed' })
    expect((await owner.lab.list()).prompts.map((p) => p.name)).toEqual(['Renamed'])
    expect((await owner.lab.get({ id: saved.id })).userMessage).toBe('Hi {{who}}')

    const viewer = await as(viewerToken)
    expect((await viewer.lab.list()).prompts).toHaveLength(1)
    await expect(viewer.lab.save({ name: 'Nope', model: 'costwise-demo' })).rejects.toMatchObject({ code: 'FORBIDDEN' })

    const stranger = await as(otherToken)
    await expect(stranger.lab.get({ id: saved.id })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(stranger.lab.save({ id: saved.id, name: 'Hijack', model: 'costwise-demo' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    })
    await expect(stranger.lab.delete({ id: saved.id })).rejects.toMatchObject({ code: 'NOT_FOUND' })

    expect(await owner.lab.delete({ id: saved.id })).toEqual({ deleted: true })
    expect((await owner.lab.list()).prompts).toEqual([])
  })

  it('estimates on the server, with cheaper models only on team plans that include them', async () => {
    const owner = await as(ownerToken)
    const input = {
      model: 'gpt-4o',
      system: 'Be brief.',
      user: 'Explain {{x}}',
      variables: { x: 'tokens' },
      maxOutputTokens: 200,
    }
    const free = await owner.lab.estimate(input)
    expect(free.inputTokens).toBeGreaterThan(5)
    expect(free.cheaperAlternatives).toBeNull()
    expect(free.perMessage).toBeNull()
    const teamId = (await teams.findTeamBySlug(db, 'lab-team'))!.id
    // The plan is the team's, set by the operator (pnpm cli team set-plan); the caller sees it on its next request.
    await teams.setTeamPlan(db, teamId, 'pro')
    const pro = await (await as(ownerToken)).lab.estimate(input)
    expect(pro.cheaperAlternatives!.length).toBeGreaterThan(0)
    expect(pro.perMessage).toBeNull()
    await teams.setTeamPlan(db, teamId, 'enterprise')
    const enterprise = await (await as(ownerToken)).lab.estimate(input)
    expect(enterprise.perMessage!.map((m) => m.role)).toEqual(['system', 'user'])
  })

  it('improves a prompt through the gateway (metered as "improve") and reports the difference', async () => {
    const owner = await as(ownerToken)
    const result = await owner.lab.improve({
      model: 'costwise-demo-mini',
      user: 'Please could you kindly summarise the following text for me.',
    })
    expect(result.improved.length).toBeGreaterThan(0)
    expect(result.tokenDelta).toBe(result.after.tokens - result.before.tokens)
    const row = await db
      .selectFrom('token_usage_logs')
      .selectAll()
      .where('feature', '=', 'improve')
      .executeTakeFirstOrThrow()
    expect(row.status).toBe('ok')
  })

  it('reports the budgets that apply, worst first', async () => {
    const owner = await as(ownerToken)
    await owner.budgets.save({ name: 'Team', limitUsd: '100' })
    const status = await owner.lab.budgetStatus()
    expect(status.budgets.map((b) => b.name)).toEqual(['Team'])
    expect(status.level).toBe('ok')
  })
})
