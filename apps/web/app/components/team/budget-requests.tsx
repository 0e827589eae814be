import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { formatUsd, usdToNano } from '@costwise/core'
import { requestDecisionFormSchema } from '@costwise/core/budgets/requests'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import type { RequestsActionData, RequestStatus } from '../../budget-requests.server'
import type { RouterOutputs } from '../../lib/api-types'
import { Card } from '../card'
import { EmptyState } from '../empty-state'
import { WalletIcon } from '../icons'
import { PageHeader } from '../page-header'
import { controlClass, Field } from '../ui/field'
import { buttonDanger, buttonPrimary, buttonSecondary } from '../usage/styles'
import { ActionNotice } from './action-notice'

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
  const answer = useActionData<RequestsActionData>()
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
      {/* A refused request or decision shows its errors in its own form. */}
      <ActionNotice answer={answer && 'reply' in answer ? undefined : answer} testId="requests-notice" />
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
              <RequestCard
                request={r}
                canDecide={data.canDecide}
                when={when}
                refused={answer && 'reply' in answer && answer.target === r.id ? answer.reply : undefined}
              />
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
  refused,
}: {
  request: Request
  canDecide: boolean
  when: Intl.DateTimeFormat
  /** The last approve or deny of this request that was refused. */
  refused?: SubmissionResult | undefined
}) {
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
      {canDecide && r.status === 'pending' ? <DecisionForm request={r} refused={refused} /> : null}
    </Card>
  )
}

/**
 * Approve (the amount asked for, or another) or deny, with an optional comment. Core's decision form schema checks
 * the amount as you leave it and on submit, in the browser and again in the action.
 */
function DecisionForm({ request: r, refused }: { request: Request; refused: SubmissionResult | undefined }) {
  const navigation = useNavigation()
  const busy = navigation.state !== 'idle' && navigation.formData?.get('id') === r.id
  const [form, fields] = useForm({
    id: `decide-${r.id}`,
    lastResult: refused,
    defaultValue: { id: r.id, amountUsd: r.amountUsd, comment: '' },
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    // Leaving a field (no button pressed yet) checks it as an approval would.
    onValidate: ({ formData }) => {
      if (!formData.has('intent')) formData.set('intent', 'approve')
      return parseWithZod(formData, { schema: requestDecisionFormSchema })
    },
  })
  const formError = form.errors?.[0] ?? fields.id.errors?.[0]
  return (
    <Form
      method="post"
      {...getFormProps(form)}
      className="mt-4 flex flex-wrap items-end gap-3"
      aria-label={`Decide on ${r.requestedBy ?? 'the'} request`}
    >
      <input {...getInputProps(fields.id, { type: 'hidden' })} />
      {formError ? (
        <p role="alert" id={form.errorId} className="basis-full text-sm text-red-700 dark:text-red-300">
          {formError}
        </p>
      ) : null}
      <Field meta={fields.amountUsd} label="Amount to approve (USD)">
        {(aria) => (
          <input
            {...getInputProps(fields.amountUsd, { type: 'text' })}
            {...aria}
            inputMode="decimal"
            autoComplete="off"
            className={`${controlClass(aria['aria-invalid'])} w-36`}
          />
        )}
      </Field>
      <Field meta={fields.comment} label="Comment (optional)" className="min-w-[14rem] flex-1">
        {(aria) => (
          <input
            {...getInputProps(fields.comment, { type: 'text' })}
            {...aria}
            maxLength={2000}
            autoComplete="off"
            className={controlClass(aria['aria-invalid'])}
          />
        )}
      </Field>
      <button type="submit" name="intent" value="approve" className={buttonPrimary} disabled={busy}>
        Approve
      </button>
      <button type="submit" name="intent" value="deny" className={buttonDanger} disabled={busy}>
        Deny
      </button>
    </Form>
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
