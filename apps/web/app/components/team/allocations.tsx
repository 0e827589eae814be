import { formatUsd, usdToNano } from '@costwise/core'
import { Form, useNavigation } from '@remix-run/react'
import { useId } from 'react'
import { Card } from '../card'
import { buttonDanger, buttonPrimary, buttonSecondary, cardSubtitle, cardTitle, selectClass, td } from '../usage/styles'
import type { Answer } from './action-notice'
import { TableHead } from '../ui/table-head'
import type { TeamPageData as Data } from './team-page'

const money = (usd: string) => formatUsd(usdToNano(usd))
const errorText = 'mt-1 text-sm text-red-700 dark:text-red-300'

/** How each team budget is split among members (owners and admins change it). */
export function AllocationsSection({ data, answer }: { data: Data; answer?: Answer }) {
  if (data.budgets.length === 0) {
    return (
      <Card className="p-5">
        <h2 className={cardTitle}>Budget allocations</h2>
        <p className={cardSubtitle} data-testid="allocations-empty">
          No team budget to split yet. Create a budget for the whole team on the Budgets page, then give members their
          share here.
        </p>
      </Card>
    )
  }
  return (
    <>
      {data.budgets.map((b) => (
        <AllocationCard
          key={b.id}
          budget={b}
          data={data}
          answer={answer?.intent === 'allocate' && (answer.ok || answer.target === b.id) ? answer : undefined}
        />
      ))}
    </>
  )
}

function AllocationCard({ budget: b, data, answer }: { budget: Data['budgets'][number]; data: Data; answer?: Answer }) {
  const id = useId()
  const navigation = useNavigation()
  const busy = navigation.state !== 'idle' && navigation.formData?.get('budgetId') === b.id
  const byUser = new Map(b.allocations.map((a) => [a.userId, a]))
  const refused = answer && !answer.ok ? answer : null
  const errorOf = (field: string) => (refused?.field === field ? refused.message : null)
  const formError =
    refused && !refused.field?.startsWith('amount:') && refused.field !== 'totalUsd' ? refused.message : null
  return (
    <Card className="p-5" data-testid="allocation-card" data-budget={b.name}>
      <h2 className={cardTitle}>Allocations of “{b.name}”</h2>
      <p className={cardSubtitle} data-testid="allocation-summary">
        Limit {money(b.limitUsd)} per {b.period === 'total' ? 'budget' : b.period}: {money(b.allocatedUsd)} allocated,{' '}
        {money(b.unallocatedUsd)} stays with the team. An allocation can be hard (runs over it are blocked) or soft
        (they go through and alert).
      </p>
      {data.isAdmin ? (
        <Form method="post" className="mt-4" aria-label={`Allocations of ${b.name}`} noValidate>
          <input type="hidden" name="intent" value="allocate" />
          <input type="hidden" name="budgetId" value={b.id} />
          {formError ? (
            <p role="alert" className="mb-3 text-sm text-red-700 dark:text-red-300" data-testid="allocation-error">
              {formError}
            </p>
          ) : null}
          <div className="overflow-x-auto">
            <table className="min-w-full divide-y divide-gray-200 dark:divide-gray-800">
              <TableHead columns={['Member', 'Amount (USD)', 'Mode', 'Spent', 'In equal split']} />
              <tbody className="divide-y divide-gray-100 dark:divide-gray-800">
                {data.members.map((m) => {
                  const a = byUser.get(m.userId)
                  const label = m.name || m.email
                  const field = `amount:${m.userId}`
                  const error = errorOf(field)
                  return (
                    <tr key={m.userId} data-testid="allocation-row" data-email={m.email}>
                      <td className={td}>
                        <input type="hidden" name="userId" value={m.userId} />
                        <label htmlFor={`${id}-${m.userId}-amount`}>{label}</label>
                      </td>
                      <td className={td}>
                        <input
                          id={`${id}-${m.userId}-amount`}
                          name={field}
                          defaultValue={a?.limitUsd ?? ''}
                          placeholder="none"
                          inputMode="decimal"
                          autoComplete="off"
                          aria-invalid={error ? true : undefined}
                          aria-describedby={error ? `${id}-${m.userId}-error` : undefined}
                          className={`${selectClass} w-32`}
                        />
                        {error ? (
                          <p id={`${id}-${m.userId}-error`} className={errorText}>
                            {error}
                          </p>
                        ) : null}
                      </td>
                      <td className={td}>
                        <label className="sr-only" htmlFor={`${id}-${m.userId}-mode`}>
                          Mode for {label}
                        </label>
                        <select
                          id={`${id}-${m.userId}-mode`}
                          name={`mode:${m.userId}`}
                          defaultValue={a?.mode ?? 'hard'}
                          className={`${selectClass} w-28`}
                        >
                          <option value="hard">Hard</option>
                          <option value="soft">Soft</option>
                        </select>
                      </td>
                      <td className={`${td} tabular-nums`}>{a ? `${money(a.spentUsd)} (${a.percentUsed} %)` : '—'}</td>
                      <td className={td}>
                        <input
                          type="checkbox"
                          name={`include:${m.userId}`}
                          defaultChecked={Boolean(a)}
                          aria-label={`Include ${label} in an equal split`}
                        />
                      </td>
                    </tr>
                  )
                })}
              </tbody>
            </table>
          </div>
          <div className="mt-4 flex flex-wrap items-end gap-3">
            <button type="submit" name="split" value="custom" className={buttonPrimary} disabled={busy}>
              Save amounts
            </button>
            <span className="text-sm text-gray-500 dark:text-gray-400">or</span>
            <div>
              <label htmlFor={`${id}-total`} className="block text-sm font-medium text-gray-800 dark:text-gray-200">
                Total to split equally (USD)
              </label>
              <input
                id={`${id}-total`}
                name="totalUsd"
                inputMode="decimal"
                autoComplete="off"
                aria-invalid={errorOf('totalUsd') ? true : undefined}
                className={`${selectClass} mt-1 w-36`}
              />
              {errorOf('totalUsd') ? <p className={errorText}>{errorOf('totalUsd')}</p> : null}
            </div>
            <button type="submit" name="split" value="equal" className={buttonSecondary} disabled={busy}>
              Split equally among ticked
            </button>
          </div>
        </Form>
      ) : (
        <ul className="mt-3 text-sm">
          {b.allocations.length === 0 ? <li>No member has an allocation: the whole budget is shared.</li> : null}
          {b.allocations.map((a) => {
            const m = data.members.find((x) => x.userId === a.userId)
            return (
              <li key={a.id} className="tabular-nums">
                {m ? m.name || m.email : 'A former member'}: {money(a.spentUsd)} of {money(a.limitUsd)} ({a.mode})
              </li>
            )
          })}
        </ul>
      )}
    </Card>
  )
}
