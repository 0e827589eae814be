import { budgetLevel, periodWindow, thresholdsCrossed, usdToNano } from '@costwise/core'
import {
  alerts,
  budgets,
  jobs,
  prompts as promptQueries,
  teams,
  usage,
  users,
  type Db,
  type NewUsageLog,
} from '@costwise/db'
import { DateTime } from 'luxon'
import { DEMO_MODELS, createRng, makeUsageRow, pick, weighted, type ModelProfile } from './factories'

export const DEMO_TEAM = { slug: 'demo', name: 'Demo Team', timeZone: 'America/New_York', plan: 'enterprise' } as const
export const DEMO_LOGIN = { email: 'demo@costwise.dev', password: 'demo-password' }

const DEMO_USERS = [
  { email: DEMO_LOGIN.email, name: 'Dana Demo', role: 'owner' },
  { email: 'alice@costwise.dev', name: 'Alice Admin', role: 'admin' },
  { email: 'bob@costwise.dev', name: 'Bob Builder', role: 'member' },
  { email: 'carol@costwise.dev', name: 'Carol Chen', role: 'member' },
  { email: 'dan@costwise.dev', name: 'Dan Viewer', role: 'viewer' },
] as const

const DEMO_PROMPTS = [
  {
    name: 'Support reply drafter',
    model: 'gpt-4o',
    system: 'You are a friendly support agent for {{product}}.',
    user: 'Draft a reply to: {{ticket}}',
  },
  {
    name: 'SQL explainer',
    model: 'claude-sonnet-4-5',
    system: 'Explain SQL queries to analysts.',
    user: 'Explain:\n{{query}}',
  },
  {
    name: 'Release notes writer',
    model: 'gpt-4o-mini',
    system: 'Write concise release notes.',
    user: 'Changes:\n{{changes}}',
  },
  {
    name: 'Sentiment classifier',
    model: 'gpt-4o-mini',
    system: 'Classify sentiment as positive, neutral or negative.',
    user: '{{text}}',
  },
  {
    name: 'Code review bot',
    model: 'o4-mini',
    system: 'Review the diff for bugs and risky changes.',
    user: '{{diff}}',
  },
  {
    name: 'Meeting summarizer',
    model: 'gemini-2.5-flash',
    system: 'Summarize meetings into decisions and action items.',
    user: '{{transcript}}',
  },
] as const

export interface SeedOptions {
  hashPassword: (password: string) => Promise<string>
  now?: Date
  days?: number
  seed?: number
}

export interface SeedResult {
  created: boolean
  teamId: string
  usageRows: number
  login: typeof DEMO_LOGIN
}

/**
 * The demo team (enterprise plan): five users with every role, six prompts, an API key's worth of traffic and
 * ~90 days of usage with weekday rhythm and growth, priced like real ingestion. One transaction.
 */
