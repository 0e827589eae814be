import {
  AppError,
  budgetInputSchema,
  budgetModeSchema,
  budgetPeriodSchema,
  budgetScopeSchema,
  budgetLevelSchema,
  isValidTimeZone,
  nanoToUsd,
  periodWindow,
  sortBudgetsByUrgency,
  usdToNano,
  type BudgetInput,
} from '@costwise/core'
import { apiKeys, audit, budgets, tracking, type Database, type Db, type UsageBudget } from '@costwise/db'
import type { Transaction } from 'kysely'
import { auditBy } from '../audit'
import { z } from 'zod'
import type { TeamScope } from '../trpc'
import { raiseCrossedAlerts } from './budget-alerts'
import { toBudgetStatus } from './budget-status'

export const budgetViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  scope: budgetScopeSchema,
  userId: z.string().nullable(),
  apiKeyId: z.string().nullable(),
  promptId: z.string().nullable(),
  period: budgetPeriodSchema,
  timeZone: z.string(),
  limitUsd: z.string(),
  spentUsd: z.string(),
  reservedUsd: z.string(),
  remainingUsd: z.string(),
  percentUsed: z.number(),
  level: budgetLevelSchema,
  mode: budgetModeSchema,
  thresholds: z.array(z.number()),
  active: z.boolean(),
  periodStart: z.string(),
  periodEnd: z.string().nullable(),
  /** On a member's allocation: the team budget it is carved from. */
  parentBudgetId: z.string().nullable(),
  /** The limit without this period's raise (`limitUsd` includes it), and that raise. */
  baseLimitUsd: z.string(),
  periodRaiseUsd: z.string(),
})
export type BudgetView = z.infer<typeof budgetViewSchema>

/** A budget as the API shows it; a budget whose stored period has ended shows the new period (nothing spent yet). */
export function toBudgetView(b: UsageBudget, teamTimeZone: string, now = new Date()): BudgetView {
  const timeZone = b.time_zone ?? teamTimeZone
  const window = periodWindow(b.period, now, timeZone)
  const stale = b.period_start.getTime() < window.start.getTime()
  const raise = stale ? 0n : usdToNano(budgets.effectiveLimitUsd(b).raiseUsd)
  const state = {
    id: b.id,
    name: b.name,
    scope: b.scope,
    period: b.period,
    mode: b.mode,
    limitUsd: nanoToUsd(usdToNano(b.limit_usd) + raise),
    spentUsd: stale ? '0' : b.spent_usd,
    reservedUsd: stale ? '0' : b.reserved_usd,
    thresholds: b.thresholds,
    periodStart: window.start,
  }
  const status = toBudgetStatus(state)
  const remaining = usdToNano(state.limitUsd) - usdToNano(state.spentUsd) - usdToNano(state.reservedUsd)
  return {
    ...status,
    userId: b.scope_user_id,
    apiKeyId: b.scope_api_key_id,
    promptId: b.scope_prompt_id,
    timeZone,
    remainingUsd: nanoToUsd(remaining > 0n ? remaining : 0n),
    thresholds: b.thresholds,
    active: b.active,
    periodStart: window.start.toISOString(),
    periodEnd: window.end?.toISOString() ?? null,
    parentBudgetId: b.parent_budget_id,
    baseLimitUsd: nanoToUsd(usdToNano(b.limit_usd)),
    periodRaiseUsd: nanoToUsd(raise),
  }
}

export async function listBudgetViews(db: Db, team: TeamScope, now = new Date()): Promise<BudgetView[]> {
  // Most urgent first (core's one rule): a save never reorders the list, the budget nearest its limit leads.
  return sortBudgetsByUrgency((await budgets.listBudgets(db, team.id)).map((b) => toBudgetView(b, team.timeZone, now)))
}

/**
 * Creates a budget, or replaces one (by id). Its spend for the current period is counted exactly from the
 * usage already recorded, so a budget created mid-month starts where the month stands.
 */
