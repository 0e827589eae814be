import { formatUsd, usdToNano } from '@costwise/core'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { useId } from 'react'
import type { RequestStatus } from '../../budget-requests.server'
import type { RouterOutputs } from '../../lib/api-types'
import { Card } from '../card'
import { ActionNotice, type Answer } from './action-notice'
import { EmptyState } from '../empty-state'
import { WalletIcon } from '../icons'
import { PageHeader } from '../page-header'
import { buttonDanger, buttonPrimary, buttonSecondary, selectClass } from '../usage/styles'

type List = RouterOutputs['budgetRequests']['list']
type Request = List['items'][number]

const LABEL: Record<RequestStatus, string> = {
  pending: 'Pending',
  approved: 'Approved',
  denied: 'Denied',
  expired: 'Expired',
}
const money = (usd: string) => formatUsd(usdToNano(usd))

type Notices = RouterOutputs['notifications']['list']

export function BudgetRequestsPage({
  data,
}: {
  data: List & { status: RequestStatus; teamTimeZone: string; notices: Notices }
}) {
  const answer = useActionData<Answer>()
  const when = new Intl.DateTimeFormat('en-US', {
    timeZone: data.teamTimeZone,
    dateStyle: 'medium',
    timeStyle: 'short',
  })
  return (
    <>
      <PageHeader
        title="Budget requests"
        description={
          data.canDecide
            ? 'Members ask for more when a budget blocks or warns them. Approve (any amount) or deny with a comment; approval raises the limit at once.'
            : 'Your requests for more budget and their answers. Ask from the Lab’s budget warning or the budgets page.'
        }
      />
      <ActionNotice answer={answer} testId="requests-notice" />
      <NoticesCard notices={data.notices} when={when} />
      <nav aria-label="Requests by state" className="mb-6 flex flex-wrap gap-2">
        {(Object.keys(LABEL) as RequestStatus[]).map((s) => (
          <Link
            key={s}
            to={`?status=${s}`}
            aria-current={s === data.status ? 'page' : undefined}
            className={`rounded-full px-3 py-1 text-sm font-medium ring-1 ring-inset ${s === data.status ? 'bg-indigo-600 text-white ring-indigo-600' : 'bg-white text-gray-700 ring-gray-300 hover:bg-gray-50 dark:bg-gray-900 dark:text-gray-200 dark:ring-gray-700'}`}
            data-testid={`requests-tab-${s}`}
          >
            {LABEL[s]} <span className="tabular-nums">({data.counts[s]})</span>
          </Link>
        ))}
      </nav>
      {data.items.length === 0 ? (
        <EmptyState
          testId="requests-empty"
          title={`No ${LABEL[data.status].toLowerCase()} requests`}
          icon={<WalletIcon className="h-6 w-6" />}
        >
          <p>
            {data.status === 'pending'
              ? 'Nobody is waiting for an answer. Requests appear here when someone asks for more on a budget.'
              : 'Requests move here once they are answered or their budget period ends.'}
          </p>
        </EmptyState>
      ) : (
        <ul className="space-y-4">
          {data.items.map((r) => (
            <li key={r.id} id={`request-${r.id}`}>
              <RequestCard request={r} canDecide={data.canDecide} when={when} answer={answer} />
            </li>
          ))}
        </ul>
      )}
    </>
  )
}

