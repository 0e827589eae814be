import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { formatUsd, usdToNano } from '@costwise/core'
import { allocationsFormSchema } from '@costwise/core/budgets/allocations'
import { Form, useNavigation } from '@remix-run/react'
import type { AllocationRefusal } from '../../team.server'
import { Card } from '../card'
import { controlAria, controlClass, errorText, Field, fieldErrorClass } from '../ui/field'
import { buttonPrimary, buttonSecondary, cardSubtitle, cardTitle, selectClass, td } from '../usage/styles'
import { TableHead } from '../ui/table-head'
import type { TeamPageData as Data } from './team-page'

const money = (usd: string) => formatUsd(usdToNano(usd))

/** How each team budget is split among members (owners and admins change it). */
export function AllocationsSection({ data, refused }: { data: Data; refused?: AllocationRefusal | undefined }) {
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
          refused={refused?.target === b.id ? refused.reply : undefined}
        />
      ))}
    </>
  )
}

function AllocationCard({
  budget: b,
  data,
  refused,
}: {
  budget: Data['budgets'][number]
  data: Data
  refused: SubmissionResult | undefined
}) {
  return (
    <Card className="p-5" data-testid="allocation-card" data-budget={b.name}>
      <h2 className={cardTitle}>Allocations of “{b.name}”</h2>
      <p className={cardSubtitle} data-testid="allocation-summary">
        Limit {money(b.limitUsd)} per {b.period === 'total' ? 'budget' : b.period}: {money(b.allocatedUsd)} allocated,{' '}
        {money(b.unallocatedUsd)} stays with the team. An allocation can be hard (runs over it are blocked) or soft
        (they go through and alert).
      </p>
      {data.isAdmin ? (
        // A member joining or leaving starts the form afresh with one row each.
        <AllocationForm key={data.members.map((m) => m.userId).join()} budget={b} data={data} refused={refused} />
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

/**
 * One row per member: an amount (empty: none) and a mode, and a box for an equal split. Core's allocation form
 * schema checks it as you leave a field and on submit, in the browser and again in the action.
 */
function AllocationForm({
  budget: b,
  data,
  refused,
}: {
  budget: Data['budgets'][number]
  data: Data
  refused: SubmissionResult | undefined
}) {
  const navigation = useNavigation()
  const busy = navigation.state !== 'idle' && navigation.formData?.get('budgetId') === b.id
  const byUser = new Map(b.allocations.map((a) => [a.userId, a]))
  const [form, fields] = useForm({
    id: `allocations-${b.id}`,
    lastResult: refused,
    defaultValue: {
      budgetId: b.id,
      totalUsd: '',
      members: data.members.map((m) => {
        const a = byUser.get(m.userId)
        return { userId: m.userId, limitUsd: a?.limitUsd ?? '', mode: a?.mode ?? 'hard', include: a ? 'on' : '' }
      }),
    },
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => {
      // Leaving a field (no button pressed yet) checks it as "Save amounts" would.
      if (!formData.has('split')) formData.set('split', 'custom')
      return parseWithZod(formData, { schema: allocationsFormSchema })
    },
  })
  const rows = fields.members.getFieldList()
  const formError = form.errors?.[0] ?? errorText(fields.members) ?? errorText(fields.budgetId)
  return (
    <Form method="post" {...getFormProps(form)} className="mt-4" aria-label={`Allocations of ${b.name}`}>
      <input type="hidden" name="intent" value="allocate" />
      <input {...getInputProps(fields.budgetId, { type: 'hidden' })} />
      {formError ? (
        <p
          role="alert"
          id={form.errorId}
          className="mb-3 text-sm text-red-700 dark:text-red-300"
          data-testid="allocation-error"
        >
          {formError}
        </p>
      ) : null}
      <div className="overflow-x-auto">
        <table className="min-w-full divide-y divide-gray-200 dark:divide-gray-800">
          <TableHead columns={['Member', 'Amount (USD)', 'Mode', 'Spent', 'In equal split']} />
          <tbody className="divide-y divide-gray-100 dark:divide-gray-800">
            {data.members.map((m, i) => {
              const row = rows[i]?.getFieldset()
              if (!row) return null
              const a = byUser.get(m.userId)
              const label = m.name || m.email
              const amount = controlAria(row.limitUsd, false)
              const error = errorText(row.limitUsd)
              return (
                <tr key={m.userId} data-testid="allocation-row" data-email={m.email}>
                  <td className={td}>
                    <input {...getInputProps(row.userId, { type: 'hidden' })} />
                    <label htmlFor={row.limitUsd.id}>{label}</label>
                  </td>
                  <td className={td}>
                    <input
                      {...getInputProps(row.limitUsd, { type: 'text' })}
                      {...amount}
                      placeholder="none"
                      inputMode="decimal"
                      autoComplete="off"
                      className={`${controlClass(amount['aria-invalid'])} w-32`}
                    />
                    {error ? (
                      <p id={row.limitUsd.errorId} className={fieldErrorClass} data-field-error={row.limitUsd.name}>
                        {error}
                      </p>
                    ) : null}
                  </td>
                  <td className={td}>
                    <label className="sr-only" htmlFor={row.mode.id}>
                      Mode for {label}
                    </label>
                    <select {...getSelectProps(row.mode)} className={`${selectClass} w-28`}>
                      <option value="hard">Hard</option>
                      <option value="soft">Soft</option>
                    </select>
                  </td>
                  <td className={`${td} tabular-nums`}>{a ? `${money(a.spentUsd)} (${a.percentUsed} %)` : '—'}</td>
                  <td className={td}>
                    <input
                      {...getInputProps(row.include, { type: 'checkbox' })}
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
        <Field meta={fields.totalUsd} label="Total to split equally (USD)">
          {(aria) => (
            <input
              {...getInputProps(fields.totalUsd, { type: 'text' })}
              {...aria}
              inputMode="decimal"
              autoComplete="off"
              className={`${controlClass(aria['aria-invalid'])} w-36`}
            />
          )}
        </Field>
        <button type="submit" name="split" value="equal" className={buttonSecondary} disabled={busy}>
          Split equally among ticked
        </button>
      </div>
    </Form>
  )
}
