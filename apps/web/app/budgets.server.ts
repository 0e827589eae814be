import { addDays, formatUsd, localDayOf, usdToNano } from '@costwise/core'
import { redirect } from '@remix-run/node'
import { parseWithZod } from '@conform-to/zod/v4'
import type { SubmissionResult } from '@conform-to/react'
import { formError, replyWithError } from './lib/errors.server'
import type { Viewer } from './auth.server'
import { budgetFormSchema, type BudgetFormValues } from './lib/budget-form'
import type { RouterOutputs } from './lib/api-types'
import { formatDay } from './lib/format'

type Budget = RouterOutputs['budgets']['list']['budgets'][number]

export interface BudgetCardView {
  id: string
  name: string
  scopeLabel: string
  periodLabel: string
  mode: 'hard' | 'soft'
  level: Budget['level']
  percentUsed: number
  spent: string
  reserved: string
  limit: string
  remaining: string
  thresholds: number[]
  active: boolean
  resets: string | null
  /** Where the period is heading at the current rate, and when it runs out (if before the period ends). */
  forecast: { projected: string; low: string; high: string; until: string; runsOutOn: string | null } | null
  form: BudgetFormValues
}

export interface Choice {
  id: string
  name: string
}

const PERIOD_LABEL = { day: 'Daily', week: 'Weekly', month: 'Monthly', total: 'Total (never resets)' } as const
const money = (usd: string) => formatUsd(usdToNano(usd))

export async function loadBudgetsPage({ me, caller }: Viewer) {
  const team = me.activeTeam
  if (!team) return { canEdit: false, teamTimeZone: 'UTC', budgets: [], members: [], apiKeys: [], prompts: [] }
  const canEdit = team.role === 'owner' || team.role === 'admin'
  const [list, current, keys, prompts, forecast] = await Promise.all([
    caller.budgets.list(),
    caller.teams.current(),
    canEdit ? caller.apiKeys.list().catch(() => []) : Promise.resolve([]),
    // Prompts with usage in the last year, by name (the Prompt Lab owns the full list).
    caller.usage
      .topPrompts({ sortBy: 'cost', limit: 100, from: addDays(localDayOf(team.timeZone), -365) })
      .catch(() => ({ items: [] })),
    caller.forecast.get().catch(() => null),
  ])
  const members: Choice[] = current.members.map((m) => ({ id: m.id, name: m.name || m.email }))
  const apiKeys: Choice[] = keys
    .filter((k) => !k.revokedAt)
    .map((k) => ({ id: k.id, name: `${k.name} (${k.prefix}…)` }))
  const promptChoices: Choice[] = prompts.items.map((p) => ({ id: p.promptId, name: p.name }))
  const nameOf = (list: Choice[], id: string | null) => list.find((c) => c.id === id)?.name ?? 'unknown'
  const ends = new Intl.DateTimeFormat('en-US', { timeZone: team.timeZone, dateStyle: 'medium' })
  const budgets: BudgetCardView[] = list.budgets.map((b) => ({
    id: b.id,
    name: b.name,
    scopeLabel:
      b.scope === 'team'
        ? 'Whole team'
        : b.scope === 'user'
          ? `Member: ${nameOf(members, b.userId)}`
          : b.scope === 'api_key'
            ? `API key: ${nameOf(apiKeys, b.apiKeyId)}`
            : `Prompt: ${nameOf(promptChoices, b.promptId)}`,
    periodLabel: `${PERIOD_LABEL[b.period]} · ${b.timeZone}`,
    mode: b.mode,
    level: b.level,
    percentUsed: b.percentUsed,
    spent: money(b.spentUsd),
    reserved: money(b.reservedUsd),
    limit: money(b.limitUsd),
    remaining: money(b.remainingUsd),
    thresholds: b.thresholds,
    active: b.active,
    resets: b.periodEnd ? ends.format(new Date(b.periodEnd)) : null,
    forecast: forecastOf(forecast?.budgets.find((f) => f.budgetId === b.id)),
    form: {
      id: b.id,
      name: b.name,
      scope: b.scope,
      userId: b.userId ?? '',
      apiKeyId: b.apiKeyId ?? '',
      promptId: b.promptId ?? '',
      period: b.period,
      limitUsd: b.limitUsd,
      mode: b.mode,
      thresholds: b.thresholds.join(', '),
      timeZone: b.timeZone === team.timeZone ? '' : b.timeZone,
    },
  }))
  return { canEdit, teamTimeZone: team.timeZone, budgets, members, apiKeys, prompts: promptChoices }
}

type BudgetForecast = RouterOutputs['forecast']['get']['budgets'][number]

function forecastOf(f: BudgetForecast | undefined): BudgetCardView['forecast'] {
  if (!f) return null
  return {
    projected: money(f.projectedCostUsd),
    low: money(f.lowUsd),
    high: money(f.highUsd),
    until: formatDay(f.lastDay),
    runsOutOn: f.exhaustsOn ? formatDay(f.exhaustsOn) : null,
  }
}

/** A save answers with Conform's result (errors per field, the values as posted); a refused delete with its reason. */
export type BudgetActionData = SubmissionResult | { deleteError: string }

const MESSAGES = { FORBIDDEN: 'Only owners and admins can change budgets.' }

/** Saves or deletes. A save is parsed with the form's schema (the one the browser checks) before `budgets.save`. */
export async function budgetsAction({ caller }: Viewer, form: FormData): Promise<BudgetActionData | Response> {
  if (form.get('intent') === 'delete') {
    try {
      await caller.budgets.delete({ id: String(form.get('id') ?? '') })
    } catch (error) {
      return { deleteError: formError(error, MESSAGES).message }
    }
    return redirect(`/dashboard/budget-settings?deleted=${encodeURIComponent(String(form.get('name') ?? 'Budget'))}`)
  }
  const submission = parseWithZod(form, { schema: budgetFormSchema })
  if (submission.status !== 'success') return submission.reply()
  try {
    const saved = await caller.budgets.save(submission.value)
    return redirect(`/dashboard/budget-settings?saved=${encodeURIComponent(saved.name)}#budget-${saved.id}`)
  } catch (error) {
    return replyWithError(submission, error, MESSAGES)
  }
}