export async function saveBudget(db: Db, team: TeamScope, raw: BudgetInput, now = new Date()): Promise<BudgetView> {
  const input = budgetInputSchema.parse(raw)
  const scope = {
    scope: input.scope,
    userId: input.scope === 'user' ? input.userId! : null,
    apiKeyId: input.scope === 'api_key' ? input.apiKeyId! : null,
    promptId: input.scope === 'prompt' ? input.promptId! : null,
  }
  if (scope.userId && !(await tracking.teamMemberIds(db, team.id, [scope.userId])).has(scope.userId)) {
    throw new AppError('BAD_INPUT', 'userId: this user is not a member of your team.', { field: 'userId' })
  }
  if (scope.promptId && !(await tracking.teamPromptIds(db, team.id, [scope.promptId])).has(scope.promptId)) {
    throw new AppError('BAD_INPUT', 'promptId: no prompt with this id in your team.', { field: 'promptId' })
  }
  if (scope.apiKeyId && !(await apiKeys.listApiKeys(db, team.id)).some((k) => k.id === scope.apiKeyId)) {
    throw new AppError('BAD_INPUT', 'apiKeyId: no API key with this id in your team.', { field: 'apiKeyId' })
  }
  const timeZone = input.timeZone ?? null
  const window = periodWindow(input.period, now, timeZone ?? team.timeZone)
  const values: budgets.BudgetValues = {
    name: input.name ?? defaultName(input.period, input.scope),
    scope: scope.scope,
    scopeUserId: scope.userId,
    scopeApiKeyId: scope.apiKeyId,
    scopePromptId: scope.promptId,
    period: input.period,
    timeZone,
    limitUsd: nanoToUsd(usdToNano(input.limitUsd)),
    mode: input.mode,
    thresholds: input.thresholds,
    active: input.active,
  }
  const saved = await db.transaction().execute(async (trx) => {
    const spent = await budgets.spendInWindow(trx, team.id, scope, window.start, window.end)
    if (!input.id) {
      const created = await budgets.insertBudget(trx, team.id, values, { start: window.start, spentUsd: spent })
      await audit.record(trx, {
        ...auditBy(team),
        action: 'budget.created',
        target: { type: 'budget', id: created.id },
        after: budgetAudit(created),
      })
      await alertCrossedOnSave(trx, team.id, created)
      return created
    }
    const before = await budgets.lockBudget(trx, team.id, input.id)
    if (before?.parent_budget_id) {
      throw new AppError(
        'BAD_INPUT',
        'id: this is a member’s allocation of a team budget; change it with the team budget’s allocations.',
        { field: 'id' },
      )
    }
    const allocations = before ? await budgets.listAllocations(trx, team.id, before.id) : []
    if (allocations.length && values.scope !== 'team') {
      throw new AppError(
        'BAD_INPUT',
        'scope: this team budget is split among members; remove the allocations before it covers anything else.',
        { field: 'scope' },
      )
    }
    const allocated = allocations.reduce((sum, a) => sum + usdToNano(a.limit_usd), 0n)
    if (allocated > usdToNano(values.limitUsd)) {
      throw new AppError(
        'BAD_INPUT',
        `limitUsd: members’ allocations add up to $${nanoToUsd(allocated)}; the limit can’t be lower than that (lower the allocations first).`,
        { field: 'limitUsd' },
      )
    }
    const updated =
      before && (await budgets.updateBudget(trx, team.id, input.id, values, { start: window.start, spentUsd: spent }))
    if (!before || !updated) throw new AppError('NOT_FOUND', 'No budget with this id in your team.', { field: 'id' })
    await followParent(trx, team, updated, allocations, now)
    await audit.record(trx, {
      ...auditBy(team),
      action: 'budget.updated',
      target: { type: 'budget', id: updated.id },
      before: budgetAudit(before),
      after: budgetAudit(updated),
    })
    await alertCrossedOnSave(trx, team.id, updated)
    return updated
  })
  return toBudgetView(saved, team.timeZone, now)
}

/** Deletes a budget (its reservations' holds and alerts go with it) and records who did. */
export async function deleteBudget(db: Db, team: TeamScope, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const deleted = await budgets.deleteBudget(trx, team.id, id)
    if (!deleted) throw new AppError('NOT_FOUND', 'No budget with this id in your team.', { field: 'id' })
    await audit.record(trx, {
      ...auditBy(team),
      action: 'budget.deleted',
      target: { type: 'budget', id },
      before: budgetAudit(deleted),
    })
  })
}

/** What the audit log keeps of a budget: its settings, not its moving spend. */
function budgetAudit(b: UsageBudget) {
  return {
    name: b.name,
    scope: b.scope,
    userId: b.scope_user_id,
    apiKeyId: b.scope_api_key_id,
    promptId: b.scope_prompt_id,
    period: b.period,
    timeZone: b.time_zone,
    limitUsd: b.limit_usd,
    mode: b.mode,
    thresholds: b.thresholds,
    active: b.active,
  }
}

/**
 * A budget created (or lowered) below what its period has already spent has crossed those thresholds now: alert
 * them like a charge would, in the same transaction. Thresholds already alerted this period stay quiet.
 */
async function alertCrossedOnSave(trx: Db, teamId: string, row: UsageBudget): Promise<void> {
  if (!row.active) return
  await raiseCrossedAlerts(trx, {
    teamId,
    budgetId: row.id,
    periodStart: row.period_start,
    thresholds: row.thresholds,
    limitUsd: row.limit_usd,
    spentBeforeUsd: '0',
    spentUsd: row.spent_usd,
  })
}

function defaultName(period: string, scope: string): string {
  const p = { day: 'Daily', week: 'Weekly', month: 'Monthly', total: 'Total' }[period] ?? 'Budget'
  const s = { team: 'team', user: 'user', api_key: 'API key', prompt: 'prompt' }[scope] ?? scope
  return `${p} ${s} budget`
}

/** Allocations follow their team budget's period, zone, thresholds and state (their spend restated when the period changes). */
export async function followParent(
  trx: Transaction<Database>,
  team: TeamScope,
  parent: UsageBudget,
  allocations: UsageBudget[],
  now = new Date(),
): Promise<void> {
  const window = periodWindow(parent.period, now, parent.time_zone ?? team.timeZone)
  for (const a of allocations) {
    const moved = a.period !== parent.period || a.time_zone !== parent.time_zone
    const spent = moved
      ? await budgets.spendInWindow(
          trx,
          team.id,
          { scope: 'user', userId: a.scope_user_id, apiKeyId: null, promptId: null },
          window.start,
          window.end,
        )
      : null
    await budgets.updateAllocation(
      trx,
      a.id,
      {
        name: a.name,
        limitUsd: a.limit_usd,
        mode: a.mode,
        period: parent.period,
        timeZone: parent.time_zone,
        thresholds: parent.thresholds,
        active: parent.active,
      },
      spent === null ? null : { start: window.start, spentUsd: spent },
    )
  }
}
