/**
 * A team as benches need it: members, prompts, an API key and budgets, created through the app's own
 * functions (query modules, createApiKey, saveBudget), so the rows look exactly like the app's.
 */
import { randomUUID } from 'node:crypto'
import { createApiKey } from '@costwise/api'
import type { BudgetInput } from '@costwise/core'
import { saveBudget } from '@costwise/api/services/budgets'
import type { TeamScope } from '@costwise/api/trpc'
import { teams, users, type Db } from '@costwise/db'

/** Models the fixtures use, all priced in the catalog (provider comes from the catalog on ingest). */
export const MODELS = [
  'gpt-4o',
  'gpt-4o-mini',
  'gpt-4.1',
  'gpt-4.1-mini',
  'gpt-5-mini',
  'o4-mini',
  'claude-sonnet-4-5',
  'claude-haiku-4-5',
  'gemini-2.5-flash',
  'mistral-small',
] as const

export interface TeamFixture {
  /** The scope an API key of this team acts with (what the REST handlers build for a request). */
  scope: TeamScope
  /** The scope a signed-in owner acts with. */
  ownerScope: TeamScope
  key: string
  keyId: string
  userIds: string[]
  promptIds: string[]
}

export async function createTeamFixture(
  db: Db,
  options: { slug?: string; timeZone?: string; users?: number; prompts?: number } = {},
): Promise<TeamFixture> {
  const slug = options.slug ?? 'bench-team'
  const team = await teams.insertTeam(db, { slug, name: 'Bench team', timeZone: options.timeZone ?? 'Europe/Berlin' })
  const userIds: string[] = []
  for (let i = 0; i < (options.users ?? 1); i++) {
    const user = await users.insertUser(db, {
      email: `user${i}@${slug}.bench`,
      name: `User ${i}`,
      passwordHash: 'not-a-real-hash',
    })
    await teams.upsertMember(db, team.id, user.id, i === 0 ? 'owner' : 'member')
    userIds.push(user.id)
  }
  const promptIds: string[] = []
  for (let i = 0; i < (options.prompts ?? 0); i++) {
    const row = await db
      .insertInto('prompts')
      .values({ team_id: team.id, name: `Prompt ${String(i).padStart(2, '0')}`, model: MODELS[i % MODELS.length]! })
      .returning('id')
      .executeTakeFirstOrThrow()
    promptIds.push(row.id)
  }
  const { key, record } = await createApiKey(db, { teamId: team.id, name: 'bench tool' })
  const base = {
    id: team.id,
    slug: team.slug,
    name: team.name,
    timeZone: team.timeZone,
    retentionMonths: team.retentionMonths,
    plan: team.plan,
  }
  return {
    scope: { ...base, role: 'admin', userId: null, apiKeyId: record.id },
    ownerScope: { ...base, role: 'owner', userId: userIds[0] ?? null, apiKeyId: null },
    key,
    keyId: record.id,
    userIds,
    promptIds,
  }
}

export async function addBudget(db: Db, fixture: TeamFixture, input: BudgetInput) {
  return saveBudget(db, fixture.ownerScope, input)
}

const run = randomUUID().slice(0, 8)
let seq = 0

/**
 * An ordinary usage event: models, prompts and token counts vary; the user (and so the budgets charged) is
 * always the team's first; the idempotency key is unique in this run, as a retry-safe client sends it.
 */
export function usageEvent(f: TeamFixture, extra: Record<string, unknown> = {}) {
  const i = seq++
  return {
    model: MODELS[i % MODELS.length]!,
    inputTokens: 400 + (i % 1200),
    outputTokens: 50 + (i % 400),
    userId: f.userIds[0],
    promptId: f.promptIds[i % f.promptIds.length],
    latencyMs: 300 + (i % 900),
    idempotencyKey: `${run}-${i}`,
    ...extra,
  }
}
