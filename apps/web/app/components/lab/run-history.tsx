import { formatUsd, usdToNano } from '@costwise/core'
import type { RouterOutputs } from '../../lib/api-types'
import { formatCount, formatDateTime, formatTimeZone } from '../../lib/format'
import { useTimeDisplay } from '../../lib/use-time-display'
import { Card } from '../card'

/** A run as the history shows it (from `lab.runs`). */
export type RunRow = Pick<
  RouterOutputs['lab']['runs'][number],
  'id' | 'model' | 'status' | 'inputTokens' | 'outputTokens' | 'costUsd' | 'latencyMs' | 'createdAt'
>

const statusStyle = {
  ok: 'text-emerald-700 dark:text-emerald-300',
  error: 'text-red-700 dark:text-red-300',
  blocked: 'text-amber-700 dark:text-amber-300',
} as const

/** A prompt's recent runs, newest first. */
export function RunHistory({ runs }: { runs: RunRow[] }) {
  const display = useTimeDisplay()
  return (
    <Card className="p-4" data-testid="run-history">
      <h2 className="text-sm font-medium text-gray-900 dark:text-gray-50">Run history</h2>
      {runs.length === 0 ? (
        <p className="mt-2 text-sm text-gray-600 dark:text-gray-400">No runs of this prompt yet.</p>
      ) : (
        <div className="mt-2 overflow-x-auto" tabIndex={0} role="region" aria-label="Run history table">
          <table className="w-full text-left text-xs">
            <thead className="text-gray-500">
              <tr>
                <th className="py-1 pr-2 font-medium">When ({formatTimeZone(display.timeZone)})</th>
                <th className="py-1 pr-2 font-medium">Model</th>
                <th className="py-1 pr-2 font-medium">Status</th>
                <th className="py-1 pr-2 text-right font-medium">Tokens in / out</th>
                <th className="py-1 pr-2 text-right font-medium">Cost</th>
                <th className="py-1 text-right font-medium">Latency</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id} className="border-t border-gray-100 dark:border-gray-800">
                  <td className="py-1 pr-2 tabular-nums">{formatDateTime(r.createdAt, display, 'datetime-seconds')}</td>
                  <td className="py-1 pr-2">{r.model}</td>
                  <td className={`py-1 pr-2 font-medium ${statusStyle[r.status]}`}>{r.status}</td>
                  <td className="py-1 pr-2 text-right tabular-nums">
                    {formatCount(r.inputTokens)} / {formatCount(r.outputTokens)}
                  </td>
                  <td className="py-1 pr-2 text-right tabular-nums">{formatUsd(usdToNano(r.costUsd))}</td>
                  <td className="py-1 text-right tabular-nums">{r.latencyMs === null ? '—' : `${r.latencyMs} ms`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  )
}
