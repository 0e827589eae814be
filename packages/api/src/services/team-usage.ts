import { nanoToUsd, percentOf, previousRange, refineFromBeforeTo, roleSchema, usdToNano } from '@costwise/core'
import { analytics, budgets, teams, type Db } from '@costwise/db'
import { DateTime } from 'luxon'
import { z } from 'zod'
import type { TeamScope } from '../trpc'
import { filterFields, rangeFields, resolveRange } from './analytics'
import { budgetViewSchema, toBudgetView } from './budgets'

/**
 * The team usage page (enterprise): one row per member — cost, runs, tokens, share of the team, change against
 * the previous period, budget used, most used model, error rate, cost per successful run, cache hit ratio — and
 * the team's efficiency figures. Read from the same rollups, with the same filters, as `usage.stats`, so a
 * member's cost, runs and tokens are exactly what `stats` grouped by user says.
 */
export const teamUsageInputSchema = z.object({ ...rangeFields, ...filterFields }).superRefine(refineFromBeforeTo)
export const compareInputSchema = z
  .object({
    ...rangeFields,
    ...filterFields,
    members: z
      .array(z.uuid('each member must be a user id'))
      .min(2, 'choose at least two members')
      .max(5, 'choose at most five members'),
  })
  .superRefine(refineFromBeforeTo)

const figuresSchema = z.object({
  costUsd: z.string(),
  runs: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  tokens: z.number(),
  /** Shares are percentages (0–100); null when there is nothing to divide by. */
  errorRate: z.number().nullable(),
  costPerSuccessfulRunUsd: z.string().nullable(),
  cacheHitRatio: z.number().nullable(),
  avgLatencyMs: z.number().nullable(),
})

export const teamUsageOutputSchema = z.object({
  from: z.string(),
  to: z.string(),
  previous: z.object({ from: z.string(), to: z.string() }),
  timeZone: z.string(),
  members: z.array(
    figuresSchema.extend({
      /** Null: usage by API keys with no member. */
      userId: z.string().nullable(),
      name: z.string(),
      email: z.string().nullable(),
      role: roleSchema.nullable(),
      shareOfTeam: z.number().nullable(),
      previousCostUsd: z.string(),
      changePercent: z.number().nullable(),
      budget: budgetViewSchema
        .pick({ id: true, name: true, percentUsed: true, limitUsd: true, spentUsd: true, level: true })
        .nullable(),
      topModel: z.string().nullable(),
    }),
  ),
  team: figuresSchema.extend({
    activeMembers: z.number(),
    costPerActiveMemberUsd: z.string().nullable(),
    tokensPerRun: z.number().nullable(),
    costPer1kTokensUsd: z.string().nullable(),
    previousCostUsd: z.string(),
    changePercent: z.number().nullable(),
  }),
})
export type TeamUsageOutput = z.infer<typeof teamUsageOutputSchema>

export const compareOutputSchema = z.object({
  from: z.string(),
  to: z.string(),
  members: z.array(z.string()),
  /** Per local day, each member's cost in the order of `members`. */
  days: z.array(z.object({ day: z.string(), costs: z.array(z.string()) })),
})
export type CompareOutput = z.infer<typeof compareOutputSchema>

const ratio = (part: bigint, whole: bigint): number | null => (whole === 0n ? null : percentOf(part, whole))

interface Acc {
  cost: bigint
  runs: bigint
  errors: bigint
  okRuns: bigint
  input: bigint
  output: bigint
  cached: bigint
  latency: bigint
  models: Map<string, bigint>
}

const emptyAcc = (): Acc => ({
  cost: 0n,
  runs: 0n,
  errors: 0n,
  okRuns: 0n,
  input: 0n,
  output: 0n,
  cached: 0n,
  latency: 0n,
  models: new Map(),
})

function accumulate(rows: analytics.MemberModelStats[]): Map<string | null, Acc> {
  const byUser = new Map<string | null, Acc>()
  for (const r of rows) {
    let a = byUser.get(r.userId)
    if (!a) byUser.set(r.userId, (a = emptyAcc()))
    a.cost += usdToNano(r.costUsd)
    a.runs += BigInt(r.runs)
    a.errors += BigInt(r.errors)
    a.okRuns += BigInt(r.okRuns)
    a.input += BigInt(r.inputTokens)
    a.output += BigInt(r.outputTokens)
    a.cached += BigInt(r.cachedInputTokens)
    a.latency += BigInt(r.latencyMsSum)
    a.models.set(r.model, (a.models.get(r.model) ?? 0n) + BigInt(r.runs))
  }
  return byUser
}

function topModel(models: Map<string, bigint>): string | null {
  let best: [string, bigint] | null = null
  for (const entry of [...models].sort(([a], [b]) => a.localeCompare(b))) if (!best || entry[1] > best[1]) best = entry
  return best?.[0] ?? null
}

function figures(a: Acc) {
  return {
    costUsd: nanoToUsd(a.cost),
    runs: Number(a.runs),
    inputTokens: Number(a.input),
    outputTokens: Number(a.output),
    tokens: Number(a.input + a.output),
    errorRate: ratio(a.errors, a.runs),
    costPerSuccessfulRunUsd: a.okRuns > 0n ? nanoToUsd(a.cost / a.okRuns) : null,
    cacheHitRatio: ratio(a.cached, a.input),
    avgLatencyMs: a.runs > 0n ? Number(a.latency / a.runs) : null,
  }
}

