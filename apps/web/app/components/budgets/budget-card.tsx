import { Form, Link, useNavigation } from '@remix-run/react'
import { useState } from 'react'
import type { BudgetCardView } from '../../budgets.server'
import { LEVEL_LABEL, LEVEL_TEXT } from '../../lib/budget-level'
import { BudgetProgress } from '../budget-progress'
import { Card } from '../card'
import { RequestMoreForm } from '../team/request-form'
import { buttonDanger, buttonSecondary } from '../usage/styles'

export function BudgetCard({ budget: b, canEdit }: { budget: BudgetCardView; canEdit: boolean }) {
  const navigation = useNavigation()
  const deleting =
    navigation.state !== 'idle' &&
    navigation.formData?.get('intent') === 'delete' &&
    navigation.formData?.get('id') === b.id
  return (
    <Card className="p-5" id={`budget-${b.id}`} data-testid="budget-card">
      <div className="flex items-start justify-between gap-3">
        <div className="min-w-0 flex-1">
          <h3 className="truncate text-base font-semibold text-gray-900 dark:text-gray-100">{b.name}</h3>
          <p className="text-sm text-gray-600 dark:text-gray-400">
            {b.scopeLabel} · {b.periodLabel}
          </p>
        </div>
        <div className="flex shrink-0 items-center gap-2">
          <span
            className={`whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset ${
              b.mode === 'hard'
                ? 'bg-gray-900 text-white ring-gray-900 dark:bg-gray-100 dark:text-gray-900 dark:ring-gray-100'
                : 'bg-white text-gray-700 ring-gray-300 dark:bg-gray-900 dark:text-gray-300 dark:ring-gray-700'
            }`}
            title={
              b.mode === 'hard' ? 'Calls that would go over the limit are blocked' : 'Calls go through; alerts warn'
            }
          >
            {b.mode === 'hard' ? 'Hard limit' : 'Soft limit'}
          </span>
          {!b.active ? <span className="text-xs text-gray-500">Paused</span> : null}
        </div>
      </div>
      <div className="mt-4">
        <div className="mb-1 flex items-baseline justify-between text-sm">
          <span className="tabular-nums text-gray-900 dark:text-gray-100">
            <strong className="font-semibold">{b.spent}</strong> of {b.limit}
          </span>
          <span className={`font-medium tabular-nums ${LEVEL_TEXT[b.level]}`} data-testid="budget-percent">
            {b.percentUsed.toFixed(1)}% · {LEVEL_LABEL[b.level]}
          </span>
        </div>
        <BudgetProgress
          label={`${b.name} used`}
          percentUsed={b.percentUsed}
          level={b.level}
          valueText={`${b.percentUsed.toFixed(1)}% used, ${b.spent} of ${b.limit}`}
          className="h-2.5"
        />
        <p className="mt-2 text-xs text-gray-600 dark:text-gray-400">
          {b.remaining} left{b.reserved !== '$0.00' ? ` · ${b.reserved} reserved for calls in flight` : ''} · alerts at{' '}
          {b.thresholds.join('%, ')}%{b.resets ? ` · resets ${b.resets}` : ''}
        </p>
        {b.forecast ? (
          <p className="mt-1 text-xs text-gray-600 dark:text-gray-400" data-testid="budget-forecast">
            Forecast:{' '}
            <span className="font-medium tabular-nums text-gray-900 dark:text-gray-100">{b.forecast.projected}</span> by{' '}
            {b.forecast.until} (likely {b.forecast.low}–{b.forecast.high})
            {b.forecast.runsOutOn ? (
              <>
                {' · '}
                <strong className="font-semibold text-amber-700 dark:text-amber-300" data-testid="budget-runs-out">
                  at this rate it runs out on {b.forecast.runsOutOn}
                </strong>
              </>
            ) : null}
          </p>
        ) : null}
      </div>
      {canEdit ? (
        <div className="mt-4 flex gap-2">
          <Link to={`?edit=${b.id}#budget-form`} className={buttonSecondary}>
            Edit<span className="sr-only"> {b.name}</span>
          </Link>
          <Form
            method="post"
            onSubmit={(e) => {
              if (!window.confirm(`Delete the budget “${b.name}”? Its alerts go with it.`)) e.preventDefault()
            }}
          >
            <input type="hidden" name="intent" value="delete" />
            <input type="hidden" name="id" value={b.id} />
            <input type="hidden" name="name" value={b.name} />
            <button type="submit" className={buttonDanger} disabled={deleting}>
              {deleting ? 'Deleting…' : 'Delete'}
              <span className="sr-only"> {b.name}</span>
            </button>
          </Form>
        </div>
      ) : (
        <RequestMore budgetId={b.id} budgetName={b.name} />
      )}
    </Card>
  )
}

/** Members ask the admins for more on a budget (a budget request, answered on the requests page). */
function RequestMore({ budgetId, budgetName }: { budgetId: string; budgetName: string }) {
  const [asking, setAsking] = useState(false)
  if (asking) return <RequestMoreForm budgetId={budgetId} budgetName={budgetName} onClose={() => setAsking(false)} />
  return (
    <div className="mt-4">
      <button type="button" className={buttonSecondary} onClick={() => setAsking(true)}>
        Request more<span className="sr-only"> on {budgetName}</span>
      </button>
    </div>
  )
}
