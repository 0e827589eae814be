import { Link, useFetcher } from '@remix-run/react'
import { useId, useState } from 'react'
import { validateLimit } from '../../lib/budget-form'
import type { Answer } from './action-notice'
import { buttonPrimary, buttonSecondary, selectClass } from '../usage/styles'

/**
 * "Request more": asks for more on a budget from where the person is (the Lab's budget warning, the budgets
 * page). Posts to the requests page's action, so every place shares one path and one set of checks.
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
  const fetcher = useFetcher<Answer>()
  const id = useId()
  const [amount, setAmount] = useState(suggestedUsd ?? '')
  const [reason, setReason] = useState('')
  const [touched, setTouched] = useState(false)
  const answer = fetcher.data
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
  const clientErrors = {
    amountUsd: validateLimit(amount) ? 'Enter the amount you need in USD, e.g. 5 or 0.50.' : null,
    reason: reason.trim() ? null : 'Say what the extra budget is for.',
  }
  const serverField = answer && !answer.ok ? answer.field : null
  const errorOf = (f: 'amountUsd' | 'reason') =>
    (touched && clientErrors[f]) || (serverField === f ? answer?.message : null)
  const formError =
    answer && !answer.ok && serverField !== 'amountUsd' && serverField !== 'reason' ? answer.message : null
  const busy = fetcher.state !== 'idle'
  return (
    <fetcher.Form
      method="post"
      action="/dashboard/budget-requests"
      noValidate
      className="mt-3 space-y-3 rounded-md border border-current/20 bg-white/70 p-3 text-sm text-gray-900 dark:bg-gray-900/60 dark:text-gray-100"
      aria-label={`Request more on ${budgetName}`}
      data-testid="request-form"
      onSubmit={(e) => {
        setTouched(true)
        if (clientErrors.amountUsd || clientErrors.reason) e.preventDefault()
      }}
    >
      <input type="hidden" name="intent" value="create" />
      <input type="hidden" name="budgetId" value={budgetId} />
      <p className="font-medium">Ask the team’s admins for more on “{budgetName}”</p>
      {formError ? (
        <p role="alert" className="text-red-700 dark:text-red-300">
          {formError}
        </p>
      ) : null}
      <div className="grid gap-3 sm:grid-cols-2">
        <div>
          <label htmlFor={`${id}-amount`} className="block font-medium">
            Amount (USD)
          </label>
          <input
            id={`${id}-amount`}
            name="amountUsd"
            inputMode="decimal"
            autoComplete="off"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            aria-invalid={errorOf('amountUsd') ? true : undefined}
            aria-describedby={errorOf('amountUsd') ? `${id}-amount-error` : undefined}
            className={`${selectClass} mt-1`}
          />
          {errorOf('amountUsd') ? (
            <p id={`${id}-amount-error`} className="mt-1 text-red-700 dark:text-red-300">
              {errorOf('amountUsd')}
            </p>
          ) : null}
        </div>
        <fieldset>
          <legend className="font-medium">For</legend>
          <div className="mt-1 flex flex-wrap gap-3">
            <label className="flex items-center gap-1.5">
              <input type="radio" name="duration" value="period" defaultChecked /> this period only
            </label>
            <label className="flex items-center gap-1.5">
              <input type="radio" name="duration" value="permanent" /> for good
            </label>
          </div>
        </fieldset>
      </div>
      <div>
        <label htmlFor={`${id}-reason`} className="block font-medium">
          Reason
        </label>
        <textarea
          id={`${id}-reason`}
          name="reason"
          rows={2}
          maxLength={2000}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-invalid={errorOf('reason') ? true : undefined}
          aria-describedby={errorOf('reason') ? `${id}-reason-error` : undefined}
          className={`${selectClass} mt-1`}
        />
        {errorOf('reason') ? (
          <p id={`${id}-reason-error`} className="mt-1 text-red-700 dark:text-red-300">
            {errorOf('reason')}
          </p>
        ) : null}
      </div>
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
