import { Link, useLocation, useNavigate } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'
import type { TopPromptView } from '../../lib/usage-dashboard-view'
import { TOP_SORTS, withParams, type TopSort } from '../../lib/usage-filters'
import { Card } from '../card'
import { buttonSecondary, cardSubtitle, cardTitle, linkClass, td } from './styles'
import { SortTh, TableHead, Th } from '../ui/table-head'

const SORT_LABELS: Record<TopSort, string> = { cost: 'Cost', runs: 'Runs', efficiency: 'Cost per successful run' }

/** The prompts that matter most, sortable by cost, runs or efficiency, each with a details dialog. */
export function TopPrompts({ prompts, sort }: { prompts: TopPromptView[]; sort: TopSort }) {
  const { search } = useLocation()
  const navigate = useNavigate()
  const [open, setOpen] = useState<TopPromptView | null>(null)
  // Cost and runs sort most first; cost per successful run least first.
  const sortHeader = (key: TopSort, label: string) => (
    <SortTh
      key={key}
      label={label}
      numeric
      search={withParams(search, { top: key === 'cost' ? null : key })}
      sorted={sort === key ? (key === 'efficiency' ? 'ascending' : 'descending') : undefined}
      hint={sort === key ? 'sorted' : 'sort by this'}
    />
  )
  return (
    <Card className="p-5" data-testid="top-prompts">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 className={cardTitle} id="top-prompts-title">
            Top prompts
          </h2>
          <p className={cardSubtitle}>
            Sorted by {SORT_LABELS[sort].toLowerCase()}
            {sort === 'efficiency' ? ', cheapest first' : ''}.
          </p>
        </div>
        <label className="text-sm text-gray-700 dark:text-gray-300">
          <span className="sr-only">Sort top prompts by</span>
          <select
            className="rounded-md border border-gray-300 bg-white px-2 py-1 text-sm dark:border-gray-700 dark:bg-gray-900"
            value={sort}
            onChange={(e) => {
              const value = e.currentTarget.value as TopSort
              navigate(
                {
                  search: withParams(search, {
                    top: value === 'cost' ? null : value,
                    cursor: new URLSearchParams(search).get('cursor'),
                  }),
                },
                { preventScrollReset: true },
              )
            }}
            aria-label="Sort top prompts by"
          >
            {TOP_SORTS.map((s) => (
              <option key={s} value={s}>
                {SORT_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {prompts.length === 0 ? (
        <p className="mt-4 text-sm text-gray-600 dark:text-gray-400">No prompt ran in this period.</p>
      ) : (
        <div className="relative mt-4 overflow-x-auto" tabIndex={0} role="region" aria-labelledby="top-prompts-title">
          <table className="min-w-full divide-y divide-gray-200 dark:divide-gray-800">
            <TableHead
              columns={[
                'Prompt',
                sortHeader('cost', 'Cost'),
                sortHeader('runs', 'Runs'),
                sortHeader('efficiency', 'Per successful run'),
                <Th key="score" numeric>
                  <abbr
                    title="Efficiency score, 0–100: cost against the cheapest adequate model, failed runs, cache use, input/output balance"
                    className="no-underline"
                  >
                    Score
                  </abbr>
                </Th>,
                '[Actions]',
              ]}
            />
            <tbody className="divide-y divide-gray-100 dark:divide-gray-800">
              {prompts.map((p) => (
                <tr key={p.id} data-testid="top-prompt-row">
                  <th scope="row" className={`${td} max-w-[14rem] truncate text-left font-medium`}>
                    <Link to={`/lab/${p.id}`} className={linkClass}>
                      {p.name}
                    </Link>
                  </th>
                  <td className={`${td} text-right tabular-nums`}>{p.cost}</td>
                  <td className={`${td} text-right tabular-nums`}>{p.runs}</td>
                  <td className={`${td} text-right tabular-nums`}>{p.efficiency}</td>
                  <td className={`${td} text-right tabular-nums`}>
                    <ScoreBadge score={p.score} parts={p.scoreParts} />
                  </td>
                  <td className={`${td} text-right`}>
                    <button type="button" className={buttonSecondary} onClick={() => setOpen(p)}>
                      Details<span className="sr-only"> of {p.name}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <PromptDetails prompt={open} onClose={() => setOpen(null)} />
    </Card>
  )
}

/** The efficiency score (0–100) with its parts on hover; green from 80, amber from 50, red below. */
export function ScoreBadge({ score, parts }: { score: number | null; parts: string | null }) {
  if (score === null)
    return (
      <span className="text-gray-400" title="Scored at the next recommendation refresh">
        —
      </span>
    )
  const tone =
    score >= 80
      ? 'text-emerald-700 dark:text-emerald-300'
      : score >= 50
        ? 'text-amber-700 dark:text-amber-300'
        : 'text-red-700 dark:text-red-300'
  return (
    <span
      className={`font-semibold ${tone}`}
      data-testid="efficiency-score"
      title={`Efficiency ${score}/100${parts ? `: ${parts}` : ''}`}
    >
      {score}
    </span>
  )
}

/** A modal dialog (native <dialog>: focus moves in, Escape closes, focus returns). */
function PromptDetails({ prompt, onClose }: { prompt: TopPromptView | null; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    if (prompt && !dialog.open) dialog.showModal?.()
    if (!prompt && dialog.open) dialog.close?.()
  }, [prompt])
  const rows: [string, string][] = prompt
    ? [
        ['Cost', prompt.cost],
        ['Share of period cost', prompt.share],
        ['Runs', prompt.runs],
        ['Successful runs', prompt.okRuns],
        ['Failed runs', prompt.errors],
        ['Cost per run', prompt.avgCostPerRun],
        ['Cost per successful run', prompt.efficiency],
        ['Efficiency score', prompt.score === null ? 'not scored yet' : `${prompt.score}/100`],
        ...(prompt.scoreParts ? ([['Score parts', prompt.scoreParts]] as [string, string][]) : []),
        ['Input tokens', prompt.inputTokens],
        ['Output tokens', prompt.outputTokens],
        ['Average latency', prompt.avgLatency],
      ]
    : []
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-labelledby="prompt-details-title"
      className="w-[min(32rem,calc(100vw-2rem))] rounded-xl border border-gray-200 bg-white p-0 text-gray-900 shadow-xl backdrop:bg-gray-900/50 dark:border-gray-700 dark:bg-gray-900 dark:text-gray-100"
    >
      {prompt ? (
        <div className="p-6" data-testid="prompt-details">
          <h2 id="prompt-details-title" className="text-lg font-semibold">
            {prompt.name}
          </h2>
          <dl className="mt-4 grid grid-cols-2 gap-x-4 gap-y-2 text-sm">
            {rows.map(([k, v]) => (
              <div key={k} className="contents">
                <dt className="text-gray-600 dark:text-gray-400">{k}</dt>
                <dd className="text-right font-medium tabular-nums">{v}</dd>
              </div>
            ))}
          </dl>
          <div className="mt-6 flex justify-end gap-2">
            <button type="button" className={buttonSecondary} onClick={onClose}>
              Close
            </button>
            <Link
              to={`/lab/${prompt.id}`}
              className="inline-flex items-center rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-indigo-500"
            >
              Open in the Prompt Lab
            </Link>
          </div>
        </div>
      ) : null}
    </dialog>
  )
}