function RequestCard({
  request: r,
  canDecide,
  when,
  answer,
}: {
  request: Request
  canDecide: boolean
  when: Intl.DateTimeFormat
  answer?: Answer
}) {
  const navigation = useNavigation()
  const id = useId()
  const busy = navigation.state !== 'idle' && navigation.formData?.get('id') === r.id
  const fieldError =
    answer && !answer.ok && answer.target === r.id && answer.field === 'amountUsd' ? answer.message : null
  return (
    <Card className="p-5" data-testid="budget-request" data-status={r.status}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 className="text-base font-semibold text-gray-900 dark:text-gray-100">
            {money(r.amountUsd)} more on “{r.budgetName}”
          </h2>
          <p className="text-sm text-gray-600 dark:text-gray-400">
            {r.requestedBy ?? 'Someone no longer in the team'} ·{' '}
            {r.duration === 'period'
              ? `this ${r.budgetPeriod === 'total' ? 'budget' : r.budgetPeriod} only`
              : 'for good'}{' '}
            · asked {when.format(new Date(r.createdAt))}
            {r.status === 'pending' && r.expiresAt ? ` · expires ${when.format(new Date(r.expiresAt))}` : ''}
          </p>
        </div>
        <span
          className="rounded-full bg-gray-100 px-2 py-0.5 text-xs font-semibold text-gray-800 dark:bg-gray-800 dark:text-gray-200"
          data-testid="request-status"
        >
          {LABEL[r.status]}
        </span>
      </div>
      <p className="mt-3 whitespace-pre-wrap text-sm text-gray-800 dark:text-gray-200">“{r.reason}”</p>
      {r.status !== 'pending' && r.status !== 'expired' ? (
        <p className="mt-2 text-sm text-gray-700 dark:text-gray-300" data-testid="request-decision">
          {r.status === 'approved' ? `Approved ${money(r.approvedAmountUsd!)}` : 'Denied'} by{' '}
          {r.decidedBy ?? 'an API key'}
          {r.decidedAt ? ` on ${when.format(new Date(r.decidedAt))}` : ''}
          {r.comment ? ` — “${r.comment}”` : ''}
        </p>
      ) : null}
      {canDecide && r.status === 'pending' ? (
        <Form
          method="post"
          className="mt-4 flex flex-wrap items-end gap-3"
          aria-label={`Decide on ${r.requestedBy ?? 'the'} request`}
        >
          <input type="hidden" name="id" value={r.id} />
          <div>
            <label htmlFor={`${id}-amount`} className="block text-sm font-medium text-gray-800 dark:text-gray-200">
              Amount to approve (USD)
            </label>
            <input
              id={`${id}-amount`}
              name="amountUsd"
              defaultValue={r.amountUsd}
              inputMode="decimal"
              autoComplete="off"
              aria-invalid={fieldError ? true : undefined}
              aria-describedby={fieldError ? `${id}-amount-error` : undefined}
              className={`${selectClass} mt-1 w-36`}
            />
            {fieldError ? (
              <p id={`${id}-amount-error`} className="mt-1 text-sm text-red-700 dark:text-red-300">
                {fieldError}
              </p>
            ) : null}
          </div>
          <div className="min-w-[14rem] flex-1">
            <label htmlFor={`${id}-comment`} className="block text-sm font-medium text-gray-800 dark:text-gray-200">
              Comment (optional)
            </label>
            <input
              id={`${id}-comment`}
              name="comment"
              maxLength={2000}
              autoComplete="off"
              className={`${selectClass} mt-1`}
            />
          </div>
          <button type="submit" name="intent" value="approve" className={buttonPrimary} disabled={busy}>
            Approve
          </button>
          <button type="submit" name="intent" value="deny" className={buttonDanger} disabled={busy}>
            Deny
          </button>
        </Form>
      ) : null}
    </Card>
  )
}

/** The signed-in person's in-app notices: requests to decide on, answers to their own, alerts routed to them. */
function NoticesCard({ notices, when }: { notices: Notices; when: Intl.DateTimeFormat }) {
  if (notices.items.length === 0) return null
  return (
    <Card className="mb-6 p-5" data-testid="notices">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 className="text-base font-semibold text-gray-900 dark:text-gray-100">
          Your notices{' '}
          {notices.unread > 0 ? (
            <span className="text-sm font-normal text-gray-600 dark:text-gray-400">({notices.unread} unread)</span>
          ) : null}
        </h2>
        {notices.unread > 0 ? (
          <Form method="post">
            <input type="hidden" name="intent" value="markRead" />
            <button type="submit" className={buttonSecondary}>
              Mark all read
            </button>
          </Form>
        ) : null}
      </div>
      <ul className="mt-3 divide-y divide-gray-100 text-sm dark:divide-gray-800">
        {notices.items.map((n) => (
          <li key={n.id} className="py-2" data-testid="notice" data-read={n.readAt ? 'true' : 'false'}>
            <p
              className={
                n.readAt ? 'text-gray-700 dark:text-gray-300' : 'font-semibold text-gray-900 dark:text-gray-100'
              }
            >
              {n.link ? (
                <Link to={n.link} className="hover:underline">
                  {n.title}
                </Link>
              ) : (
                n.title
              )}
            </p>
            {n.body ? <p className="text-gray-600 dark:text-gray-400">{n.body}</p> : null}
            <p className="text-xs text-gray-500">{when.format(new Date(n.createdAt))}</p>
          </li>
        ))}
      </ul>
    </Card>
  )
}
