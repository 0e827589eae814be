import { API_KEY_SCOPES } from '@costwise/core'
import { prompts, reports, teams, users, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createArtefactStore } from './artefacts'
import { createApiKey } from './auth/api-keys'
import { issueSession } from './auth/service'
import { handleLabRunRequest } from './gateway/http'
import { handleExportRequest, handleReportRunDownload } from './http'
import { recordUsage } from './services/record-usage'

// The routes outside tRPC resolve their caller through one helper (resolveRouteAccess). Here, a user and a key
// of team A try team B's ids on each of them — and ids nobody has — and get the same 404 either way.

describe('tenancy outside tRPC: team A never reaches team B through export, Lab run or report downloads', () => {
  let t: TestDb
  let db: Db
  const store = createArtefactStore({ kind: 'memory' })
  const ids = {} as Record<'teamA' | 'teamB' | 'promptB' | 'runA' | 'runB', string>
  const as = {} as Record<'user' | 'key', Record<string, string>>

  beforeAll(async () => {
    t = await createTestDb()
    db = t.db
    const teamA = await teams.insertTeam(db, { slug: 'route-a', name: 'A', plan: 'enterprise' })
    const teamB = await teams.insertTeam(db, { slug: 'route-b', name: 'B', plan: 'enterprise' })
    const alice = await users.insertUser(db, { email: 'alice@routes.test', name: 'Alice', passwordHash: 'x' })
    const bob = await users.insertUser(db, { email: 'bob@routes.test', name: 'Bob', passwordHash: 'x' })
    await teams.upsertMember(db, teamA.id, alice.id, 'owner')
    await teams.upsertMember(db, teamB.id, bob.id, 'owner')
    const keyA = await createApiKey(db, { teamId: teamA.id, name: 'a', scopes: [...API_KEY_SCOPES] })
    as.user = { cookie: `cw_session=${(await issueSession(db, alice.id)).token}` }
    as.key = { authorization: `Bearer ${keyA.key}` }

    const promptB = await prompts.insertPrompt(
      db,
      teamB.id,
      {
        name: 'B secret',
        systemMessage: '',
        userMessage: 'Hello',
        variables: {},
        model: 'gpt-4o-mini',
        maxOutputTokens: 100,
        caching: false,
      },
      { userId: bob.id, apiKeyId: null },
    )
    const scopeB = { ...teamB, role: 'owner' as const, userId: bob.id, apiKeyId: null }
    await recordUsage(db, scopeB, [{ model: 'gpt-4o', inputTokens: 1000, outputTokens: 10, promptId: promptB.id }])

    const run = async (teamId: string, body: string) => {
      const r = await reports.insertRun(db, {
        teamId,
        scheduleId: null,
        trigger: 'manual',
        definition: {},
        format: 'csv',
        recipients: [],
      })
      await store.put(`reports/${r.id}.csv`, Buffer.from(body))
      await reports.updateRun(db, r.id, {
        status: 'done',
        artefactKey: `reports/${r.id}.csv`,
        rangeFrom: '2026-01-01',
        rangeTo: '2026-01-07',
      })
      return r.id
    }
    Object.assign(ids, {
      teamA: teamA.id,
      teamB: teamB.id,
      promptB: promptB.id,
      runA: await run(teamA.id, 'a,1\n'),
      runB: await run(teamB.id, 'b,secret\n'),
    })
  })
  afterAll(async () => t?.destroy())

  const callers = ['user', 'key'] as const

  it.each(callers)(
    'report downloads (%s): own run 200; team B’s run, an unknown id and a non-id are the same 404',
    async (who) => {
      const download = (runId: string) =>
        handleReportRunDownload(
          db,
          store,
          new Request(`http://localhost/dashboard/reports/runs/${runId}/download`, { headers: as[who] }),
          runId,
        )
      const own = await download(ids.runA)
      expect(own.status).toBe(200)
      expect(await own.text()).toBe('a,1\n')
      const answers = []
      for (const runId of [ids.runB, randomUUID(), randomUUID(), 'not-a-run']) {
        const res = await download(runId)
        answers.push({ status: res.status, body: await res.json() })
      }
      expect(answers.map((a) => a.status)).toEqual([404, 404, 404, 404])
      // Nothing tells B's run apart from a guessed id.
      expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1)
    },
  )

  it.each(callers)('Lab run (%s): team B’s prompt id is a 404 and nothing runs', async (who) => {
    const res = await handleLabRunRequest(
      db,
      new Request('http://localhost/api/lab/run', {
        method: 'POST',
        headers: { ...as[who], 'content-type': 'application/json' },
        body: JSON.stringify({ promptId: ids.promptB, model: 'gpt-4o-mini', user: 'hi', maxOutputTokens: 10 }),
      }),
    )
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ code: 'NOT_FOUND', field: 'promptId' })
    const rows = await db.selectFrom('token_usage_logs').select('id').where('team_id', '=', ids.teamA).execute()
    expect(rows).toEqual([])
  })

  it.each(callers)('usage export (%s): team B’s rows never appear, even filtered by team B’s ids', async (who) => {
    for (const query of ['', `&promptId=${ids.promptB}`]) {
      for (const format of ['csv', 'jsonl']) {
        const res = await handleExportRequest(
          db,
          new Request(`http://localhost/api/usage/export?format=${format}${query}`, { headers: as[who] }),
        )
        expect(res.status).toBe(200)
        const text = await res.text()
        expect(text).not.toContain(ids.promptB)
        const lines = text.split('\n').filter(Boolean)
        expect(lines.length).toBe(format === 'csv' ? 1 : 0)
      }
    }
  })

  it('no identity, or a key without the scope, is refused before anything is looked up', async () => {
    const { key } = await createApiKey(db, { teamId: ids.teamA, name: 'writer', scopes: ['usage:write'] })
    const download = await handleReportRunDownload(
      db,
      store,
      new Request('http://localhost/x', { headers: { authorization: `Bearer ${key}` } }),
      ids.runA,
    )
    expect(download.status).toBe(403)
    expect(await download.json()).toMatchObject({ missingScope: 'usage:read' })
    const anonymous = await handleExportRequest(db, new Request('http://localhost/api/usage/export'))
    expect(anonymous.status).toBe(401)
  })
})
