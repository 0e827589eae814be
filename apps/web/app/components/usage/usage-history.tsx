import { Link, useLocation } from '@remix-run/react'
import type { HistoryRowView } from '../../lib/usage-dashboard-view'
import { withParams, type HistorySort, type UsageQuery } from '../../lib/usage-filters'
import { Card } from '../card'
import { buttonSecondary, cardSubtitle, cardTitle, td } from './styles'
import { SortTh, TableHead, figures } from '../ui/table-head'

const STATUS_TONE: Record<string, string> = {
  ok: 'bg-emerald-50 text-emerald-800 dark:bg-emerald-500/15 dark:text-emerald-200',
  error: 'bg-red-50 text-red-800 dark:bg-red-500/15 dark:text-red-200',
  blocked: 'bg-amber-50 text-amber-900 dark:bg-amber-500/15 dark:text-amber-200',
}

/** Recorded calls, a page at a time (cursor), sortable by time or cost, filtered like the rest of the page. */
export function UsageHistory({
  rows,
  nextCursor,
  query,
  exportHref,
  timeZone,
}: {
  rows: HistoryRowView[]
  nextCursor: string | null
  query: UsageQuery
  exportHref: string
  timeZone: string
}) {
  const { search } = useLocation()
  const sortHeader = (key: HistorySort, label: string, numeric = false) => {
    const current = query.historySort === key
    const nextDir = current && query.historyDirection === 'desc' ? 'asc' : 'desc'
    return (
      <SortTh
        key={key}
        label={label}
        numeric={numeric}
        search={withParams(search, {
          hsort: key === 'occurredAt' ? null : key,
          hdir: nextDir === 'desc' ? null : nextDir,
        })}
        sorted={current ? (query.historyDirection === 'desc' ? 'descending' : 'ascending') : undefined}
        hint={`sort ${nextDir === 'desc' ? 'descending' : 'ascending'}`}
      />
    )
  }
  return (
    <Card className="p-5" data-testid="usage-history">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 className={cardTitle} id="usage-history-title">
            Usage history
          </h2>
          <p className={cardSubtitle}>
            Every recorded call in the range and filters above. Times in {timeZone}; choose one for all its details.
          </p>
        </div>
        <a href={exportHref} download className={buttonSecondary} data-testid="export-csv">
          Export CSV
        </a>
      </div>
      {rows.length === 0 ? (
        <p className="mt-4 text-sm text-gray-600 dark:text-gray-400">No calls match.</p>
      ) : (
        <div className="relative mt-4 overflow-x-auto" tabIndex={0} role="region" aria-labelledby="usage-history-title">
          <table className="min-w-full divide-y divide-gray-200 dark:divide-gray-800">
            <TableHead
              columns={[
                sortHeader('occurredAt', 'Time'),
                'Model',
                'Prompt',
                'Who',
                'Source',
                'Status',
                figures('In'),
                figures('Out'),
                sortHeader('costUsd', 'Cost', true),
              ]}
            />
            <tbody className="divide-y divide-gray-100 dark:divide-gray-800">
              {rows.map((r) => (
                <tr key={r.id} data-testid="history-row">
                  <td className={`${td} tabular-nums`}>
                    <Link
                      to={{ search: withParams(search, { row: r.id, cursor: query.cursor }) }}
                      preventScrollReset
                      className="underline decoration-dotted underline-offset-2 hover:text-indigo-700 dark:hover:text-indigo-300"
                      data-testid="history-open"
                    >
                      <time dateTime={r.occurredAt}>{r.when}</time>
                      <span className="sr-only">, open the request's details</span>
                    </Link>
                  </td>
                  <td className={td}>{r.model}</td>
                  <td className={`${td} max-w-[12rem] truncate`}>{r.prompt ?? '—'}</td>
                  <td className={`${td} max-w-[10rem] truncate`}>{r.user}</td>
                  <td className={td}>{r.feature}</td>
                  <td className={td}>
                    <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_TONE[r.status] ?? ''}`}>
                      {r.status}
                    </span>
                  </td>
                  <td className={`${td} text-right tabular-nums`}>{r.inputTokens}</td>
                  <td className={`${td} text-right tabular-nums`}>{r.outputTokens}</td>
                  <td className={`${td} relative text-right tabular-nums`}>
                    <details className="group inline-block text-right" data-testid="history-breakdown">
                      <summary className="cursor-pointer list-none underline decoration-dotted underline-offset-2">
                        <span data-testid="history-cost">{r.cost}</span>
                        <span className="sr-only">, show the cost breakdown</span>
                      </summary>
                      <div className="absolute right-2 top-full z-20 mt-1 w-72 rounded-md border border-gray-200 bg-white p-3 text-left text-xs font-normal text-gray-700 shadow-lg dark:border-gray-700 dark:bg-gray-900 dark:text-gray-300">
                        {r.breakdown.length > 0 ? (
                          <dl className="grid grid-cols-[1fr_auto] gap-x-3">
                            {r.breakdown.map((line) => (
                              <div key={line.label} className="contents">
                                <dt>{line.label}</dt>
                                <dd className="text-right tabular-nums">{line.amount}</dd>
                              </div>
                            ))}
                          </dl>
                        ) : null}
                        <p className="mt-1 break-words">{r.priceNote}</p>
                      </div>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label="History pages" className="mt-4 flex items-center justify-between gap-2">
        {query.cursor ? (
          <Link to={{ search: withParams(search, { cursor: null }) }} preventScrollReset className={buttonSecondary}>
            <span aria-hidden="true">«</span> First page
          </Link>
        ) : (
          <span />
        )}
        {nextCursor ? (
          <Link
            to={{ search: withParams(search, { cursor: nextCursor }) }}
            preventScrollReset
            className={buttonSecondary}
            data-testid="history-next"
          >
            Next page <span aria-hidden="true">»</span>
          </Link>
        ) : null}
      </nav>
    </Card>
  )
}
