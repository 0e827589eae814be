import { AppError, calculateCost, estimateChatTokens, nanoToUsd, periodWindow, usdToNano } from '@costwise/core'
import { budgetApplies } from '@costwise/core/budgets/scope'
import { budgets, tracking, type Db } from '@costwise/db'
import type { TeamScope } from '../trpc'
import { toBudgetStatus } from './budget-status'
import { teamPricing } from './pricing'
import { reserveInputSchema, type ReserveInput, type ReserveResult } from './tracking.types'
import { assertModelsAllowed } from './model-access'

/**
 * Before a model call: estimates its worst-case cost (the prompt plus `maxOutputTokens` of output) and sets
 * it aside, atomically, on every budget that applies — or refuses with BUDGET_EXCEEDED naming the first hard
 * budget without room, leaving every budget as it was. Settle with `recordUsage({ reservationId })`;
 * unsettled reservations expire (worker task `reservation__expire`).
 */
export async function reserve(
  db: Db,
  team: TeamScope,
  rawInput: ReserveInput,
  now = new Date(),
): Promise<ReserveResult> {
  const input = reserveInputSchema.parse(rawInput)
  assertModelsAllowed(team, [input.model])
  if (input.promptId && !(await tracking.teamPromptIds(db, team.id, [input.promptId])).has(input.promptId)) {
    throw new AppError('BAD_INPUT', 'promptId: no prompt with this id in your team.', { field: 'promptId' })
  }
  if (input.userId && !(await tracking.teamMemberIds(db, team.id, [input.userId])).has(input.userId)) {
    throw new AppError('BAD_INPUT', 'userId: this user is not a member of your team.', { field: 'userId' })
  }
  const inputTokens = input.inputTokens ?? (await estimateChatTokens(input.messages!, input.model)).tokens
  const cost = calculateCost(
    input.model,
    { inputTokens, outputTokens: input.maxOutputTokens },
    now,
    await teamPricing(db, team.id),
  )
  const estimatedUsd = nanoToUsd(cost.totalNano)
  const call = { userId: input.userId ?? team.userId, apiKeyId: team.apiKeyId, promptId: input.promptId ?? null }

  return db.transaction().execute(async (trx) => {
    if (input.idempotencyKey) {
      const existing = await budgets.findReservationByKey(trx, team.id, input.idempotencyKey)
      if (existing) {
        return {
          reservationId: existing.id,
          estimatedCostUsd: nanoToUsd(usdToNano(existing.estimated_usd)),
          inputTokens,
          expiresAt: existing.expires_at.toISOString(),
          unpriced: !cost.priced,
          budgets: [],
        }
      }
    }
    const applicable = (await budgets.listActiveBudgets(trx, team.id)).filter((b) =>
      budgetApplies(
        { scope: b.scope, userId: b.scope_user_id, apiKeyId: b.scope_api_key_id, promptId: b.scope_prompt_id },
        call,
      ),
    )
    const items = []
    const states = []
    // Budgets are locked in id order (listActiveBudgets sorts by id), so concurrent reservations can't deadlock.
    for (const budget of applicable) {
      const window = periodWindow(budget.period, now, budget.time_zone ?? team.timeZone)
      const state = await budgets.reserveOnBudget(trx, {
        id: budget.id,
        currentStart: window.start,
        amountUsd: estimatedUsd,
      })
      if (!state) {
        const fresh = await budgets.findBudget(trx, team.id, budget.id)
        const limit = usdToNano(budget.limit_usd)
        const used = fresh ? usdToNano(fresh.spent_usd) + usdToNano(fresh.reserved_usd) : 0n
        throw new AppError(
          'BUDGET_EXCEEDED',
          `Budget "${budget.name}" (${budget.period}, hard limit $${nanoToUsd(limit)}) has $${nanoToUsd(limit - used > 0n ? limit - used : 0n)} left; this call could cost up to $${estimatedUsd}. Raise the limit, lower max output tokens, or pick a cheaper model.`,
          {
            details: {
              budget: {
                id: budget.id,
                name: budget.name,
                scope: budget.scope,
                period: budget.period,
                limitUsd: nanoToUsd(limit),
                spentUsd: fresh ? nanoToUsd(usdToNano(fresh.spent_usd)) : '0',
                reservedUsd: fresh ? nanoToUsd(usdToNano(fresh.reserved_usd)) : '0',
              },
              estimatedCostUsd: estimatedUsd,
            },
          },
        )
      }
      items.push({ budgetId: budget.id, periodStart: state.periodStart, amountUsd: estimatedUsd })
      states.push(state)
    }
    const expiresAt = new Date(now.getTime() + input.ttlSeconds * 1000)
    const reservation = await budgets.insertReservation(trx, {
      teamId: team.id,
      idempotencyKey: input.idempotencyKey ?? null,
      model: input.model,
      estimatedUsd,
      expiresAt,
      items,
    })
    return {
      reservationId: reservation.id,
      estimatedCostUsd: estimatedUsd,
      inputTokens,
      expiresAt: expiresAt.toISOString(),
      unpriced: !cost.priced,
      budgets: states.map(toBudgetStatus),
    }
  })
}

/** Gives back what a reservation set aside without recording usage (the call never happened). */
export async function releaseReservation(db: Db, team: TeamScope, reservationId: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const held = await budgets.lockHeldReservations(trx, team.id, [reservationId])
    if (held.length === 0) return false
    await budgets.releaseReservationHolds(trx, [reservationId])
    await budgets.markReservations(trx, [{ id: reservationId, status: 'released' }])
    return true
  })
}

/** Expires held reservations past their time; returns how many. Used by the worker. */
export async function expireReservations(db: Db, now = new Date(), limit = 500): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const expired = await budgets.lockExpiredReservations(trx, now, limit)
    const ids = expired.map((r) => r.id)
    await budgets.releaseReservationHolds(trx, ids)
    await budgets.markReservations(
      trx,
      ids.map((id) => ({ id, status: 'expired' as const })),
    )
    return ids.length
  })
}