export async function seedDemo(db: Db, options: SeedOptions): Promise<SeedResult> {
  const existing = await teams.findTeamBySlug(db, DEMO_TEAM.slug)
  if (existing) return { created: false, teamId: existing.id, usageRows: 0, login: DEMO_LOGIN }
  const rng = createRng(options.seed ?? 20261124)
  const now = options.now ?? new Date()
  const days = options.days ?? 90
  const passwordHash = await options.hashPassword(DEMO_LOGIN.password)

  return db.transaction().execute(async (trx) => {
    const team = await teams.insertTeam(trx, DEMO_TEAM)
    const userIds: string[] = []
    for (const u of DEMO_USERS) {
      const user =
        (await users.findUserByEmail(trx, u.email)) ??
        (await users.insertUser(trx, { email: u.email, name: u.name, passwordHash }))
      await teams.upsertMember(trx, team.id, user.id, u.role)
      userIds.push(user.id)
    }
    const prompts = []
    for (const p of DEMO_PROMPTS) {
      prompts.push(
        await promptQueries.insertPrompt(
          trx,
          team.id,
          {
            name: p.name,
            model: p.model,
            systemMessage: p.system,
            userMessage: p.user,
            variables: {},
            maxOutputTokens: 1024,
            caching: false,
          },
          { userId: userIds[0]!, apiKeyId: null },
        ),
      )
    }
    const apiKey = await trx
      .insertInto('api_keys')
      .values({
        team_id: team.id,
        name: 'Internal tools',
        prefix: 'cw_demo000',
        key_hash: `seed-${team.id}`,
        created_by: userIds[0]!,
      })
      .returning('id')
      .executeTakeFirstOrThrow()

    const profileFor = (model: string): ModelProfile =>
      DEMO_MODELS.find(([m]) => m.model === model)?.[0] ?? DEMO_MODELS[0]![0]
    const firstDay = DateTime.fromJSDate(now, { zone: DEMO_TEAM.timeZone })
      .startOf('day')
      .minus({ days: days - 1 })
    const rows: (NewUsageLog & { id: string })[] = []
    const runs: { usageId: string; promptId: string; userId: string | null }[] = []
    for (let d = 0; d < days; d++) {
      const day = firstDay.plus({ days: d })
      const weekend = day.weekday >= 6
      const growth = 0.7 + (0.6 * d) / days
      const count = Math.round((weekend ? 90 : 300) * growth * (0.85 + rng() * 0.3))
      for (let i = 0; i < count; i++) {
        // Office hours are busier: most calls between 09:00 and 18:00 local time.
        const hour = rng() < 0.8 ? 9 + Math.floor(rng() * 9) : Math.floor(rng() * 24)
        const at = day
          .plus({ hours: hour, minutes: Math.floor(rng() * 60), seconds: Math.floor(rng() * 60) })
          .toJSDate()
        if (at > now) continue
        const feature = weighted(rng, [
          ['api', 50],
          ['lab', 35],
          ['preview', 10],
          ['improve', 5],
        ] as const)
        const prompt = feature === 'api' && rng() < 0.4 ? null : pick(rng, prompts)
        const fromKey = feature === 'api'
        const userId = fromKey ? null : pick(rng, userIds.slice(0, 4))
        const model = prompt && rng() < 0.8 ? profileFor(prompt.model) : weighted(rng, DEMO_MODELS)
        const unknownModel = rng() < 0.003
        const row = makeUsageRow({
          rng,
          teamId: team.id,
          at,
          model: unknownModel ? { ...model, model: 'acme-internal-llm' } : model,
          userId,
          apiKeyId: fromKey ? apiKey.id : null,
          promptId: prompt?.id ?? null,
          feature,
          status: rng() < 0.02 ? 'error' : 'ok',
        })
        rows.push(row)
        if (feature === 'lab' && prompt) runs.push({ usageId: row.id, promptId: prompt.id, userId })
      }
    }
    await usage.insertUsageRows(trx, rows)

    const byId = new Map(rows.map((r) => [r.id, r]))
    const history = runs.slice(-600).map((r) => {
      const row = byId.get(r.usageId)!
      return {
        team_id: team.id,
        prompt_id: r.promptId,
        user_id: r.userId,
        usage_log_id: row.id,
        model: row.model,
        status: row.status ?? 'ok',
        input_tokens: row.input_tokens,
        output_tokens: row.output_tokens,
        cached_input_tokens: row.cached_input_tokens ?? 0,
        reasoning_tokens: row.reasoning_tokens ?? 0,
        cost_usd: row.cost_usd,
        latency_ms: row.latency_ms,
        time_to_first_token_ms: row.latency_ms ? Math.round(row.latency_ms * 0.2) : null,
        created_at: row.occurred_at,
      }
    })
    for (let i = 0; i < history.length; i += 500) {
      await trx
        .insertInto('prompt_run_history')
        .values(history.slice(i, i + 500))
        .execute()
    }

    await usage.rebuildRollups(trx, {
      teamId: team.id,
      timeZone: DEMO_TEAM.timeZone,
      start: firstDay.toJSDate(),
      end: DateTime.fromJSDate(now, { zone: DEMO_TEAM.timeZone }).startOf('day').plus({ days: 1 }).toJSDate(),
    })
    // Budgets at different levels, with the alerts their spend so far has crossed.
    const demoBudgets: budgets.BudgetValues[] = [
      {
        name: 'Team monthly',
        scope: 'team',
        scopeUserId: null,
        scopeApiKeyId: null,
        scopePromptId: null,
        period: 'month',
        timeZone: null,
        limitUsd: '80',
        mode: 'soft',
        thresholds: [50, 80, 100],
        active: true,
      },
      {
        name: 'Bob daily',
        scope: 'user',
        scopeUserId: userIds[2]!,
        scopeApiKeyId: null,
        scopePromptId: null,
        period: 'day',
        timeZone: null,
        limitUsd: '5',
        mode: 'hard',
        thresholds: [50, 80, 100],
        active: true,
      },
      {
        name: 'Internal tools weekly',
        scope: 'api_key',
        scopeUserId: null,
        scopeApiKeyId: apiKey.id,
        scopePromptId: null,
        period: 'week',
        timeZone: null,
        limitUsd: '25',
        mode: 'hard',
        thresholds: [50, 80, 100],
        active: true,
      },
      {
        name: 'Code review bot monthly',
        scope: 'prompt',
        scopeUserId: null,
        scopeApiKeyId: null,
        scopePromptId: prompts[4]!.id,
        period: 'month',
        timeZone: null,
        limitUsd: '10',
        mode: 'soft',
        thresholds: [50, 80, 100],
        active: true,
      },
    ]
    for (const values of demoBudgets) {
      const window = periodWindow(values.period, now, DEMO_TEAM.timeZone)
      const scope = {
        scope: values.scope,
        userId: values.scopeUserId,
        apiKeyId: values.scopeApiKeyId,
        promptId: values.scopePromptId,
      }
      const spent = await budgets.spendInWindow(trx, team.id, scope, window.start, window.end)
      const budget = await budgets.insertBudget(trx, team.id, values, { start: window.start, spentUsd: spent })
      const limit = usdToNano(values.limitUsd)
      for (const threshold of thresholdsCrossed(0n, usdToNano(spent), limit, values.thresholds)) {
        const level = budgetLevel(BigInt(threshold), 100n)
        await alerts.insertAlertOnce(trx, {
          teamId: team.id,
          budgetId: budget.id,
          periodStart: window.start,
          threshold,
          level: level === 'ok' ? 'info' : level,
          spentUsd: spent,
          limitUsd: values.limitUsd,
        })
      }
    }
    // The worker computes the demo team's recommendations and prompt scores as soon as it starts.
    await jobs.enqueueJob(
      trx,
      'recommendation__refresh_team',
      { teamId: team.id },
      { jobKey: `recommendation__refresh_team:${team.id}`, maxAttempts: 5 },
    )
    return { created: true, teamId: team.id, usageRows: rows.length, login: DEMO_LOGIN }
  })
}
