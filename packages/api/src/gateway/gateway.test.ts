import { AppError, calculateCost, nanoToUsd, usdToNano } from '@costwise/core'
import { budgets, prompts, teams, users, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { startLocalLlm, type LocalLlmServer } from '@costwise/local-llm'
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { TeamScope } from '../trpc'
import { runChat, type GatewayConfig } from './gateway'

let t: TestDb
let db: Db
let team: TeamScope
let llm: LocalLlmServer
let config: GatewayConfig
let promptId: string

async function hardBudget(limitUsd: string) {
  return budgets.insertBudget(
    db,
    team.id,
    {
      name: 'Tiny',
      scope: 'team',
      scopeUserId: null,
      scopeApiKeyId: null,
      scopePromptId: null,
      period: 'month',
      timeZone: null,
      limitUsd,
      mode: 'hard',
      thresholds: [50, 80, 100],
      active: true,
    },
    { start: new Date('2000-01-01T00:00:00Z'), spentUsd: '0' },
  )
}

const usageRows = () =>
  db.selectFrom('token_usage_logs').selectAll().where('team_id', '=', team.id).orderBy('occurred_at').execute()
const reservations = () => db.selectFrom('budget_reservations').selectAll().where('team_id', '=', team.id).execute()

beforeAll(async () => {
  t = await createTestDb()
  db = t.db
  const created = await teams.insertTeam(db, { slug: 'gateway-team', name: 'Gateway', timeZone: 'UTC' })
  const user = await users.insertUser(db, { email: 'g@gateway.test', name: 'G', passwordHash: 'x' })
  await teams.upsertMember(db, created.id, user.id, 'owner')
  team = { ...created, role: 'owner', userId: user.id, apiKeyId: null }
  llm = await startLocalLlm({ latencyMs: { firstToken: 0, perToken: 0 } })
  config = { apiKey: 'test-key', baseURL: llm.url, maxRetries: 2 }
  const prompt = await prompts.insertPrompt(
    db,
    team.id,
    {
      name: 'P',
      systemMessage: '',
      userMessage: 'Hi',
      variables: {},
      model: 'costwise-demo',
      maxOutputTokens: 200,
      caching: false,
    },
    { userId: user.id, apiKeyId: null },
  )
  promptId = prompt.id
})
afterAll(async () => {
  await llm?.stop()
  await t?.destroy()
})
beforeEach(async () => {
  llm.reset()
  await sql`truncate token_usage_logs, usage_idempotency_keys, usage_rollup_daily, usage_rollup_15min, usage_budgets, budget_reservations, usage_alerts, prompt_run_history cascade`.execute(
    db,
  )
})

describe('gateway runChat', () => {
  it('streams the answer and records exactly the usage the provider reported', async () => {
    const deltas: string[] = []
    const result = await runChat(
      db,
      team,
      config,
      {
        model: 'costwise-demo',
        messages: [
          { role: 'system', content: 'You are terse.' },
          { role: 'user', content: 'Explain budgets in one paragraph.' },
        ],
        maxOutputTokens: 300,
        feature: 'lab',
        promptId,
      },
      { onDelta: (d) => deltas.push(d) },
    )
    expect(result.status).toBe('ok')
    expect(deltas.length).toBeGreaterThan(1)
    expect(deltas.join('')).toBe(result.output)
    expect(result.usage.inputTokens).toBeGreaterThan(0)
    expect(result.usage.outputTokens).toBeGreaterThan(0)
    // The estimate counts the same prompt the server counts.
    expect(result.estimate.inputTokens).toBe(result.usage.inputTokens)

    const rows = await usageRows()
    expect(rows).toHaveLength(1)
    const row = rows[0]!
    const expected = calculateCost('costwise-demo', {
      inputTokens: row.input_tokens,
      outputTokens: row.output_tokens,
      cachedInputTokens: row.cached_input_tokens,
      reasoningTokens: row.reasoning_tokens,
    })
    expect(usdToNano(row.cost_usd)).toBe(expected.totalNano)
    expect(result.usage.costUsd).toBe(nanoToUsd(expected.totalNano))
    expect(row).toMatchObject({
      status: 'ok',
      feature: 'lab',
      prompt_id: promptId,
      input_tokens: result.usage.inputTokens,
      output_tokens: result.usage.outputTokens,
    })
    expect(row.reservation_id).toBeTruthy()

    const [reservation] = await reservations()
    expect(reservation).toMatchObject({ status: 'settled' })
    const runs = await prompts.listPromptRuns(db, team.id, promptId)
    expect(runs).toHaveLength(1)
    expect(runs[0]).toMatchObject({ status: 'ok', usageLogId: row.id, output: result.output })
    expect(usdToNano(runs[0]!.costUsd)).toBe(expected.totalNano)
    expect(llm.stats.requests).toBe(1)
  })

  it('records reasoning and cached tokens within output and input', async () => {
    const result = await runChat(db, team, config, {
      model: 'costwise-demo-reasoner',
      messages: [{ role: 'user', content: 'Think about 2 + 2.' }],
      maxOutputTokens: 500,
      feature: 'preview',
    })
    expect(result.status).toBe('ok')
    expect(result.usage.reasoningTokens).toBeGreaterThan(0)
    expect(result.usage.reasoningTokens).toBeLessThanOrEqual(result.usage.outputTokens)
    const [row] = await usageRows()
    expect(row!.reasoning_tokens).toBe(result.usage.reasoningTokens)
    expect(usdToNano(row!.cost_usd)).toBe(calculateCost('costwise-demo-reasoner', result.usage).totalNano)
  })

  it('records a provider error (500) as an error row and releases the reservation', async () => {
    const budget = await hardBudget('10')
    const result = await runChat(
      db,
      team,
      { ...config, maxRetries: 0 },
      {
        model: 'costwise-demo',
        messages: [{ role: 'user', content: 'Please fail [[fail:500]]' }],
        maxOutputTokens: 100,
        feature: 'lab',
        promptId,
      },
    )
    expect(result.status).toBe('error')
    expect(result.error).toMatchObject({ code: 'PROVIDER_ERROR', providerStatus: 500 })
    const rows = await usageRows()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ status: 'error', input_tokens: 0, output_tokens: 0, cost_usd: '0.000000000' })
    const [reservation] = await reservations()
    expect(reservation!.status).toBe('settled')
    const after = await budgets.findBudget(db, team.id, budget.id)
    expect(usdToNano(after!.reserved_usd)).toBe(0n)
    expect(usdToNano(after!.spent_usd)).toBe(0n)
    const runs = await prompts.listPromptRuns(db, team.id, promptId)
    expect(runs[0]).toMatchObject({ status: 'error' })
  })

  it('treats a socket dropped mid-stream as a connection error and counts what was billed (nothing reported → 0)', async () => {
    const budget = await hardBudget('10')
    const deltas: string[] = []
    const result = await runChat(
      db,
      team,
      { ...config, maxRetries: 0 },
      {
        model: 'costwise-demo',
        messages: [{ role: 'user', content: 'Tell me a story [[drop-after:3]]' }],
        maxOutputTokens: 200,
        feature: 'lab',
      },
      { onDelta: (d) => deltas.push(d) },
    )
    expect(result.status).toBe('error')
    expect(result.error?.code).toBe('CONNECTION_ERROR')
    expect(deltas.length).toBeGreaterThan(0)
    const rows = await usageRows()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ status: 'error', output_tokens: 0 })
    const after = await budgets.findBudget(db, team.id, budget.id)
    expect(usdToNano(after!.reserved_usd)).toBe(0n)
  })

  it('blocks on a hard budget: BUDGET_EXCEEDED, a blocked row, and no request reaches the provider', async () => {
    await hardBudget('0.000001')
    const error = await runChat(db, team, config, {
      model: 'costwise-demo',
      messages: [{ role: 'user', content: 'Hello there' }],
      maxOutputTokens: 1000,
      feature: 'lab',
      promptId,
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe('BUDGET_EXCEEDED')
    expect((error as AppError).details?.budget).toMatchObject({ name: 'Tiny' })
    expect(llm.stats.requests).toBe(0)
    expect(llm.requests).toHaveLength(0)
    const rows = await usageRows()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      status: 'blocked',
      cost_usd: '0.000000000',
      input_tokens: 0,
      output_tokens: 0,
      feature: 'lab',
    })
    expect(await reservations()).toHaveLength(0)
    const runs = await prompts.listPromptRuns(db, team.id, promptId)
    expect(runs[0]).toMatchObject({ status: 'blocked' })
  })

  it('retries a dropped connection (SDK maxRetries) and counts the call once', async () => {
    const result = await runChat(
      db,
      team,
      { ...config, maxRetries: 2 },
      {
        model: 'costwise-demo-mini',
        messages: [{ role: 'user', content: 'Say hi [[fail-once:k1]]' }],
        maxOutputTokens: 100,
        feature: 'lab',
      },
    )
    expect(result.status).toBe('ok')
    expect(llm.requests.map((r) => r.dropped)).toEqual([true, false])
    const rows = await usageRows()
    expect(rows).toHaveLength(1)
    expect(usdToNano(rows[0]!.cost_usd)).toBe(calculateCost('costwise-demo-mini', result.usage).totalNano)
  })

  it('a repeated call with the same idempotency key is refused without calling the provider again', async () => {
    const call = {
      model: 'costwise-demo-mini',
      messages: [{ role: 'user' as const, content: 'Same call' }],
      maxOutputTokens: 50,
      feature: 'lab' as const,
      idempotencyKey: 'client-run-1',
    }
    const first = await runChat(db, team, config, call)
    const again = await runChat(db, team, config, call).catch((e: unknown) => e)
    expect(again).toBeInstanceOf(AppError)
    expect((again as AppError).code).toBe('CONFLICT')
    expect((again as AppError).details?.usageLogId).toBe(first.usageLogId)
    expect(llm.stats.requests).toBe(1)
    expect(await usageRows()).toHaveLength(1)
  })
})
