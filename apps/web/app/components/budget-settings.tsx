import { formatUsd, usdToNano } from '@costwise/core'
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react'
import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react'
import type { BudgetActionData, BudgetCardView, Choice } from '../budgets.server'
import { LEVEL_LABEL, LEVEL_TEXT } from '../lib/budget-level'
import {
  BUDGET_FIELDS,
  EMPTY_BUDGET_FORM,
  validateBudgetForm,
  type BudgetErrors,
  type BudgetField,
  type BudgetFormValues,
} from '../lib/budget-form'
import { BudgetProgress } from './budget-progress'
import { Card } from './card'
import { EmptyState } from './empty-state'
import { WalletIcon } from './icons'
import { RequestMoreForm } from './team/request-form'
import { PageHeader } from './page-header'
import { buttonDanger, buttonPrimary, buttonSecondary, cardSubtitle, cardTitle, linkClass, selectClass } from './usage/styles'

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
        <p role="status" className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:bg-emerald-500/15 dark:text-emerald-100" data-testid="budget-notice">
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
                A budget caps spending for the whole team, one member, an API key or a single prompt — per day, week, month or in total.
                {data.canEdit ? ' Add one with the form.' : ' Ask an admin to add one.'}
              </p>
            </EmptyState>
          ) : (
            data.budgets.map((b) => <BudgetCard key={b.id} budget={b} canEdit={data.canEdit} />)
          )}
        </section>
        {data.canEdit ? (
          <section aria-labelledby="budget-form-title" className="lg:col-span-2">
            <BudgetForm key={editing?.id ?? 'new'} data={data} editing={editing} />
          </section>
        ) : null}
      </div>
    </>
  )
}

