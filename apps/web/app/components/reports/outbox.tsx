import type { OutboxMessageView, OutboxPageData } from '../../reports.server'
import { Card } from '../card'
import { EmptyState } from '../empty-state'
import { EnvelopeIcon } from '../icons'
import { PageHeader } from '../page-header'
import { cardSubtitle, cardTitle } from '../usage/styles'
import { StatusBadge } from './report-lists'

const STATUS_STYLE: Record<OutboxMessageView['status'], string> = {
  queued: 'bg-gray-100 text-gray-800 dark:bg-gray-800 dark:text-gray-200',
  outbox: 'bg-amber-100 text-amber-900 dark:bg-amber-500/20 dark:text-amber-100',
  sent: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-500/20 dark:text-emerald-100',
  failed: 'bg-red-100 text-red-900 dark:bg-red-500/20 dark:text-red-100',
}

/** What each status says on its badge: a message kept in the outbox was not sent, and says so. */
const STATUS_LABEL: Record<OutboxMessageView['status'], string> = {
  queued: 'queued',
  outbox: 'not sent',
  sent: 'sent',
  failed: 'failed',
}

const STATUS_HELP: Record<OutboxMessageView['status'], string> = {
  queued: 'waiting for the worker',
  outbox: 'not sent: no SMTP server is configured, so it is only kept here',
  sent: 'handed to the SMTP server',
  failed: 'gave up after repeated errors',
}

export function OutboxPage({ data }: { data: OutboxPageData }) {
  return (
    <>
      <PageHeader
        title="Outbox"
        description="Every email Costwise sends for your team — alerts and reports — and how delivery went."
      />
      {!data.allowed ? (
        <EmptyState testId="outbox-forbidden" title="Not available" icon={<EnvelopeIcon className="h-6 w-6" />}>
          <p>{data.reason}</p>
        </EmptyState>
      ) : (
        <div className="space-y-6">
          {data.delivery.notSent > 0 ? <NoSmtpNotice notSent={data.delivery.notSent} /> : null}
          <Card className="p-5" data-testid="delivery-stats">
            <h2 className={cardTitle}>Delivery through SMTP</h2>
            <dl className="mt-3 grid grid-cols-1 gap-4 sm:grid-cols-3">
              <div>
                <dt className="text-xs text-gray-600 dark:text-gray-400">Success rate</dt>
                <dd
                  className="text-2xl font-semibold tabular-nums text-gray-900 dark:text-gray-100"
                  data-testid="success-rate"
                >
                  {data.delivery.successRate ?? (data.delivery.notSent > 0 ? 'Nothing sent' : '—')}
                </dd>
              </div>
              <div>
                <dt className="text-xs text-gray-600 dark:text-gray-400">Delivery attempts</dt>
                <dd className="text-2xl font-semibold tabular-nums text-gray-900 dark:text-gray-100">
                  {data.delivery.attempts}
                </dd>
              </div>
              <div>
                <dt className="text-xs text-gray-600 dark:text-gray-400">Succeeded</dt>
                <dd className="text-2xl font-semibold tabular-nums text-gray-900 dark:text-gray-100">
                  {data.delivery.succeeded}
                </dd>
              </div>
            </dl>
            {data.delivery.attempts === 0 ? (
              <p className={cardSubtitle}>
                No message has been handed to an SMTP server in the last 30 days. Without one, messages are not sent:
                they stay in this outbox.
              </p>
            ) : null}
          </Card>
          <section aria-labelledby="outbox-title">
            <h2 id="outbox-title" className={`${cardTitle} mb-3`}>
              Messages
            </h2>
            {data.messages.length === 0 ? (
              <EmptyState testId="outbox-empty" title="No messages yet" icon={<EnvelopeIcon className="h-6 w-6" />}>
                <p>Budget alerts and reports emailed to your team will be listed here.</p>
              </EmptyState>
            ) : (
              <ul className="space-y-2" data-testid="outbox-list">
                {data.messages.map((m) => (
                  <OutboxMessage key={m.id} message={m} />
                ))}
              </ul>
            )}
          </section>
        </div>
      )}
    </>
  )
}

function OutboxMessage({ message: m }: { message: OutboxMessageView }) {
  return (
    <li data-testid="outbox-message" data-status={m.status}>
      <Card className="p-0">
        <details className="group">
          <summary className="flex cursor-pointer list-none flex-wrap items-start justify-between gap-3 p-4 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-500">
            <div className="min-w-0">
              <p className="truncate text-sm font-semibold text-gray-900 dark:text-gray-100">{m.subject}</p>
              <p className="break-words text-xs text-gray-600 dark:text-gray-400">
                <span className="uppercase tracking-wide">{m.kind}</span> · to {m.to} · {m.created}
                {m.sent ? ` · sent ${m.sent}` : m.status === 'outbox' ? ' · not sent' : ''}
              </p>
              {m.attachments.length ? (
                <p
                  className="mt-1 break-words text-xs text-gray-700 dark:text-gray-300"
                  data-testid="outbox-attachments"
                >
                  <span className="text-gray-500 dark:text-gray-400">Attached:</span>{' '}
                  {m.attachments.map((a) => a.filename).join(', ')}
                </p>
              ) : null}
            </div>
            <div className="flex items-center gap-3 text-xs text-gray-600 dark:text-gray-400">
              <span>
                {m.attempts} attempt{m.attempts === 1 ? '' : 's'}
              </span>
              <span title={STATUS_HELP[m.status]}>
                <StatusBadge status={m.status} label={STATUS_LABEL[m.status]} className={STATUS_STYLE[m.status]} />
              </span>
              <span aria-hidden="true" className="transition-transform group-open:rotate-90">
                ›
              </span>
            </div>
          </summary>
          <div className="border-t border-gray-200 px-4 py-3 dark:border-gray-800">
            {m.lastError ? (
              <p className="mb-2 break-words text-sm text-red-700 dark:text-red-300" data-testid="outbox-error">
                Last error: {m.lastError}
              </p>
            ) : null}
            <pre className="whitespace-pre-wrap break-words font-sans text-sm text-gray-800 dark:text-gray-200">
              {m.text}
            </pre>
          </div>
        </details>
      </Card>
    </li>
  )
}

/** Says plainly that mail kept here was not sent, why, and how to send it. */
function NoSmtpNotice({ notSent }: { notSent: number }) {
  return (
    <div
      role="status"
      data-testid="outbox-not-sent"
      className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-amber-100"
    >
      <p className="font-semibold">
        {notSent} email{notSent === 1 ? ' was' : 's were'} not sent: no mail server (SMTP) is configured.
      </p>
      <p className="mt-1">
        They are kept in this outbox only; nobody received them. To send alerts and reports by email, set{' '}
        <code>SMTP_URL</code> (e.g. <code className="break-all">smtp://user:password@smtp.example.com:587</code>) and{' '}
        <code>MAIL_FROM</code> for the worker and restart it — see “Email (SMTP)” in <code>docs/admin-guide.md</code>.
        Messages already kept here are not sent afterwards.
      </p>
    </div>
  )
}
