import { Form, useActionData, useNavigation } from '@remix-run/react'
import { useId } from 'react'
import type { ReconciliationActionData } from '../../reconciliation.server'
import { formatDateTimeWithZone } from '../../lib/format'
import { useTimeDisplay } from '../../lib/use-time-display'
import { Card } from '../card'

export interface ReconciliationView {
  query: { provider: 'openai' | 'anthropic'; month: string }
  canImport: boolean
  imports: { provider: string; month: string; fileName: string | null; total: string }[]
  report: {
    imported: { fileName: string | null; format: string; importedAt: string } | null
    providerTotal: string
    trackedTotal: string
    missing: string
    missingUsd: string
    over: string
    overUsd: string
    captureRatePct: number | null
    rows: {
      day: string
      model: string
      provider: string
      tracked: string
      difference: string
      missing: boolean
      unpricedRuns: number
    }[]
  } | null
}

const PROVIDER_LABEL = { openai: 'OpenAI', anthropic: 'Anthropic' } as const
const input =
  'mt-1 block rounded-md border border-gray-300 bg-white px-3 py-1.5 text-sm dark:border-gray-700 dark:bg-gray-950'
const th = 'py-2 pr-4 text-xs font-medium uppercase text-gray-500'
const td = 'py-2 pr-4 text-sm tabular-nums'

