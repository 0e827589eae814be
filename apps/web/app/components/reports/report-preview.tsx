import type { PreviewView } from '../../reports.server'
import { GROUP_BY_LABEL, type GroupBy } from '../../lib/report-form'
import { td, th } from '../usage/styles'

/** The report's headline figures and its first groups, as the saved report would show them now. */
export function ReportPreview({ view, stale }: { view: PreviewView; stale: boolean }) {
  return (
    <section
      aria-labelledby="report-preview-title"
      data-testid="report-preview"
      className={`rounded-lg border border-gray-200 p-4 dark:border-gray-800 ${stale ? 'opacity-60' : ''}`}
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id="report-preview-title" className="text-sm font-semibold text-gray-900 dark:text-gray-100">
          Preview · {view.from} to {view.to}
        </h3>
        <p className="text-xs text-gray-600 dark:text-gray-400">{view.summary}</p>
      </div>
      {stale ? (
        <p className="mt-1 text-xs text-amber-700 dark:text-amber-300" role="status">
          The report has changed since this preview; press Preview again to update it.
        </p>
      ) : null}
      <dl className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-3">
        {view.figures.map((f) => (
          <div
            key={f.metric}
            className="rounded-md bg-gray-50 px-3 py-2 dark:bg-gray-900/60"
            data-testid={`preview-${f.metric}`}
          >
            <dt className="text-xs text-gray-600 dark:text-gray-400">{f.label}</dt>
            <dd className="text-lg font-semibold tabular-nums text-gray-900 dark:text-gray-100">{f.value}</dd>
            <dd className="text-xs text-gray-500 dark:text-gray-400">previous period: {f.previous}</dd>
          </div>
        ))}
      </dl>
      {view.empty ? (
        <p className="mt-3 text-sm text-gray-600 dark:text-gray-400">
          No usage in this period with these filters; the report would be empty.
        </p>
      ) : (
        <div className="mt-3 overflow-x-auto">
          <table className="min-w-full divide-y divide-gray-200 dark:divide-gray-800" data-testid="preview-groups">
            <thead>
              <tr>
                <th scope="col" className={th}>
                  {GROUP_BY_LABEL[view.groupLabel as GroupBy] ?? view.groupLabel}
                </th>
                {view.columns.map((c) => (
                  <th key={c.metric} scope="col" className={`${th} text-right`}>
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-gray-100 dark:divide-gray-800">
              {view.rows.map((r, i) => (
                <tr key={`${r.key}-${i}`}>
                  <th scope="row" className={`${td} max-w-[16rem] truncate text-left font-medium`}>
                    {r.key}
                  </th>
                  {r.values.map((v, j) => (
                    <td key={j} className={`${td} text-right tabular-nums`}>
                      {v}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {view.more > 0 ? (
            <p className="mt-2 text-xs text-gray-600 dark:text-gray-400">…and {view.more} more in the report.</p>
          ) : null}
        </div>
      )}
    </section>
  )
}
