import { Link } from '@remix-run/react'
import { formatUsd, usdToNano } from '@costwise/core'
import { useState } from 'react'
import type { RouterOutputs } from '../../lib/api-types'
import { RequestMoreForm } from '../team/request-form'
import { formatDateTimeWithZone } from '../../lib/format'
import { useTimeDisplay } from '../../lib/use-time-display'

/** A budget that applies to the Lab's runs (from `lab.budgetStatus`); `periodEnd` is null for a total budget. */
export type BudgetInfo = Pick<
  RouterOutputs['lab']['budgetStatus']['budgets'][number],
  'id' | 'name' | 'period' | 'mode' | 'limitUsd' | 'spentUsd' | 'reservedUsd' | 'percentUsed' | 'level' | 'periodEnd'
>

export interface BudgetBlock {
  message: string
  budget?: {
    id: string
    name: string
    limitUsd: string
    spentUsd: string
    reservedUsd: string
    period: string
    periodEnd?: string | null
  }
  estimatedCostUsd?: string
}

const styles = {
  info: 'border-sky-300 bg-sky-50 text-sky-900 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-100',
  warning: 'border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100',
  critical: 'border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100',
} as const

const titles = { info: 'Half the budget is used', warning: 'Budget nearly used', critical: 'Budget used up' } as const

const DETAILS = '/dashboard/budget-settings'

/** The budgets page opens a budget's edit form at `?edit=<id>` (components/budget-settings.tsx). */
export function editBudgetHref(budgetId: string): string {
  return `${DETAILS}?edit=${encodeURIComponent(budgetId)}#budget-form`
}

const usd = (value: string) => formatUsd(usdToNano(value))

function leftNano(b: { limitUsd: string; spentUsd: string; reservedUsd: string }): bigint {
  const left = usdToNano(b.limitUsd) - usdToNano(b.spentUsd) - usdToNano(b.reservedUsd)
  return left > 0n ? left : 0n
}

/**
 * A banner from the budgets that apply to the caller's runs: info from 50 %, warning from 80 %, critical at
 * 100 % (levels as core computes them, counting reservations in flight). Dismissible per budget and level.
 * A hard-budget block (the run was refused) always shows — the Lab puts it at the Run button — with what was
 * hit, what is left, when it resets, and what to do: admins edit the budget; others are told who can.
 */