/** A provider's bill for a month against what Costwise tracked: capture rate and the exact difference per day and model. */
export function Reconciliation({ query, canImport, imports, report }: ReconciliationView) {
  const display = useTimeDisplay()
  const action = useActionData<ReconciliationActionData>()
  const navigation = useNavigation()
  const ids = useId()
  const uploading = navigation.state === 'submitting'
  return (
    <div className="space-y-6">
      <Card className="p-5">
        <Form method="get" className="flex flex-wrap items-end gap-3">
          <div>
            <label htmlFor={`${ids}-provider`} className="block text-sm font-medium">
              Provider
            </label>
            <select id={`${ids}-provider`} name="provider" defaultValue={query.provider} className={input}>
              <option value="openai">OpenAI</option>
              <option value="anthropic">Anthropic</option>
            </select>
          </div>
          <div>
            <label htmlFor={`${ids}-month`} className="block text-sm font-medium">
              Month
            </label>
            <input id={`${ids}-month`} type="month" name="month" defaultValue={query.month} className={input} />
          </div>
          <button
            type="submit"
            className="rounded-md border border-gray-300 px-3 py-1.5 text-sm font-medium hover:bg-gray-50 dark:border-gray-700 dark:hover:bg-gray-800"
          >
            Show
          </button>
        </Form>
        {canImport ? (
          <Form
            method="post"
            encType="multipart/form-data"
            className="mt-4 flex flex-wrap items-end gap-3 border-t border-gray-100 pt-4 dark:border-gray-800"
          >
            <input type="hidden" name="provider" value={query.provider} />
            <input type="hidden" name="month" value={query.month} />
            <div>
              <label htmlFor={`${ids}-file`} className="block text-sm font-medium">
                {PROVIDER_LABEL[query.provider]} cost export for {query.month}
              </label>
              <input
                id={`${ids}-file`}
                type="file"
                name="file"
                required
                accept={query.provider === 'openai' ? '.json,application/json' : '.csv,.json,text/csv,application/json'}
                aria-invalid={action?.field === 'file' ? true : undefined}
                className="mt-1 block text-sm"
              />
              <p className="mt-1 text-xs text-gray-500">
                {query.provider === 'openai'
                  ? 'The JSON of the organization costs API (GET /v1/organization/costs, group_by=line_item), one or more pages.'
                  : 'The Console cost export (CSV), or the JSON of the cost report API.'}
              </p>
            </div>
            <button
              type="submit"
              disabled={uploading}
              className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-50"
            >
              {uploading ? 'Importing…' : 'Import'}
            </button>
          </Form>
        ) : null}
        {action && !action.ok ? (
          <p role="alert" className="mt-2 text-sm text-red-600" data-testid="reconciliation-error">
            {action.message}
          </p>
        ) : null}
      </Card>

      {report && report.imported ? (
        <>
          <div className="grid gap-4 sm:grid-cols-4">
            <Stat
              label="Capture rate"
              value={report.captureRatePct === null ? '—' : `${report.captureRatePct} %`}
              testId="capture-rate"
            />
            <Stat
              label={`${PROVIDER_LABEL[query.provider]} billed`}
              value={report.providerTotal}
              testId="provider-total"
            />
            <Stat label="Costwise tracked" value={report.trackedTotal} testId="tracked-total" />
            <Stat
              label="Not seen by Costwise"
              value={report.missing}
              testId="missing-total"
              tone={report.missingUsd === '0' ? undefined : 'warn'}
            />
          </div>
          {report.overUsd !== '0' ? (
            <p className="text-sm text-amber-800 dark:text-amber-200">
              Costwise tracked {report.over} more than the provider billed on some days: check custom prices and
              discounts.
            </p>
          ) : null}
          <Card className="p-5">
            <h2 className="text-base font-semibold">By day and model (UTC)</h2>
            <p className="mt-1 text-sm text-gray-600 dark:text-gray-400">
              From {report.imported.fileName ?? 'the export'} imported{' '}
              {formatDateTimeWithZone(report.imported.importedAt, display)}. A positive difference is spend that
              bypassed Costwise (or was priced lower).
            </p>
            <div className="mt-3 overflow-x-auto">
              <table className="w-full text-left" data-testid="reconciliation-table">
                <thead>
                  <tr>
                    <th className={th}>Day</th>
                    <th className={th}>Model</th>
                    <th className={`${th} text-right`}>Billed</th>
                    <th className={`${th} text-right`}>Tracked</th>
                    <th className={`${th} text-right`}>Difference</th>
                  </tr>
                </thead>
                <tbody>
                  {report.rows.map((r) => (
                    <tr
                      key={`${r.day}|${r.model}`}
                      className="border-t border-gray-100 dark:border-gray-800"
                      data-testid="reconciliation-row"
                    >
                      <td className={td}>{r.day}</td>
                      <td className="py-2 pr-4 text-sm">
                        {r.model}
                        {r.unpricedRuns ? (
                          <span className="ml-1 text-xs text-amber-700">({r.unpricedRuns} unpriced)</span>
                        ) : null}
                      </td>
                      <td className={`${td} text-right`}>{r.provider}</td>
                      <td className={`${td} text-right`}>{r.tracked}</td>
                      <td
                        className={`${td} text-right ${r.missing ? 'font-medium text-red-700 dark:text-red-300' : ''}`}
                      >
                        {r.difference}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Card>
        </>
      ) : (
        <Card className="p-5" data-testid="reconciliation-empty">
          <h2 className="text-base font-semibold">
            No export for {PROVIDER_LABEL[query.provider]} in {query.month} yet
          </h2>
          <p className="mt-1 text-sm text-gray-600 dark:text-gray-400">
            Import the provider's cost export for the month to see how much of its bill Costwise tracked, day by day and
            model by model.
            {report
              ? ` Costwise tracked ${report.trackedTotal} of ${PROVIDER_LABEL[query.provider]} usage that month.`
              : ''}
          </p>
        </Card>
      )}

      {imports.length > 0 ? (
        <Card className="p-5">
          <h2 className="text-base font-semibold">Imported exports</h2>
          <ul className="mt-2 text-sm">
            {imports.map((i) => (
              <li key={`${i.provider}-${i.month}`}>
                <a className="text-indigo-600 hover:underline" href={`?provider=${i.provider}&month=${i.month}`}>
                  {PROVIDER_LABEL[i.provider as 'openai'] ?? i.provider} {i.month}
                </a>{' '}
                — {i.total}
                {i.fileName ? ` (${i.fileName})` : ''}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
    </div>
  )
}

function Stat({ label, value, testId, tone }: { label: string; value: string; testId: string; tone?: 'warn' }) {
  return (
    <Card className="p-4">
      <p className="text-sm text-gray-600 dark:text-gray-400">{label}</p>
      <p
        className={`mt-1 text-2xl font-semibold tabular-nums ${tone === 'warn' ? 'text-red-700 dark:text-red-300' : ''}`}
        data-testid={testId}
      >
        {value}
      </p>
    </Card>
  )
}
