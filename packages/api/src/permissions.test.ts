import { API_KEY_SCOPES, ROLES, type ApiKeyScope, type Role } from '@costwise/core'
import { teams, users, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { TRPCError } from '@trpc/server'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createArtefactStore } from './artefacts'
import { createApiKey } from './auth/api-keys'
import { issueSession } from './auth/service'
import { createContext } from './context'
import { handleLabRunRequest } from './gateway/http'
import { HTTP_ROUTES, handleExportRequest, handleReportRunDownload, handleRestRequest } from './http'
import { permissionMatrix, renderPermissionMatrix, roleMay, scopeMay, type PermissionEntry } from './permissions'
import { createCaller } from './root'

const entries = permissionMatrix()
const procedures = entries.filter((e) => e.kind !== 'route')

describe('every procedure and route declares its access', () => {
  it('the router walk finds no procedure without a declaration', () => {
    expect(procedures.length).toBeGreaterThan(30)
    expect(entries.filter((e) => e.access === null).map((e) => e.name)).toEqual([])
  })

  it('every procedure declares its response, so the OpenAPI document and the web’s types describe every answer', () => {
    expect(procedures.filter((e) => !e.output).map((e) => e.name)).toEqual([])
  })

  it('no key manages keys, members, roles, the plan or reads the audit log', () => {
    const keyable = entries.filter(
      (e) =>
        /^(apiKeys|audit|teams|me)\./.test(e.name) &&
        !(e.access?.kind === 'team' && e.access.scope === null) &&
        e.access?.kind !== 'user',
    )
    expect(keyable.map((e) => e.name)).toEqual([])
  })

  it('changes need at least the member role, and keys a write scope (or none)', () => {
    for (const e of entries.filter((x) => x.kind === 'mutation' || (x.rest && !x.rest.startsWith('GET')))) {
      if (e.access?.kind !== 'team') continue
      expect({ name: e.name, member: roleMay(e.access, 'viewer') }).toEqual({ name: e.name, member: false })
      if (e.access.scope) expect(e.access.scope, e.name).toMatch(/:write$/)
    }
  })

  it('the issue’s contract: budget writes need budgets:write, reports reports:write and the Enterprise plan', () => {
    const byName = new Map(entries.map((e) => [e.name, e.access]))
    expect(byName.get('budgets.save')).toEqual({ kind: 'team', role: 'admin', scope: 'budgets:write' })
    expect(byName.get('budgets.delete')).toEqual({ kind: 'team', role: 'admin', scope: 'budgets:write' })
    expect(byName.get('usage.track')).toMatchObject({ scope: 'usage:write' })
    expect(byName.get('usage.reserve')).toMatchObject({ scope: 'usage:write' })
    expect(byName.get('usage.stats')).toMatchObject({ scope: 'usage:read' })
    expect(byName.get('reports.sendNow')).toEqual({
      kind: 'team',
      role: 'admin',
      scope: 'reports:write',
      feature: 'scheduledReports',
    })
    expect(byName.get('reports.save')).toEqual({
      kind: 'team',
      role: 'admin',
      scope: 'reports:write',
      feature: 'scheduledReports',
    })
    expect(byName.get('apiKeys.create')).toEqual({ kind: 'team', role: 'admin', scope: null })
    expect(byName.get('audit.list')).toEqual({ kind: 'team', role: 'admin', scope: null })
  })

  it('the README publishes the matrix generated from these declarations', () => {
    const readme = readFileSync(path.resolve(import.meta.dirname, '../../../README.md'), 'utf8')
    const section = readme.match(/<!-- permission-matrix:start -->\n([\s\S]*?)\n<!-- permission-matrix:end -->/)
    expect(section, 'README.md has no permission-matrix section').not.toBeNull()
    // Out of date? Run: pnpm --filter @costwise/api run permission-matrix
    expect(section![1]).toBe(renderPermissionMatrix())
  })
})