export async function teamUsage(
  db: Db,
  team: TeamScope,
  input: z.output<typeof teamUsageInputSchema>,
  now = new Date(),
): Promise<TeamUsageOutput> {
  const range = resolveRange(input, team.timeZone, now)
  const { from: previousFrom, to: previousTo } = previousRange(range)
  const previous = { from: previousFrom, to: previousTo }
  const filters: analytics.UsageFilters = input
  const [current, before, memberList, budgetList] = await Promise.all([
    analytics.memberModelStats(db, team.id, { kind: 'days', fromDay: range.from, toDay: range.to }, filters),
    analytics.memberModelStats(db, team.id, { kind: 'days', fromDay: previous.from, toDay: previous.to }, filters),
    teams.listMembers(db, team.id),
    budgets.listBudgets(db, team.id),
  ])
  const now_ = accumulate(current)
  const then = accumulate(before)
  const total = emptyAcc()
  for (const a of now_.values()) {
    total.cost += a.cost
    total.runs += a.runs
    total.errors += a.errors
    total.okRuns += a.okRuns
    total.input += a.input
    total.output += a.output
    total.cached += a.cached
    total.latency += a.latency
  }
  // A member's budget: their allocation or user budget nearest its limit.
  const budgetOf = new Map<string, ReturnType<typeof toBudgetView>>()
  for (const b of budgetList.filter((x) => x.active && x.scope === 'user' && x.scope_user_id)) {
    const view = toBudgetView(b, team.timeZone, now)
    const held = budgetOf.get(b.scope_user_id!)
    if (!held || view.percentUsed > held.percentUsed) budgetOf.set(b.scope_user_id!, view)
  }
  const known = new Map(memberList.map((m) => [m.id, m]))
  const ids = new Set<string | null>([...memberList.map((m) => m.id), ...now_.keys()])
  const rows = [...ids].map((userId) => {
    const a = now_.get(userId) ?? emptyAcc()
    const prev = then.get(userId)?.cost ?? 0n
    const member = userId ? known.get(userId) : undefined
    const budget = userId ? budgetOf.get(userId) : undefined
    return {
      userId,
      name: member ? member.name || member.email : userId ? 'Former member' : 'No member (API keys)',
      email: member?.email ?? null,
      role: member?.role ?? null,
      ...figures(a),
      shareOfTeam: ratio(a.cost, total.cost),
      previousCostUsd: nanoToUsd(prev),
      changePercent: prev === 0n ? null : percentOf(a.cost - prev, prev),
      budget: budget
        ? {
            id: budget.id,
            name: budget.name,
            percentUsed: budget.percentUsed,
            limitUsd: budget.limitUsd,
            spentUsd: budget.spentUsd,
            level: budget.level,
          }
        : null,
      topModel: topModel(a.models),
      _cost: a.cost,
    }
  })
  rows.sort((x, y) => (x._cost === y._cost ? x.name.localeCompare(y.name) : x._cost > y._cost ? -1 : 1))
  const previousTotal = [...then.values()].reduce((s, a) => s + a.cost, 0n)
  return {
    from: range.from,
    to: range.to,
    previous,
    timeZone: team.timeZone,
    members: rows.map(({ _cost, ...r }) => r),
    team: {
      ...figures(total),
      activeMembers: [...now_.entries()].filter(([id, a]) => id !== null && a.runs > 0n).length,
      costPerActiveMemberUsd: (() => {
        const active = BigInt([...now_.entries()].filter(([id, a]) => id !== null && a.runs > 0n).length)
        return active > 0n ? nanoToUsd(total.cost / active) : null
      })(),
      tokensPerRun: total.runs > 0n ? Number((total.input + total.output) / total.runs) : null,
      costPer1kTokensUsd:
        total.input + total.output > 0n ? nanoToUsd((total.cost * 1000n) / (total.input + total.output)) : null,
      previousCostUsd: nanoToUsd(previousTotal),
      changePercent: previousTotal === 0n ? null : percentOf(total.cost - previousTotal, previousTotal),
    },
  }
}

/** Cost per local day for two to five members (the comparison chart); days without usage are 0. */
export async function compareMembers(
  db: Db,
  team: TeamScope,
  input: z.output<typeof compareInputSchema>,
  now = new Date(),
): Promise<CompareOutput> {
  const range = resolveRange(input, team.timeZone, now)
  const rows = await analytics.memberDailyCost(
    db,
    team.id,
    { kind: 'days', fromDay: range.from, toDay: range.to },
    input,
    input.members,
  )
  const first = DateTime.fromISO(range.from, { zone: 'UTC' })
  const days = Array.from({ length: range.days }, (_, i) => first.plus({ days: i }).toISODate()!)
  const cost = new Map(rows.map((r) => [`${r.day}|${r.userId}`, r.costUsd]))
  return {
    from: range.from,
    to: range.to,
    members: input.members,
    days: days.map((day) => ({
      day,
      costs: input.members.map((m) => nanoToUsd(usdToNano(cost.get(`${day}|${m}`) ?? '0'))),
    })),
  }
}
