import { getFormProps, getInputProps, getTextareaProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { budgetRequestFormSchema } from '@costwise/core/budgets/requests'
import { Link, useFetcher } from '@remix-run/react'
import { useId } from 'react'
import type { RequestsActionData } from '../../budget-requests.server'
import { controlClass, Field } from '../ui/field'
import { buttonPrimary, buttonSecondary } from '../usage/styles'

/**
 * "Request more": asks for more on a budget from where the person is (the Lab's budget warning, the budgets
 * page). Posts to the requests page's action, so every place shares one path; core's request form schema checks
 * each field as you leave it and on submit, in the browser and again in the action.
 */
export function RequestMoreForm({
  budgetId,
  budgetName,
  suggestedUsd,
  onClose,
}: {
  budgetId: string
  budgetName: string
  suggestedUsd?: string
  onClose?: () => void
}) {
  const fetcher = useFetcher<RequestsActionData>()
  const answer = fetcher.data
  const id = useId()
  const [form, fields] = useForm({
    id: `request-more-${id}`,
    lastResult: answer && 'reply' in answer ? answer.reply : undefined,
    defaultValue: { budgetId, amountUsd: suggestedUsd ?? '', reason: '', duration: 'period' },
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: budgetRequestFormSchema }),
  })
  if (answer?.ok) {
    return (
      <p
        role="status"
        className="mt-3 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:bg-emerald-500/15 dark:text-emerald-100"
        data-testid="request-sent"
      >
        {answer.notice}{' '}
        <Link to="/dashboard/budget-requests" className="font-medium underline">
          See your requests
        </Link>
      </p>
    )
  }
  const formError = form.errors?.[0] ?? fields.budgetId.errors?.[0]
  const busy = fetcher.state !== 'idle'
  return (
    <fetcher.Form
      method="post"
      action="/dashboard/budget-requests"
      {...getFormProps(form)}
      className="mt-3 space-y-3 rounded-md border border-current/20 bg-white/70 p-3 text-sm text-gray-900 dark:bg-gray-900/60 dark:text-gray-100"
      aria-label={`Request more on ${budgetName}`}
      data-testid="request-form"
    >
      <input type="hidden" name="intent" value="create" />
      <input {...getInputProps(fields.budgetId, { type: 'hidden' })} />
      <p className="font-medium">Ask the team’s admins for more on “{budgetName}”</p>
      {formError ? (
        <p role="alert" id={form.errorId} className="text-red-700 dark:text-red-300">
          {formError}
        </p>
      ) : null}
      <div className="grid gap-3 sm:grid-cols-2">
        <Field meta={fields.amountUsd} label="Amount (USD)">
          {(aria) => (
            <input
              {...getInputProps(fields.amountUsd, { type: 'text' })}
              {...aria}
              inputMode="decimal"
              autoComplete="off"
              className={controlClass(aria['aria-invalid'])}
            />
          )}
        </Field>
        <fieldset>
          <legend className="font-medium">For</legend>
          <div className="mt-1 flex flex-wrap gap-3">
            <label className="flex items-center gap-1.5">
              <input {...getInputProps(fields.duration, { type: 'radio', value: 'period' })} /> this period only
            </label>
            <label className="flex items-center gap-1.5">
              <input {...getInputProps(fields.duration, { type: 'radio', value: 'permanent' })} /> for good
            </label>
          </div>
        </fieldset>
      </div>
      <Field meta={fields.reason} label="Reason">
        {(aria) => (
          <textarea
            {...getTextareaProps(fields.reason)}
            {...aria}
            rows={2}
            maxLength={2000}
            className={controlClass(aria['aria-invalid'])}
          />
        )}
      </Field>
      <div className="flex gap-2">
        <button type="submit" className={buttonPrimary} disabled={busy}>
          {busy ? 'Sending…' : 'Send request'}
        </button>
        {onClose ? (
          <button type="button" className={buttonSecondary} onClick={onClose}>
            Cancel
          </button>
        ) : null}
      </div>
    </fetcher.Form>
  )
}