function BudgetCard({ budget: b, canEdit }: { budget: BudgetCardView; canEdit: boolean }) {
  const navigation = useNavigation()
  const deleting = navigation.state !== 'idle' && navigation.formData?.get('intent') === 'delete' && navigation.formData?.get('id') === b.id
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
            title={b.mode === 'hard' ? 'Calls that would go over the limit are blocked' : 'Calls go through; alerts warn'}
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
        <BudgetProgress label={`${b.name} used`} percentUsed={b.percentUsed} level={b.level} valueText={`${b.percentUsed.toFixed(1)}% used, ${b.spent} of ${b.limit}`} className="h-2.5" />
        <p className="mt-2 text-xs text-gray-600 dark:text-gray-400">
          {b.remaining} left{b.reserved !== '$0.00' ? ` · ${b.reserved} reserved for calls in flight` : ''} · alerts at {b.thresholds.join('%, ')}%
          {b.resets ? ` · resets ${b.resets}` : ''}
        </p>
        {b.forecast ? (
          <p className="mt-1 text-xs text-gray-600 dark:text-gray-400" data-testid="budget-forecast">
            Forecast: <span className="font-medium tabular-nums text-gray-900 dark:text-gray-100">{b.forecast.projected}</span> by {b.forecast.until}{' '}
            (likely {b.forecast.low}–{b.forecast.high})
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

interface Suggestion {
  limitUsd: string | null
  explanation: string
}

/**
 * "Suggest a limit": asks the server for a limit from this scope's recent usage (p95 of past periods plus
 * headroom, or this period's forecast) and says how it got there; "Use" puts it in the limit field.
 */
function LimitSuggestion({ values, onUse }: { values: BudgetFormValues; onUse: (limitUsd: string) => void }) {
  const [state, setState] = useState<{ status: 'idle' | 'loading' } | { status: 'done'; suggestion: Suggestion } | { status: 'error'; message: string }>({ status: 'idle' })
  const key = [values.scope, values.userId, values.apiKeyId, values.promptId, values.period, values.timeZone].join('|')
  useEffect(() => setState({ status: 'idle' }), [key])
  const ask = async () => {
    setState({ status: 'loading' })
    const params = new URLSearchParams({ scope: values.scope, period: values.period })
    if (values.scope === 'user' && values.userId) params.set('userId', values.userId)
    if (values.scope === 'api_key' && values.apiKeyId) params.set('apiKeyId', values.apiKeyId)
    if (values.scope === 'prompt' && values.promptId) params.set('promptId', values.promptId)
    if (values.timeZone) params.set('timeZone', values.timeZone)
    try {
      const response = await fetch(`/api/usage/budget/suggestion?${params}`, { headers: { accept: 'application/json' } })
      const body = (await response.json()) as Suggestion & { message?: string }
      setState(response.ok ? { status: 'done', suggestion: body } : { status: 'error', message: body.message ?? 'Could not suggest a limit.' })
    } catch {
      setState({ status: 'error', message: 'Could not reach the server; try again.' })
    }
  }
  return (
    <div className="rounded-lg bg-gray-50 p-3 text-sm dark:bg-gray-800/50" data-testid="limit-suggestion">
      <div className="flex flex-wrap items-center gap-2">
        <button type="button" className={buttonSecondary} onClick={ask} disabled={state.status === 'loading'}>
          {state.status === 'loading' ? 'Looking at recent usage…' : 'Suggest a limit'}
        </button>
        {state.status === 'done' && state.suggestion.limitUsd ? (
          <button type="button" className={buttonPrimary} onClick={() => onUse(state.suggestion.limitUsd!)}>
            Use {formatUsd(usdToNano(state.suggestion.limitUsd))}
          </button>
        ) : null}
      </div>
      <p className="mt-2 text-xs text-gray-600 dark:text-gray-400" role="status">
        {state.status === 'done' ? state.suggestion.explanation : state.status === 'error' ? state.message : 'From this scope’s recent spend: the 95th percentile of past periods plus 20% headroom.'}
      </p>
    </div>
  )
}

function Field({
  id,
  label,
  error,
  hint,
  children,
}: {
  id: string
  label: string
  error?: string
  hint?: ReactNode
  children: ReactNode
}) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-gray-800 dark:text-gray-200">
        {label}
      </label>
      <div className="mt-1.5">{children}</div>
      {error ? (
        <p id={`${id}-error`} className="mt-1.5 text-sm text-red-700 dark:text-red-300" data-field-error={id}>
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="mt-1.5 text-xs text-gray-600 dark:text-gray-400">
          {hint}
        </p>
      ) : null}
    </div>
  )
}

const inputClass = (error?: string) =>
  `${selectClass} py-2 ${error ? 'border-red-500 focus:border-red-500 focus:ring-red-500/30 dark:border-red-500' : ''}`

export function BudgetForm({ data, editing }: { data: BudgetsPageData; editing?: BudgetCardView }) {
  const action = useActionData<BudgetActionData>()
  const navigation = useNavigation()
  const initial = action && 'values' in action && (action.values.id || '') === (editing?.id ?? '') ? action.values : (editing?.form ?? EMPTY_BUDGET_FORM)
  const [values, setValues] = useState<BudgetFormValues>(initial)
  const [touched, setTouched] = useState<Set<BudgetField>>(new Set())
  const serverErrors: BudgetErrors = action && 'errors' in action ? action.errors : {}
  const clientErrors = useMemo(() => validateBudgetForm(values).errors, [values])
  const errors: BudgetErrors = {}
  for (const f of BUDGET_FIELDS) {
    if (touched.has(f) && clientErrors[f]) errors[f] = clientErrors[f]
    else if (!touched.has(f) && serverErrors[f]) errors[f] = serverErrors[f]
  }
  const formRef = useRef<HTMLFormElement>(null)
  const id = useId()
  const fid = (f: BudgetField) => `${id}-${f}`
  const saving = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'save'
  // After the server answers with errors, focus the first one.
  useEffect(() => {
    const first = BUDGET_FIELDS.find((f) => serverErrors[f])
    if (first) document.getElementById(fid(first))?.focus()
    // eslint-disable-next-line react-hooks/exhaustive-deps -- focus once per server answer (`action`), not when the errors object is rebuilt
  }, [action])

  const set = (field: BudgetField) => (e: { currentTarget: { value: string } }) => {
    const value = e.currentTarget.value
    setValues((v) => ({ ...v, [field]: value }))
  }
  const blur = (field: BudgetField) => () => setTouched((t) => new Set(t).add(field))
  const described = (f: BudgetField, hint = false) => (errors[f] ? `${fid(f)}-error` : hint ? `${fid(f)}-hint` : undefined)
  const common = (f: BudgetField, hint = false) => ({
    id: fid(f),
    name: f,
    value: values[f],
    onChange: set(f),
    onBlur: blur(f),
    'aria-invalid': errors[f] ? true : undefined,
    'aria-describedby': described(f, hint),
  })
  const scopeChoices: Record<'user' | 'api_key' | 'prompt', { field: BudgetField; label: string; list: Choice[] }> = {
    user: { field: 'userId', label: 'Member', list: data.members },
    api_key: { field: 'apiKeyId', label: 'API key', list: data.apiKeys },
    prompt: { field: 'promptId', label: 'Prompt', list: data.prompts },
  }
  const scoped = values.scope in scopeChoices ? scopeChoices[values.scope as keyof typeof scopeChoices] : null

  return (
    <Card className="p-5" id="budget-form">
      <h2 id="budget-form-title" className={cardTitle}>
        {editing ? `Edit “${editing.name}”` : 'Add a budget'}
      </h2>
      <p className={cardSubtitle}>Spend already recorded in the current period counts from the moment you save.</p>
      <Form
        ref={formRef}
        method="post"
        noValidate
        className="mt-4 space-y-4"
        aria-labelledby="budget-form-title"
        onSubmit={(e) => {
          const { errors: all } = validateBudgetForm(values)
          if (Object.keys(all).length > 0) {
            e.preventDefault()
            setTouched(new Set(BUDGET_FIELDS))
            const first = BUDGET_FIELDS.find((f) => all[f])
            if (first) document.getElementById(fid(first))?.focus()
          }
        }}
      >
        <input type="hidden" name="intent" value="save" />
        <input type="hidden" name="id" value={values.id} />
        {serverErrors.form ? (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-500/15 dark:text-red-200">
            {serverErrors.form}
          </p>
        ) : null}
        <Field id={fid('name')} label="Name" error={errors.name}>
          <input {...common('name')} type="text" autoComplete="off" maxLength={200} className={inputClass(errors.name)} placeholder="Team monthly" />
        </Field>
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 [&>*]:min-w-0">
          <Field id={fid('scope')} label="Covers" error={errors.scope}>
            <select {...common('scope')} className={inputClass(errors.scope)}>
              <option value="team">The whole team</option>
              <option value="user">One member</option>
              <option value="api_key">One API key</option>
              <option value="prompt">One prompt</option>
            </select>
          </Field>
          {scoped ? (
            <Field id={fid(scoped.field)} label={scoped.label} error={errors[scoped.field]}>
              <select {...common(scoped.field)} className={inputClass(errors[scoped.field])}>
                <option value="">Choose…</option>
                {scoped.list.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </Field>
          ) : null}
          <Field id={fid('period')} label="Period" error={errors.period}>
            <select {...common('period')} className={inputClass(errors.period)}>
              <option value="day">Daily</option>
              <option value="week">Weekly (from Monday)</option>
              <option value="month">Monthly</option>
              <option value="total">Total (never resets)</option>
            </select>
          </Field>
          <Field id={fid('limitUsd')} label="Limit (USD)" error={errors.limitUsd} hint="More than $0, e.g. 250 or 99.50.">
            <input {...common('limitUsd', true)} type="text" inputMode="decimal" autoComplete="off" placeholder="250" className={inputClass(errors.limitUsd)} />
          </Field>
        </div>
        <LimitSuggestion values={values} onUse={(limitUsd) => setValues((v) => ({ ...v, limitUsd }))} />
        <fieldset>
          <legend className="text-sm font-medium text-gray-800 dark:text-gray-200">When spending reaches the limit</legend>
          <div className="mt-2 space-y-2">
            {(
              [
                ['hard', 'Hard — block', 'Calls that would go over the limit are refused (HTTP 402) before they reach the model.'],
                ['soft', 'Soft — warn', 'Calls still go through; alerts tell the team as thresholds are crossed.'],
              ] as const
            ).map(([mode, title, text]) => (
              <label
                key={mode}
                className={`flex cursor-pointer gap-3 rounded-lg border p-3 text-sm ${
                  values.mode === mode ? 'border-indigo-500 bg-indigo-50/60 dark:bg-indigo-500/10' : 'border-gray-200 dark:border-gray-700'
                }`}
              >
                <input
                  type="radio"
                  name="mode"
                  value={mode}
                  checked={values.mode === mode}
                  onChange={set('mode')}
                  className="mt-0.5 h-4 w-4 text-indigo-600 focus:ring-indigo-500"
                />
                <span>
                  <span className="block font-medium text-gray-900 dark:text-gray-100">{title}</span>
                  <span className="block text-gray-600 dark:text-gray-400">{text}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <Field id={fid('thresholds')} label="Alert thresholds (%)" error={errors.thresholds} hint="Whole percentages from 1 to 100 in ascending order, e.g. 50, 80, 100.">
          <input {...common('thresholds', true)} type="text" autoComplete="off" className={inputClass(errors.thresholds)} />
        </Field>
        <Field
          id={fid('timeZone')}
          label="Time zone"
          error={errors.timeZone}
          hint={`Where days, weeks and months start. Leave empty for the team’s (${data.teamTimeZone}).`}
        >
          <input {...common('timeZone', true)} type="text" autoComplete="off" placeholder={data.teamTimeZone} className={inputClass(errors.timeZone)} />
        </Field>
        <div className="flex flex-wrap gap-2 pt-2">
          <button type="submit" className={buttonPrimary} disabled={saving}>
            {saving ? 'Saving…' : editing ? 'Save changes' : 'Create budget'}
          </button>
          {editing ? (
            <Link to="?" className={buttonSecondary}>
              Cancel
            </Link>
          ) : null}
        </div>
      </Form>
      {editing ? null : (
        <p className="mt-4 text-xs text-gray-600 dark:text-gray-400">
          Alerts appear in <Link to="/dashboard/alerts" className={linkClass}>Alerts</Link> and are emailed to admins.
        </p>
      )}
    </Card>
  )
}
