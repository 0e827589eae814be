import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import type { BudgetActionData, BudgetCardView, Choice } from '../../budgets.server'
import { budgetFormSchema, EMPTY_BUDGET_FORM } from '../../lib/budget-form'
import type { BudgetsPageData } from '../budget-settings'
import { Card } from '../card'
import { controlClass, Field, withPartErrors } from '../ui/field'
import { buttonPrimary, buttonSecondary, cardSubtitle, cardTitle, linkClass } from '../usage/styles'
import { LimitSuggestion } from './limit-suggestion'

const MODES = [
  ['hard', 'Hard — block', 'Calls that would go over the limit are refused (HTTP 402) before they reach the model.'],
  ['soft', 'Soft — warn', 'Calls still go through; alerts tell the team as thresholds are crossed.'],
] as const

/** Adds or edits a budget; checks each field with core's budget form schema as you leave it, and on submit. */
export function BudgetForm({ data, editing }: { data: BudgetsPageData; editing?: BudgetCardView }) {
  const action = useActionData<BudgetActionData>()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: `budget-form-${editing?.id ?? 'new'}`,
    lastResult: action && 'status' in action ? action : undefined,
    defaultValue: editing?.form ?? EMPTY_BUDGET_FORM,
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: budgetFormSchema }),
  })
  const saving = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'save'
  const formError = form.errors?.[0] ?? (action && 'deleteError' in action ? action.deleteError : undefined)
  const value = (v: unknown) => (typeof v === 'string' ? v : '')
  const scope = value(fields.scope.value)
  const mode = value(fields.mode.value)
  const scoped: { field: typeof fields.userId; label: string; list: Choice[] } | null =
    scope === 'user'
      ? { field: fields.userId, label: 'Member', list: data.members }
      : scope === 'api_key'
        ? { field: fields.apiKeyId, label: 'API key', list: data.apiKeys }
        : scope === 'prompt'
          ? { field: fields.promptId, label: 'Prompt', list: data.prompts }
          : null
  const text = (meta: typeof fields.name) => getInputProps(meta, { type: 'text' })

  return (
    <Card className="p-5" id="budget-form">
      <h2 id="budget-form-title" className={cardTitle}>
        {editing ? `Edit “${editing.name}”` : 'Add a budget'}
      </h2>
      <p className={cardSubtitle}>Spend already recorded in the current period counts from the moment you save.</p>
      <Form method="post" {...getFormProps(form)} className="mt-4 space-y-4" aria-labelledby="budget-form-title">
        <input type="hidden" name="intent" value="save" />
        <input {...getInputProps(fields.id, { type: 'hidden' })} />
        {formError ? (
          <p
            role="alert"
            id={form.errorId}
            className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-500/15 dark:text-red-200"
          >
            {formError}
          </p>
        ) : null}
        <Field meta={fields.name} label="Name">
          {(aria) => (
            <input
              {...text(fields.name)}
              {...aria}
              autoComplete="off"
              maxLength={200}
              className={controlClass(aria['aria-invalid'])}
              placeholder="Team monthly"
            />
          )}
        </Field>
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 [&>*]:min-w-0">
          <Field meta={fields.scope} label="Covers">
            {(aria) => (
              <select {...getSelectProps(fields.scope)} {...aria} className={controlClass(aria['aria-invalid'])}>
                <option value="team">The whole team</option>
                <option value="user">One member</option>
                <option value="api_key">One API key</option>
                <option value="prompt">One prompt</option>
              </select>
            )}
          </Field>
          {scoped ? (
            <Field meta={scoped.field} label={scoped.label}>
              {(aria) => (
                <select {...getSelectProps(scoped.field)} {...aria} className={controlClass(aria['aria-invalid'])}>
                  <option value="">Choose…</option>
                  {scoped.list.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : null}
          <Field meta={fields.period} label="Period">
            {(aria) => (
              <select {...getSelectProps(fields.period)} {...aria} className={controlClass(aria['aria-invalid'])}>
                <option value="day">Daily</option>
                <option value="week">Weekly (from Monday)</option>
                <option value="month">Monthly</option>
                <option value="total">Total (never resets)</option>
              </select>
            )}
          </Field>
          <Field meta={fields.limitUsd} label="Limit (USD)" description="More than $0, e.g. 250 or 99.50.">
            {(aria) => (
              <input
                {...text(fields.limitUsd)}
                {...aria}
                inputMode="decimal"
                autoComplete="off"
                placeholder="250"
                className={controlClass(aria['aria-invalid'])}
              />
            )}
          </Field>
        </div>
        <LimitSuggestion
          values={{
            scope,
            userId: value(fields.userId.value),
            apiKeyId: value(fields.apiKeyId.value),
            promptId: value(fields.promptId.value),
            period: value(fields.period.value),
            timeZone: value(fields.timeZone.value),
          }}
          onUse={(limitUsd) => form.update({ name: fields.limitUsd.name, value: limitUsd, validated: false })}
        />
        <fieldset>
          <legend className="text-sm font-medium text-gray-800 dark:text-gray-200">
            When spending reaches the limit
          </legend>
          <div className="mt-2 space-y-2">
            {MODES.map(([option, title, description]) => (
              <label
                key={option}
                className={`flex cursor-pointer gap-3 rounded-lg border p-3 text-sm ${
                  mode === option
                    ? 'border-indigo-500 bg-indigo-50/60 dark:bg-indigo-500/10'
                    : 'border-gray-200 dark:border-gray-700'
                }`}
              >
                <input
                  {...getInputProps(fields.mode, { type: 'radio', value: option })}
                  className="mt-0.5 h-4 w-4 text-indigo-600 focus:ring-indigo-500"
                />
                <span>
                  <span className="block font-medium text-gray-900 dark:text-gray-100">{title}</span>
                  <span className="block text-gray-600 dark:text-gray-400">{description}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <Field
          meta={withPartErrors(fields.thresholds)}
          label="Alert thresholds (%)"
          description="Whole percentages from 1 to 1000 in ascending order, e.g. 50, 80, 100."
        >
          {(aria) => (
            <input
              {...text(fields.thresholds)}
              {...aria}
              autoComplete="off"
              className={controlClass(aria['aria-invalid'])}
            />
          )}
        </Field>
        <Field
          meta={fields.timeZone}
          label="Time zone"
          description={`Where days, weeks and months start. Leave empty for the team’s (${data.teamTimeZone}).`}
        >
          {(aria) => (
            <input
              {...text(fields.timeZone)}
              {...aria}
              autoComplete="off"
              placeholder={data.teamTimeZone}
              className={controlClass(aria['aria-invalid'])}
            />
          )}
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
          Alerts appear in{' '}
          <Link to="/dashboard/alerts" className={linkClass}>
            Alerts
          </Link>{' '}
          and are emailed to admins.
        </p>
      )}
    </Card>
  )
}