describe('the permission matrix: every role and every scope against every procedure and route', () => {
  let t: TestDb
  let db: Db
  const sessions = {} as Record<Role, string>
  const keys = {} as Record<ApiKeyScope, string>
  const store = createArtefactStore({ kind: 'memory' })

  beforeAll(async () => {
    t = await createTestDb()
    db = t.db
    // Enterprise, so plan gates stay out of the way here; they have their own test below.
    const team = await teams.insertTeam(db, { slug: 'matrix', name: 'Matrix', plan: 'enterprise' })
    for (const role of ROLES) {
      const user = await users.insertUser(db, { email: `${role}@matrix.test`, name: role, passwordHash: 'x' })
      await teams.upsertMember(db, team.id, user.id, role)
      sessions[role] = (await issueSession(db, user.id)).token
    }
    for (const scope of API_KEY_SCOPES)
      keys[scope] = (await createApiKey(db, { teamId: team.id, name: scope, scopes: [scope] })).key
  })
  afterAll(async () => t?.destroy())

  type Outcome = 'allowed' | 'refused'
  const callers: { label: string; session?: string; key?: string; expect: (e: PermissionEntry) => boolean }[] = [
    ...ROLES.map((role) => ({
      label: `role ${role}`,
      session: role,
      expect: (e: PermissionEntry) => roleMay(e.access!, role),
    })),
    ...API_KEY_SCOPES.map((scope) => ({
      label: `key with ${scope}`,
      key: scope,
      expect: (e: PermissionEntry) => scopeMay(e.access!, scope),
    })),
  ] as const

  // An input no procedure accepts: an allowed caller gets past the access check and stops at input validation
  // (or runs a harmless read); a refused one never gets that far.
  const NOT_AN_INPUT = '__not an input__' as never

  async function callProcedure(caller: ReturnType<typeof createCaller>, name: string): Promise<Outcome> {
    const fn = name.split('.').reduce<any>((node, part) => node[part], caller) as (input: never) => Promise<unknown>
    try {
      await fn(NOT_AN_INPUT)
      return 'allowed'
    } catch (error) {
      if (!(error instanceof TRPCError)) throw error
      if (error.code === 'UNAUTHORIZED') throw new Error(`${name}: unexpected 401 (${error.message})`)
      return error.code === 'FORBIDDEN' ? 'refused' : 'allowed'
    }
  }

  it.each(callers.map((c) => [c.label, c] as const))(
    'tRPC, %s: allowed or refused exactly as declared',
    async (_label, c) => {
      const ctx = await createContext({
        db,
        sessionToken: c.session ? sessions[c.session as Role] : null,
        apiKey: c.key ? keys[c.key as ApiKeyScope] : null,
      })
      const caller = createCaller(ctx)
      const got: Record<string, Outcome> = {}
      const want: Record<string, Outcome> = {}
      for (const e of procedures) {
        got[e.name] = await callProcedure(caller, e.name)
        want[e.name] = c.expect(e) ? 'allowed' : 'refused'
      }
      expect(got).toEqual(want)
    },
  )

  const restEntries = entries.filter((e) => e.rest)

  async function callRest(e: PermissionEntry, auth: Record<string, string>): Promise<Response> {
    const [method, address] = e.rest!.split(' ') as [string, string]
    const url = `http://localhost${address.replace(':runId', '9e1b7c1c-5a63-4ad1-9a54-0d4f3a2b1c00')}`
    const headers = { 'content-type': 'application/json', ...auth }
    if (e.kind === 'route') {
      if (e.name === 'usageExport') return handleExportRequest(db, new Request(`${url}?format=bogus`, { headers }))
      if (e.name === 'labRun') return handleLabRunRequest(db, new Request(url, { method, headers, body: '{}' }))
      if (e.name === 'reportRunDownload')
        return handleReportRunDownload(db, store, new Request(url, { headers }), '9e1b7c1c-5a63-4ad1-9a54-0d4f3a2b1c00')
      throw new Error(`no call for route ${e.name}`)
    }
    const body = method === 'GET' || method === 'DELETE' ? undefined : '{}'
    return handleRestRequest(db, new Request(url, { method, headers, body }))
  }

  it.each(callers.map((c) => [c.label, c] as const))(
    'REST and routes outside tRPC, %s: 403 exactly where declared',
    async (_label, c) => {
      const auth: Record<string, string> = c.key
        ? { authorization: `Bearer ${keys[c.key as ApiKeyScope]}` }
        : { cookie: `cw_session=${sessions[c.session as Role]}` }
      const got: Record<string, Outcome> = {}
      const want: Record<string, Outcome> = {}
      for (const e of restEntries) {
        const res = await callRest(e, auth)
        await res.body?.cancel()
        if (res.status === 401 || res.status >= 500) throw new Error(`${e.rest}: unexpected ${res.status}`)
        got[e.rest!] = res.status === 403 ? 'refused' : 'allowed'
        want[e.rest!] = c.expect(e) ? 'allowed' : 'refused'
      }
      expect(got).toEqual(want)
      expect(Object.keys(got).length).toBe(restEntries.length)
      expect(restEntries.map((e) => e.name)).toEqual(expect.arrayContaining(Object.keys(HTTP_ROUTES)))
    },
  )

  it('a refusal names what is missing: the scope on REST and tRPC, the role for people', async () => {
    const res = await handleRestRequest(
      db,
      new Request('http://localhost/api/usage/budget', {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${keys['budgets:read']}` },
        body: JSON.stringify({ limitUsd: '10' }),
      }),
    )
    expect(res.status).toBe(403)
    expect(await res.json()).toMatchObject({ code: 'FORBIDDEN', missingScope: 'budgets:write' })

    const viaTrpc = await createCaller(await createContext({ db, apiKey: keys['usage:read'] }))
      .budgets.delete({ id: '9e1b7c1c-5a63-4ad1-9a54-0d4f3a2b1c00' })
      .catch((e: unknown) => e)
    expect(viaTrpc).toMatchObject({ code: 'FORBIDDEN', cause: { details: { missingScope: 'budgets:write' } } })

    const viewer = await createCaller(await createContext({ db, sessionToken: sessions.viewer }))
      .budgets.save({ limitUsd: '10' })
      .catch((e: unknown) => e)
    expect(viewer).toMatchObject({ code: 'FORBIDDEN', cause: { details: { requiredRole: 'admin', role: 'viewer' } } })
  })
})

describe('plan gates hold for every caller, keys included', () => {
  let t: TestDb
  beforeAll(async () => {
    t = await createTestDb()
  })
  afterAll(async () => t?.destroy())

  it('a free team can neither save nor send reports, as owner or with a reports:write key; enterprise can', async () => {
    const team = await teams.insertTeam(t.db, { slug: 'free-team', name: 'Free' })
    const owner = await users.insertUser(t.db, { email: 'o@free.test', name: 'O', passwordHash: 'x' })
    await teams.upsertMember(t.db, team.id, owner.id, 'owner')
    const token = (await issueSession(t.db, owner.id)).token
    const { key } = await createApiKey(t.db, { teamId: team.id, name: 'reports', scopes: ['reports:write'] })
    const send = {
      definition: { metrics: ['cost'], groupBy: 'day', range: { kind: 'rolling', preset: 'last-7-days' } },
      format: 'csv',
      recipients: ['cfo@free.test'],
    } as never
    for (const ctx of [
      await createContext({ db: t.db, sessionToken: token }),
      await createContext({ db: t.db, apiKey: key }),
    ]) {
      const error = await createCaller(ctx)
        .reports.sendNow(send)
        .catch((e: unknown) => e)
      expect(error).toMatchObject({
        code: 'FORBIDDEN',
        cause: { details: { feature: 'scheduledReports', tier: 'free', requiredTier: 'enterprise' } },
      })
    }
    await teams.setTeamPlan(t.db, team.id, 'enterprise')
    const sent = await createCaller(await createContext({ db: t.db, sessionToken: token })).reports.sendNow(send)
    expect(sent.runId).toMatch(/^[0-9a-f-]{36}$/)
  })
})
