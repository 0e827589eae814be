import { Link, useSearchParams } from '@remix-run/react'
import type { BudgetCardView, Choice } from '../budgets.server'
import { BudgetCard } from './budgets/budget-card'
import { BudgetForm } from './budgets/budget-form'
import { EmptyState } from './empty-state'
import { WalletIcon } from './icons'
import { PageHeader } from './page-header'
import { buttonSecondary } from './usage/styles'

export interface BudgetsPageData {
  canEdit: boolean
  teamTimeZone: string
  budgets: BudgetCardView[]
  members: Choice[]
  apiKeys: Choice[]
  prompts: Choice[]
}

export function BudgetSettings({ data }: { data: BudgetsPageData }) {
  const [params] = useSearchParams()
  const editId = params.get('edit')
  const editing = editId ? data.budgets.find((b) => b.id === editId) : undefined
  const saved = params.get('saved')
  const deleted = params.get('deleted')
  return (
    <>
      <PageHeader
        title="Budgets"
        description="Spending limits per team, member, API key or prompt, and how they are enforced."
        actions={
          data.canEdit && editing ? (
            <Link to="?" className={buttonSecondary}>
              New budget
            </Link>
          ) : null
        }
      />
      {saved || deleted ? (
        <p
          role="status"
          className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:bg-emerald-500/15 dark:text-emerald-100"
          data-testid="budget-notice"
        >
          {saved ? `Saved “${saved}”.` : `Deleted “${deleted}”.`}
        </p>
      ) : null}
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-5 [&>*]:min-w-0">
        <section aria-labelledby="budget-list-title" className="space-y-4 lg:col-span-3">
          <h2 id="budget-list-title" className="sr-only">
            Your budgets
          </h2>
          {data.budgets.length === 0 ? (
            <EmptyState testId="budgets-empty" title="No budgets set" icon={<WalletIcon className="h-6 w-6" />}>
              <p>
                A budget caps spending for the whole team, one member, an API key or a single prompt — per day, week,
                month or in total.
                {data.canEdit ? ' Add one with the form.' : ' Ask an admin to add one.'}
              </p>
            </EmptyState>
          ) : (
            data.budgets.map((b) => <BudgetCard key={b.id} budget={b} canEdit={data.canEdit} />)
          )}
        </section>
        {data.canEdit ? (
          <section aria-labelledby="budget-form-title" className="lg:col-span-2">
            <BudgetForm key={`${editing?.id ?? 'new'}:${saved ?? ''}`} data={data} editing={editing} />
          </section>
        ) : null}
      </div>
    </>
  )
}
