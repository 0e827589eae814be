import { Link, useFetcher } from '@remix-run/react'
import type { ReportActionData, RunView, SavedReportView } from '../../reports.server'
import { Card } from '../card'
import { EmptyState } from '../empty-state'
import { DocumentIcon } from '../icons'
import { buttonDanger, buttonSecondary, cardSubtitle, cardTitle, linkClass, td, th } from '../usage/styles'

const STATUS_STYLE: Record<RunView['status'], string> = {
  queued: 'bg-gray-100 text-gray-800 dark:bg-gray-800 dark:text-gray-200',
  running: 'bg-sky-100 text-sky-900 dark:bg-sky-500/20 dark:text-sky-100',
  done: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-500/20 dark:text-emerald-100',
  failed: 'bg-red-100 text-red-900 dark:bg-red-500/20 dark:text-red-100',
}

export function StatusBadge({ status, label, className }: { status: string; label?: string; className?: string }) {
  return (
    <span
      data-testid="status-badge"
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ${className ?? STATUS_STYLE[status as RunView['status']] ?? STATUS_STYLE.queued}`}
    >
      {label ?? status}
    </span>
  )
}

export function SavedReports({
  reports,
  canAct,
  canEdit,
}: {
  reports: SavedReportView[]
  canAct: boolean
  canEdit: boolean
}) {
  return (
    <section aria-labelledby="saved-reports-title" className="space-y-3">
      <h2 id="saved-reports-title" className={cardTitle}>
        Saved reports
      </h2>
      {reports.length === 0 ? (
        <EmptyState testId="reports-empty" title="No saved reports" icon={<DocumentIcon className="h-6 w-6" />}>
          <p>
            Build a report, preview it and save it: it is emailed on its schedule, and every run is kept in the history
            below.
          </p>
        </EmptyState>
      ) : (
        reports.map((r) => <SavedReportCard key={r.id} report={r} canAct={canAct} canEdit={canEdit} />)
      )}
    </section>
  )
}

function SavedReportCard({
  report: r,
  canAct,
  canEdit,
}: {
  report: SavedReportView
  canAct: boolean
  canEdit: boolean
}) {
  const send = useFetcher<ReportActionData>()
  const remove = useFetcher<ReportActionData>()
  const sent = send.state === 'idle' && send.data?.ok && send.data.intent === 'send-saved'
  const error = [send.data, remove.data].find((d) => d && 'message' in d)
  return (
    <Card className="p-4" data-testid="saved-report" id={`report-${r.id}`}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h3 className="truncate text-sm font-semibold text-gray-900 dark:text-gray-100">{r.name}</h3>
          <p className="text-xs text-gray-600 dark:text-gray-400">{r.summary}</p>
          <p className="mt-1 text-xs text-gray-700 dark:text-gray-300">
            {r.format} · {r.schedule}
            {r.nextRun ? (
              <>
                {' '}
                · next run <span data-testid="next-run">{r.nextRun}</span>
              </>
            ) : null}
            {!r.active ? ' · paused' : null}
          </p>
          <p className="mt-0.5 truncate text-xs text-gray-500 dark:text-gray-400">To {r.recipients.join(', ')}</p>
        </div>
        {canEdit ? (
          <div className="flex flex-wrap items-center gap-2">
            <send.Form method="post">
              <input type="hidden" name="intent" value="send-saved" />
              <input type="hidden" name="id" value={r.id} />
              <button type="submit" className={buttonSecondary} disabled={!canAct || send.state !== 'idle'}>
                {send.state !== 'idle' ? 'Queueing…' : 'Send now'}
                <span className="sr-only"> {r.name}</span>
              </button>
            </send.Form>
            <Link to={`?edit=${r.id}#report-builder`} className={buttonSecondary}>
              Edit<span className="sr-only"> {r.name}</span>
            </Link>
            <remove.Form
              method="post"
              onSubmit={(e) => {
                if (!window.confirm(`Delete the report “${r.name}”? Its past runs stay in the history.`))
                  e.preventDefault()
              }}
            >
              <input type="hidden" name="intent" value="delete" />
              <input type="hidden" name="id" value={r.id} />
              <input type="hidden" name="name" value={r.name} />
              <button type="submit" className={buttonDanger} disabled={remove.state !== 'idle'}>
                {remove.state !== 'idle' ? 'Deleting…' : 'Delete'}
                <span className="sr-only"> {r.name}</span>
              </button>
            </remove.Form>
          </div>
        ) : null}
      </div>
      {sent ? (
        <p role="status" className="mt-2 text-xs text-emerald-800 dark:text-emerald-200">
          Queued; see the run history below.
        </p>
      ) : null}
      {error && 'message' in error ? (
        <p role="alert" className="mt-2 text-xs text-red-700 dark:text-red-300">
          {error.message}
        </p>
      ) : null}
    </Card>
  )
}

export function RunHistory({ runs }: { runs: RunView[] }) {
  return (
    <Card className="p-5">
      <section aria-labelledby="run-history-title">
        <h2 id="run-history-title" className={cardTitle}>
          Run history
        </h2>
        <p className={cardSubtitle}>
          Every report generated for your team, scheduled or sent by hand. Emails are listed in the{' '}
          <Link to="/dashboard/outbox" className={linkClass}>
            outbox
          </Link>
          .
        </p>
        {runs.length === 0 ? (
          <p className="mt-4 text-sm text-gray-600 dark:text-gray-400" data-testid="runs-empty">
            No runs yet. Press “Send now” on a report, or wait for its schedule.
          </p>
        ) : (
          <div className="relative mt-4 overflow-x-auto">
            <table className="min-w-full divide-y divide-gray-200 dark:divide-gray-800" data-testid="run-history">
              <thead>
                <tr>
                  <th scope="col" className={th}>
                    Report
                  </th>
                  <th scope="col" className={th}>
                    Status
                  </th>
                  <th scope="col" className={th}>
                    Period
                  </th>
                  <th scope="col" className={th}>
                    Started
                  </th>
                  <th scope="col" className={th}>
                    File
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-gray-100 dark:divide-gray-800">
                {runs.map((r) => (
                  <tr key={r.id} data-testid="run-row" data-status={r.status}>
                    <td className={td}>
                      <span className="font-medium text-gray-900 dark:text-gray-100">{r.name}</span>
                      <span className="block text-xs text-gray-500 dark:text-gray-400">
                        {r.trigger} · {r.recipients} recipient{r.recipients === 1 ? '' : 's'}
                      </span>
                    </td>
                    <td className={td}>
                      <StatusBadge status={r.status} />
                      {r.error ? (
                        <span
                          className="block max-w-xs truncate text-xs text-red-700 dark:text-red-300"
                          title={r.error}
                        >
                          {r.error}
                        </span>
                      ) : null}
                    </td>
                    <td className={td}>{r.range ?? '—'}</td>
                    <td className={td}>
                      {r.created}
                      {r.finished ? (
                        <span className="block text-xs text-gray-500 dark:text-gray-400">finished {r.finished}</span>
                      ) : null}
                    </td>
                    <td className={td}>
                      {r.downloadHref ? (
                        <a href={r.downloadHref} className={linkClass} download data-testid="run-download">
                          Download {r.format}
                        </a>
                      ) : (
                        <span className="text-gray-500">{r.status === 'failed' ? '—' : 'not ready yet'}</span>
                      )}
                      {r.size ? <span className="block text-xs text-gray-500 dark:text-gray-400">{r.size}</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </Card>
  )
}
