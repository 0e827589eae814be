import { Link } from '@remix-run/react'
import { useState } from 'react'
import { RequestMoreForm } from '../team/request-form'

export interface BudgetInfo {
  id: string
  name: string
  period: string
  mode: 'hard' | 'soft'
  limitUsd: string
  spentUsd: string
  reservedUsd: string
  percentUsed: number
  level: 'ok' | 'info' | 'warning' | 'critical'
}

export interface BudgetBlock {
  message: string
  budget?: { id: string; name: string; limitUsd: string; spentUsd: string; reservedUsd: string; period: string }
  estimatedCostUsd?: string
}

const styles = {
  info: 'border-sky-300 bg-sky-50 text-sky-900 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-100',
  warning: 'border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100',
  critical: 'border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100',
} as const

const titles = { info: 'Half the budget is used', warning: 'Budget nearly used', critical: 'Budget used up' } as const

const DETAILS = '/dashboard/budget-settings'

/**
 * A banner from the budgets that apply to the caller's runs: info from 50 %, warning from 80 %, critical at
 * 100 % (levels as core computes them, counting reservations in flight). Dismissible per budget and level.
 * A hard-budget block (the run was refused) always shows, with why and what to do.
 */
export function BudgetWarning({ budgets, blocked = null, onDismissBlocked }: { budgets: BudgetInfo[]; blocked?: BudgetBlock | null; onDismissBlocked?: () => void }) {
  const [dismissed, setDismissed] = useState<string[]>([])
  if (blocked) {
    const b = blocked.budget
    return (
      <div role="alert" className={`rounded-md border p-4 text-sm ${styles.critical}`} data-testid="budget-warning" data-level="blocked">
        <p className="font-semibold">Run blocked{b ? ` by the budget “${b.name}”` : ''}: nothing was sent to the model</p>
        <p className="mt-1">{blocked.message}</p>
        {b ? (
          <p className="mt-1 tabular-nums">
            Limit ${b.limitUsd} ({b.period}), spent ${b.spentUsd}, reserved ${b.reservedUsd}
            {blocked.estimatedCostUsd ? `; this run could cost up to $${blocked.estimatedCostUsd}` : ''}.
          </p>
        ) : null}
        <Actions budgetId={b?.id} budgetName={b?.name} suggestedUsd={blocked.estimatedCostUsd} onDismiss={onDismissBlocked} />
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
        “{worst.name}” ({worst.period}, {worst.mode}): ${worst.spentUsd} of ${worst.limitUsd} spent — {worst.percentUsed} %.
        {level === 'critical' && worst.mode === 'hard' ? ' Runs that could go over the limit are blocked.' : null}
        {level === 'critical' && worst.mode === 'soft' ? ' Runs still go through; this is a soft budget.' : null}
      </p>
      <Actions budgetId={worst.id} budgetName={worst.name} onDismiss={() => setDismissed((d) => [...d, `${worst.id}:${level}`])} />
    </div>
  )
}

/**
 * What to do about it: see the budget, raise it (admins, on the budgets page), or ask the admins for more
 * ("Request more", a budget request answered on the requests page).
 */
function Actions({ budgetId, budgetName, suggestedUsd, onDismiss }: { budgetId?: string; budgetName?: string; suggestedUsd?: string; onDismiss?: () => void }) {
  const [asking, setAsking] = useState(false)
  const increase = budgetId ? `${DETAILS}?budget=${encodeURIComponent(budgetId)}&action=increase` : `${DETAILS}?action=increase`
  return (
    <>
      <div className="mt-3 flex flex-wrap gap-2">
        <Link to={DETAILS} className="rounded border border-current px-2 py-1 text-xs font-medium">
          View details
        </Link>
        <Link to={increase} className="rounded border border-current px-2 py-1 text-xs font-medium">
          Increase budget
        </Link>
        {budgetId && !asking ? (
          <button type="button" onClick={() => setAsking(true)} className="rounded border border-current px-2 py-1 text-xs font-medium">
            Request more
          </button>
        ) : null}
        {onDismiss ? (
          <button type="button" onClick={onDismiss} className="ml-auto rounded px-2 py-1 text-xs underline" aria-label="Dismiss budget warning">
            Dismiss
          </button>
        ) : null}
      </div>
      {budgetId && asking ? <RequestMoreForm budgetId={budgetId} budgetName={budgetName ?? 'this budget'} suggestedUsd={suggestedUsd} onClose={() => setAsking(false)} /> : null}
    </>
  )
}
