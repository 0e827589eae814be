import { nanoToUsd, usdToNano } from '@costwise/core'
import { teams, users } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { issueSession } from '../../auth/service'
import { createContext } from '../../context'
import { formErrorOf } from '../../errors'
import { createCaller } from '../../root'
import { recordUsage } from '../record-usage'

describe('report filters: a free-form feature and tags, through reports.preview and reports.save', () => {
  let t: TestDb
  let token: string
  /** The exact cost and count of the recorded events a filter keeps. */
  let expected: (keep: (i: number) => boolean) => { costUsd: string; runs: number }
  const now = new Date()

  beforeAll(async () => {
    t = await createTestDb()
    const team = await teams.insertTeam(t.db, { slug: 'filters', name: 'Filters', timeZone: 'UTC', plan: 'enterprise' })
    const owner = await users.insertUser(t.db, { email: 'owner@filters.test', name: 'Owner', passwordHash: 'x' })
    await teams.upsertMember(t.db, team.id, owner.id, 'owner')
    token = (await issueSession(t.db, owner.id)).token
    const scope = { ...team, role: 'owner' as const, userId: owner.id, apiKeyId: null }
    const results = await recordUsage(
      t.db,
      scope,
      Array.from({ length: 30 }, (_, i) => ({
        model: i % 2 === 0 ? 'gpt-4o' : 'claude-sonnet-4-5',
        inputTokens: 1000 + i * 97,
        outputTokens: 20 + i * 13,
        occurredAt: new Date(now.getTime() - (i + 1) * 120_000).toISOString(),
        feature: i % 3 === 0 ? 'checkout/assistant' : 'api',
        tags: { env: i % 2 === 0 ? 'prod' : 'staging', region: i % 5 === 0 ? 'eu' : 'us' },
      })),
      now,
    )
    expected = (keep) => {
      const kept = results.filter((_, i) => keep(i))
      return { costUsd: nanoToUsd(kept.reduce((sum, r) => sum + usdToNano(r.costUsd), 0n)), runs: kept.length }
    }
  })
  afterAll(async () => t?.destroy())

  const api = async () => createCaller(await createContext({ db: t.db, sessionToken: token }))
  const definition = (filters: object) => ({
    metrics: ['cost' as const, 'runs' as const],
    groupBy: 'model' as const,
    range: { kind: 'rolling' as const, preset: 'last-7-days' as const },
    filters,
  })

  it('the preview’s totals are exactly those of the rows the feature and tags select', async () => {
    const caller = await api()
    const preview = (filters: object) => caller.reports.preview({ definition: definition(filters) })
    expect((await preview({})).totals).toMatchObject(expected(() => true))
    expect((await preview({ feature: ['checkout/assistant'] })).totals).toMatchObject(expected((i) => i % 3 === 0))
    expect((await preview({ tag: ['env:prod'] })).totals).toMatchObject(expected((i) => i % 2 === 0))
    const both = await preview({ feature: ['checkout/assistant'], tag: ['env:prod', 'region:eu'] })
    // i % 3 === 0, i % 2 === 0 and i % 5 === 0: i = 0 only.
    expect(both.totals).toMatchObject(expected((i) => i % 30 === 0))
    expect(both.totals.runs).toBe(1)
    // The groups add up to the totals.
    expect(nanoToUsd(both.groups.reduce((sum, g) => sum + usdToNano(g.costUsd), 0n))).toBe(both.totals.costUsd)
  })

  it('a saved report keeps its filters, and a malformed tag or feature is refused naming the field', async () => {
    const caller = await api()
    const saved = await caller.reports.save({
      name: 'Checkout in prod',
      definition: definition({ feature: ['checkout/assistant'], tag: ['env:prod'] }),
      format: 'csv',
      recipients: ['cfo@filters.test'],
      frequency: 'none',
    })
    const { schedules } = await caller.reports.overview()
    expect(schedules.find((s) => s.id === saved.id)?.definition.filters).toEqual({
      feature: ['checkout/assistant'],
      tag: ['env:prod'],
    })
    /** The refusal as a form or an API client reads it: its code and a message per field. */
    const refusal = (filters: object) =>
      caller.reports.preview({ definition: definition(filters) }).then(
        () => null,
        (error: unknown) => formErrorOf(error),
      )
    expect(await refusal({ tag: ['prod'] })).toMatchObject({
      code: 'BAD_INPUT',
      fieldErrors: { 'definition.filters.tag.0': expect.stringContaining('tag must be key:value') },
    })
    expect(await refusal({ feature: ['two words'] })).toMatchObject({
      code: 'BAD_INPUT',
      fieldErrors: { 'definition.filters.feature.0': expect.stringContaining('feature must be 1–64 characters') },
    })
  })
})
