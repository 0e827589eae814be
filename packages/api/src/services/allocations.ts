import {
  allocationsInputSchema,
  AppError,
  nanoToUsd,
  periodWindow,
  splitProportionally,
  usdToNano,
  type AllocationsInput,
} from '@costwise/core'
import { audit, budgets, teams, tracking, type Db, type UsageBudget } from '@costwise/db'
import { z } from 'zod'
import { auditBy } from '../audit'
import type { TeamScope } from '../trpc'
import { budgetViewSchema, toBudgetView } from './budgets'

/**
 * Per-member allocations: a team budget split among members. Each allocation is a user budget carved from the
 * team budget (same period, zone and thresholds), hard or soft, and enforced by the same atomic reservation as
 * every budget. The allocations add up to at most the team budget; what is left stays with the team (the team
 * budget still applies to everyone, allocated or not).
 */

/** A team budget's split: its limit, what is allocated to members and what is left, and each member's allocation. */
export const allocationsViewSchema = z.object({
  budgetId: z.string(),
  limitUsd: z.string(),
  allocatedUsd: z.string(),
  unallocatedUsd: z.string(),
  allocations: z.array(budgetViewSchema.extend({ userId: z.string() })),
})
export type AllocationsView = z.infer<typeof allocationsViewSchema>

function allocationName(parent: UsageBudget, who: string): string {
  return `${parent.name} · ${who}`.slice(0, 200)
}

function allocationAudit(list: UsageBudget[]) {
  return list.map((a) => ({ userId: a.scope_user_id, limitUsd: a.limit_usd, mode: a.mode }))
}

/**
 * Replaces a team budget's allocations: members listed get (or keep) one with the amount and mode given;
 * members left out lose theirs (its amount returns to the team). Refused, changing nothing, when the amounts
 * add up to more than the team budget's limit.
 */
export async function setAllocations(db: Db, team: TeamScope, raw: AllocationsInput, now = new Date()) {
  const input = allocationsInputSchema.parse(raw)
  return db.transaction().execute(async (trx) => {
    const parent = await budgets.lockBudget(trx, team.id, input.budgetId)
    if (!parent) throw new AppError('NOT_FOUND', 'No budget with this id in your team.', { field: 'budgetId' })
    if (parent.scope !== 'team' || parent.parent_budget_id) {
      throw new AppError(
        'BAD_INPUT',
        'budgetId: only a team budget (one that covers the whole team) can be split among members.',
        { field: 'budgetId' },
      )
    }
    const known = await tracking.teamMemberIds(
      trx,
      team.id,
      input.members.map((m) => m.userId),
    )
    input.members.forEach((m, index) => {
      if (!known.has(m.userId))
        throw new AppError('BAD_INPUT', `members.${index}.userId: not a member of your team.`, {
          field: `members.${index}.userId`,
        })
    })
    const amounts =
      input.split === 'equal'
        ? splitProportionally(
            usdToNano(input.totalUsd!),
            input.members.map(() => 1n),
          )
        : input.members.map((m) => usdToNano(m.limitUsd!))
    if (amounts.some((a) => a <= 0n)) {
      throw new AppError('BAD_INPUT', 'totalUsd: too small to give every member more than $0.', {
        field: input.split === 'equal' ? 'totalUsd' : 'members',
      })
    }
    const total = amounts.reduce((s, a) => s + a, 0n)
    const limit = usdToNano(parent.limit_usd)
    if (total > limit) {
      const field = input.split === 'equal' ? 'totalUsd' : 'members'
      throw new AppError(
        'BAD_INPUT',
        `${field}: the allocations add up to $${nanoToUsd(total)}, more than the team budget’s $${nanoToUsd(limit)} limit; lower them by $${nanoToUsd(total - limit)}.`,
        { field, details: { allocatedUsd: nanoToUsd(total), limitUsd: nanoToUsd(limit) } },
      )
    }

    const before = await budgets.listAllocations(trx, team.id, parent.id)
    const byUser = new Map(before.map((a) => [a.scope_user_id, a]))
    const names = new Map((await teams.listMembers(trx, team.id)).map((m) => [m.id, m.name || m.email]))
    const window = periodWindow(parent.period, now, parent.time_zone ?? team.timeZone)
    const after: UsageBudget[] = []
    for (const [index, m] of input.members.entries()) {
      const limitUsd = nanoToUsd(amounts[index]!)
      const existing = byUser.get(m.userId)
      const values = {
        name: allocationName(parent, names.get(m.userId) ?? 'member'),
        limitUsd,
        mode: m.mode,
        period: parent.period,
        timeZone: parent.time_zone,
        thresholds: parent.thresholds,
        active: parent.active,
      }
      if (existing) {
        after.push(await budgets.updateAllocation(trx, existing.id, values, null))
        byUser.delete(m.userId)
        continue
      }
      const scope = { scope: 'user' as const, userId: m.userId, apiKeyId: null, promptId: null }
      const spent = await budgets.spendInWindow(trx, team.id, scope, window.start, window.end)
      after.push(
        await budgets.insertAllocation(
          trx,
          team.id,
          parent.id,
          { ...values, scope: 'user', scopeUserId: m.userId, scopeApiKeyId: null, scopePromptId: null },
          { start: window.start, spentUsd: spent },
        ),
      )
    }
    await budgets.deleteBudgets(
      trx,
      team.id,
      [...byUser.values()].map((a) => a.id),
    )
    await audit.record(trx, {
      ...auditBy(team),
      action: 'allocation.changed',
      target: { type: 'budget', id: parent.id },
      before: { budget: parent.name, limitUsd: parent.limit_usd, allocations: allocationAudit(before) },
      after: {
        budget: parent.name,
        limitUsd: parent.limit_usd,
        split: input.split,
        allocations: allocationAudit(after),
      },
    })
    return allocationsView(parent, after, team, now)
  })
}

function allocationsView(parent: UsageBudget, list: UsageBudget[], team: TeamScope, now: Date): AllocationsView {
  const allocated = list.reduce((s, a) => s + usdToNano(a.limit_usd), 0n)
  const limit = usdToNano(parent.limit_usd)
  return {
    budgetId: parent.id,
    limitUsd: nanoToUsd(limit),
    allocatedUsd: nanoToUsd(allocated),
    unallocatedUsd: nanoToUsd(limit - allocated),
    allocations: list.map((a) => ({ ...toBudgetView(a, team.timeZone, now), userId: a.scope_user_id! })),
  }
}

export async function listAllocations(db: Db, team: TeamScope, budgetId: string, now = new Date()) {
  const parent = await budgets.findBudget(db, team.id, budgetId)
  if (!parent) throw new AppError('NOT_FOUND', 'No budget with this id in your team.', { field: 'budgetId' })
  return allocationsView(parent, await budgets.listAllocations(db, team.id, budgetId), team, now)
}