export function BudgetWarning({
  budgets,
  blocked = null,
  onDismissBlocked,
  canEditBudgets = false,
}: {
  budgets: BudgetInfo[]
  blocked?: BudgetBlock | null
  onDismissBlocked?: () => void
  /** Owners and admins: offer "Increase budget" (the budget's edit form). */
  canEditBudgets?: boolean
}) {
  const [dismissed, setDismissed] = useState<string[]>([])
  const display = useTimeDisplay()
  if (blocked) {
    const b = blocked.budget
    const periodEnd = b?.periodEnd ?? budgets.find((x) => x.id === b?.id)?.periodEnd ?? null
    const left = b ? leftNano(b) : 0n
    return (
      <div
        role="alert"
        className={`rounded-md border p-4 text-sm ${styles.critical}`}
        data-testid="budget-warning"
        data-level="blocked"
      >
        <p className="font-semibold">
          Run blocked{b ? ` by the budget “${b.name}”` : ''}: nothing was sent to the model
        </p>
        {b ? (
          <dl
            className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 tabular-nums"
            data-testid="budget-block-details"
          >
            <dt className="font-medium">Hit</dt>
            <dd>
              the {b.period === 'total' ? 'total' : `${b.period}ly`.replace('dayly', 'daily')} limit of{' '}
              {usd(b.limitUsd)} (spent {usd(b.spentUsd)}
              {usdToNano(b.reservedUsd) > 0n ? `, ${usd(b.reservedUsd)} held by runs in flight` : ''})
            </dd>
            <dt className="font-medium">Left</dt>
            <dd data-testid="budget-block-left">
              {formatUsd(left)}
              {blocked.estimatedCostUsd ? `; this run could cost up to ${usd(blocked.estimatedCostUsd)}` : ''}
            </dd>
            <dt className="font-medium">Resets</dt>
            <dd data-testid="budget-block-resets">
              {periodEnd ? formatDateTimeWithZone(periodEnd, display) : 'never (a total budget)'}
            </dd>
          </dl>
        ) : (
          <p className="mt-1">{blocked.message}</p>
        )}
        <p className="mt-2">
          {left === 0n
            ? `Raise the limit${periodEnd ? ' or wait until it resets' : ''}.`
            : 'Raise the limit, lower max output tokens or pick a cheaper model so the run fits.'}
          {canEditBudgets ? null : ' Owners and admins can raise it; ask them with Request more.'}
        </p>
        <Actions
          budgetId={b?.id}
          budgetName={b?.name}
          suggestedUsd={blocked.estimatedCostUsd}
          canEdit={canEditBudgets}
          onDismiss={onDismissBlocked}
        />
      </div>
    )
  }
  const worst = budgets.find((b) => b.level !== 'ok' && !dismissed.includes(`${b.id}:${b.level}`))
  if (!worst || worst.level === 'ok') return null
  const level = worst.level
  return (
    <div
      role={level === 'info' ? 'status' : 'alert'}
      className={`rounded-md border p-4 text-sm ${styles[level]}`}
      data-testid="budget-warning"
      data-level={level}
    >
      <p className="font-semibold">{titles[level]}</p>
      <p className="mt-1 tabular-nums">
        “{worst.name}” ({worst.period}, {worst.mode}): {usd(worst.spentUsd)} of {usd(worst.limitUsd)} spent —{' '}
        {worst.percentUsed} %{worst.periodEnd ? `; resets ${formatDateTimeWithZone(worst.periodEnd, display)}` : ''}.
        {level === 'critical' && worst.mode === 'hard' ? ' Runs that could go over the limit are blocked.' : null}
        {level === 'critical' && worst.mode === 'soft' ? ' Runs still go through; this is a soft budget.' : null}
      </p>
      <Actions
        budgetId={worst.id}
        budgetName={worst.name}
        canEdit={canEditBudgets}
        onDismiss={() => setDismissed((d) => [...d, `${worst.id}:${level}`])}
      />
    </div>
  )
}

/**
 * What to do about it: see the budget, raise it (owners and admins: the budget's edit form), or ask the admins
 * for more ("Request more", a budget request answered on the requests page).
 */
function Actions({
  budgetId,
  budgetName,
  suggestedUsd,
  canEdit,
  onDismiss,
}: {
  budgetId?: string
  budgetName?: string
  suggestedUsd?: string
  canEdit: boolean
  onDismiss?: () => void
}) {
  const [asking, setAsking] = useState(false)
  return (
    <>
      <div className="mt-3 flex flex-wrap gap-2">
        <Link to={DETAILS} className="rounded border border-current px-2 py-1 text-xs font-medium">
          View details
        </Link>
        {canEdit && budgetId ? (
          <Link to={editBudgetHref(budgetId)} className="rounded border border-current px-2 py-1 text-xs font-medium">
            Increase budget
          </Link>
        ) : null}
        {budgetId && !asking ? (
          <button
            type="button"
            onClick={() => setAsking(true)}
            className="rounded border border-current px-2 py-1 text-xs font-medium"
          >
            Request more
          </button>
        ) : null}
        {onDismiss ? (
          <button
            type="button"
            onClick={onDismiss}
            className="ml-auto rounded px-2 py-1 text-xs underline"
            aria-label="Dismiss budget warning"
          >
            Dismiss
          </button>
        ) : null}
      </div>
      {budgetId && asking ? (
        <RequestMoreForm
          budgetId={budgetId}
          budgetName={budgetName ?? 'this budget'}
          suggestedUsd={suggestedUsd}
          onClose={() => setAsking(false)}
        />
      ) : null}
    </>
  )
}
