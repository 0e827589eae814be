import { Form, Link, useActionData, useLocation, useNavigate, useNavigation } from '@remix-run/react'
import { useEffect, useId, useRef } from 'react'
import type { BreakdownView, RequestDetailView, SavedViewView, WhatChangedView } from '../../lib/usage-dashboard-view'
import { BREAKDOWN_BYS, withParams, type BreakdownBy } from '../../lib/usage-filters'
import { Card } from '../card'
import { ActionNotice, type Answer } from '../team/action-notice'
import { CostBars } from './charts'
import { buttonSecondary, cardSubtitle, cardTitle, linkClass, selectClass, td } from './styles'
import { TableHead, figures } from '../ui/table-head'

// Analytics that explain: who and what spent (breakdown), against the previous period (what changed), named
// filter sets (saved views), and one request in full (the drawer).

const BY_LABELS: Record<BreakdownBy, string> = { member: 'Member', apiKey: 'API key', feature: 'Feature', tag: 'Tag' }

/** Cost by member, API key, feature or tag value: bars and a table whose lines add up to the total. */
export function BreakdownCard({ breakdown, loading }: { breakdown: BreakdownView; loading?: boolean }) {
  const { search } = useLocation()
  const navigate = useNavigate()
  const id = useId()
  const top = breakdown.lines.slice(0, 10).map((l) => ({ ...l, Cost: l.costValue }))
  const title = `Cost by ${BY_LABELS[breakdown.by].toLowerCase()}${breakdown.by === 'tag' && breakdown.tagKey ? ` (${breakdown.tagKey})` : ''}`
  return (
    <Card className="p-5" data-testid="breakdown">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 className={cardTitle} id={`${id}-title`}>
            {title}
          </h2>
          <p className={cardSubtitle}>
            Who and what spent in this view; the lines add up to {breakdown.total}. Choose one to filter the page to it.
          </p>
        </div>
        <nav
          aria-label="Break down by"
          className="flex flex-wrap gap-1 rounded-lg bg-gray-100 p-1 text-sm dark:bg-gray-800/60"
        >
          {BREAKDOWN_BYS.map((by) => (
            <Link
              key={by}
              to={{
                search: withParams(search, {
                  by: by === 'member' ? null : by,
                  tagKey: null,
                  cursor: new URLSearchParams(search).get('cursor'),
                }),
              }}
              preventScrollReset
              aria-current={breakdown.by === by ? 'true' : undefined}
              className={`rounded-md px-2.5 py-1 font-medium ${
                breakdown.by === by
                  ? 'bg-white text-gray-900 shadow-sm dark:bg-gray-900 dark:text-white'
                  : 'text-gray-600 dark:text-gray-300'
              }`}
            >
              {BY_LABELS[by]}
            </Link>
          ))}
        </nav>
      </div>
      {breakdown.by === 'tag' && breakdown.tagKeys.length > 0 ? (
        <div className="mt-3 max-w-xs">
          <label htmlFor={`${id}-tagkey`} className="block text-xs font-medium text-gray-700 dark:text-gray-300">
            Tag key
          </label>
          <select
            id={`${id}-tagkey`}
            className={`${selectClass} mt-1`}
            value={breakdown.tagKey ?? ''}
            onChange={(e) =>
              navigate({ search: withParams(search, { tagKey: e.target.value }) }, { preventScrollReset: true })
            }
          >
            {breakdown.tagKeys.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {breakdown.lines.length === 0 ? (
        <p className="mt-4 text-sm text-gray-600 dark:text-gray-400" data-testid="breakdown-empty">
          {breakdown.by === 'tag'
            ? 'No tags were recorded in this view. Send `tags` with track to break usage down by them.'
            : 'No usage in this view.'}
        </p>
      ) : (
        <>
          <CostBars
            label={title}
            height="h-56"
            loading={loading}
            testId="breakdown-bars"
            data={top}
            index="label"
            color="violet"
            onPick={(row: (typeof top)[number]) => {
              if (row.href) navigate({ search: row.href }, { preventScrollReset: true })
            }}
          />
          <div className="relative mt-4 overflow-x-auto" tabIndex={0} role="region" aria-labelledby={`${id}-title`}>
            <table className="min-w-full divide-y divide-gray-200 dark:divide-gray-800">
              <TableHead
                columns={[BY_LABELS[breakdown.by], ...['Cost', 'Share', 'Runs', 'Errors', 'Tokens'].map(figures)]}
              />
              <tbody className="divide-y divide-gray-100 dark:divide-gray-800">
                {breakdown.lines.map((l) => (
                  <tr key={`${l.key}-${l.label}`} data-testid="breakdown-row">
                    <th scope="row" className={`${td} max-w-[14rem] truncate text-left font-medium`}>
                      {l.href ? (
                        <Link to={{ search: l.href }} preventScrollReset className={linkClass}>
                          {l.label}
                        </Link>
                      ) : (
                        <span className="text-gray-600 dark:text-gray-400">{l.label}</span>
                      )}
                    </th>
                    <td className={`${td} text-right tabular-nums`} data-testid="breakdown-cost">
                      {l.cost}
                    </td>
                    <td className={`${td} text-right tabular-nums`}>{l.share}</td>
                    <td className={`${td} text-right tabular-nums`}>{l.runs}</td>
                    <td className={`${td} text-right tabular-nums`}>{l.errors}</td>
                    <td className={`${td} text-right tabular-nums`}>{l.tokens}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row" className={`${td} text-left font-semibold`}>
                    Total
                  </th>
                  <td className={`${td} text-right font-semibold tabular-nums`} data-testid="breakdown-total">
                    {breakdown.total}
                  </td>
                  <td colSpan={4} />
                </tr>
              </tfoot>
            </table>
          </div>
        </>
      )}
    </Card>
  )
}

const TONE = {
  up: 'text-red-700 dark:text-red-300',
  down: 'text-emerald-700 dark:text-emerald-300',
  new: 'text-amber-800 dark:text-amber-200',
  flat: 'text-gray-600 dark:text-gray-400',
} as const

/** The change against the previous period of the same length, and what moved it most per dimension. */
export function WhatChangedCard({ changed }: { changed: WhatChangedView }) {
  const withMoves = changed.dimensions.filter((d) => d.contributors.length > 0)
  return (
    <Card className="p-5" data-testid="what-changed">
      <h2 className={cardTitle}>What changed</h2>
      <p className={cardSubtitle}>
        {changed.cost} against {changed.previousCost} in the previous period ({changed.previousRange}):{' '}
        <span className={`font-semibold ${TONE[changed.direction]}`}>
          {changed.delta} ({changed.change})
        </span>
        . The biggest moves:
      </p>
      {withMoves.length === 0 ? (
        <p className="mt-4 text-sm text-gray-600 dark:text-gray-400">
          Nothing moved: every group cost the same in both periods.
        </p>
      ) : (
        <div className="mt-4 grid grid-cols-1 gap-4 md:grid-cols-2 xl:grid-cols-3 [&>*]:min-w-0">
          {withMoves.map((d) => (
            <section key={d.by} aria-label={`What changed by ${d.title.toLowerCase()}`}>
              <h3 className="text-sm font-semibold text-gray-900 dark:text-gray-100">{d.title}</h3>
              <ul className="mt-1 divide-y divide-gray-100 text-sm dark:divide-gray-800">
                {d.contributors.map((c) => (
                  <li
                    key={c.label}
                    className="flex items-baseline justify-between gap-3 py-1.5"
                    data-testid="contributor"
                  >
                    <span className="min-w-0 truncate" title={`${c.previousCost} → ${c.cost}`}>
                      {c.label}
                    </span>
                    <span className={`shrink-0 tabular-nums ${TONE[c.direction]}`}>
                      {c.delta} <span className="text-xs">({c.change})</span>
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </div>
      )}
    </Card>
  )
}

/** Named filter sets of the team: open one (its URL), save this view under a name, delete one. */
export function SavedViews({
  views,
  currentSearch,
  canSave,
}: {
  views: SavedViewView[]
  currentSearch: string
  canSave: boolean
}) {
  const { pathname } = useLocation()
  const navigation = useNavigation()
  const id = useId()
  const busy = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'save-view'
  // The answer to a save or delete: a refusal (a duplicate name past the limit, a bad name) says why.
  const answer = useActionData<Answer>()
  const viewAnswer = answer?.intent === 'save-view' || answer?.intent === 'delete-view' ? answer : undefined
  return (
    <div className="flex flex-wrap items-end gap-3" data-testid="saved-views">
      <div className="w-full empty:hidden">
        <ActionNotice answer={viewAnswer} testId="saved-view-notice" />
      </div>
      <nav aria-label="Saved views" className="min-w-0">
        <p className="text-xs font-medium text-gray-700 dark:text-gray-300">Saved views</p>
        {views.length === 0 ? (
          <p className="mt-1 text-sm text-gray-600 dark:text-gray-400">
            None yet: set the range and filters, then save them under a name.
          </p>
        ) : (
          <ul className="mt-1 flex flex-wrap gap-2">
            {views.map((v) => (
              <li
                key={v.id}
                className="inline-flex items-center gap-1 rounded-full border border-gray-200 pl-3 text-sm dark:border-gray-700"
              >
                <Link
                  to={`${pathname}${v.search}`}
                  aria-current={v.current ? 'page' : undefined}
                  className={`${linkClass} ${v.current ? 'underline' : ''}`}
                >
                  {v.name}
                </Link>
                {canSave ? (
                  <Form method="post" preventScrollReset>
                    <input type="hidden" name="intent" value="delete-view" />
                    <input type="hidden" name="id" value={v.id} />
                    <button
                      type="submit"
                      className="rounded-full px-2 py-1 text-gray-500 hover:text-red-700"
                      aria-label={`Delete saved view ${v.name}`}
                    >
                      <span aria-hidden="true">×</span>
                    </button>
                  </Form>
                ) : (
                  <span className="pr-2" />
                )}
              </li>
            ))}
          </ul>
        )}
      </nav>
      {canSave ? (
        <Form method="post" preventScrollReset className="flex items-end gap-2" aria-label="Save this view">
          <input type="hidden" name="intent" value="save-view" />
          <input type="hidden" name="query" value={currentSearch} />
          <div>
            <label htmlFor={`${id}-name`} className="block text-xs font-medium text-gray-700 dark:text-gray-300">
              View name
            </label>
            <input
              id={`${id}-name`}
              name="name"
              required
              maxLength={80}
              className={`${selectClass} mt-1`}
              placeholder="Prod search, last 7 days"
            />
          </div>
          <button type="submit" className={buttonSecondary} disabled={busy}>
            {busy ? 'Saving…' : 'Save view'}
          </button>
        </Form>
      ) : null}
    </div>
  )
}

/**
 * One usage row in full, in a native modal `<dialog>` (focus stays inside, Esc closes): every field, its tags,
 * the price version and the cost as tokens × price per 1M tokens. Its URL (`?row=`) can be shared.
 */
export function RequestDrawer({ detail }: { detail: RequestDetailView }) {
  const ref = useRef<HTMLDialogElement>(null)
  const { search } = useLocation()
  const navigate = useNavigate()
  const id = useId()
  const close = () =>
    navigate(
      { search: withParams(search, { row: null, cursor: new URLSearchParams(search).get('cursor') }) },
      { preventScrollReset: true, replace: true },
    )
  useEffect(() => {
    const dialog = ref.current
    if (dialog && !dialog.open) dialog.showModal()
  }, [detail.id])
  return (
    <dialog
      ref={ref}
      aria-labelledby={`${id}-title`}
      data-testid="request-drawer"
      onClose={close}
      className="m-0 ml-auto h-full max-h-none w-full max-w-xl overflow-y-auto bg-white p-0 text-gray-900 shadow-xl backdrop:bg-gray-900/40 dark:bg-gray-900 dark:text-gray-100"
    >
      <div className="flex items-start justify-between gap-3 border-b border-gray-200 p-5 dark:border-gray-800">
        <div className="min-w-0">
          <p className="text-xs font-medium uppercase tracking-wide text-gray-500">Request</p>
          <h2 id={`${id}-title`} className="break-words text-lg font-semibold">
            {detail.title}
          </h2>
        </div>
        <button type="button" onClick={() => ref.current?.close()} className={buttonSecondary}>
          Close
        </button>
      </div>
      {!detail.found ? (
        <p className="p-5 text-sm">This request is not in your team (or no longer exists).</p>
      ) : (
        <div className="space-y-6 p-5">
          <section aria-labelledby={`${id}-cost`}>
            <h3 id={`${id}-cost`} className="text-sm font-semibold">
              Cost: <span data-testid="drawer-total">{detail.total}</span>
            </h3>
            {detail.lines.length > 0 ? (
              <div className="mt-2 overflow-x-auto">
                <table
                  className="min-w-full divide-y divide-gray-200 text-sm dark:divide-gray-800"
                  data-testid="drawer-breakdown"
                >
                  <TableHead columns={['Part', ...['Tokens', 'Price', 'Cost'].map(figures)]} />
                  <tbody className="divide-y divide-gray-100 dark:divide-gray-800">
                    {detail.lines.map((l) => (
                      <tr key={l.part}>
                        <th scope="row" className={`${td} text-left font-normal`}>
                          {l.part}
                        </th>
                        <td className={`${td} text-right tabular-nums`}>{l.tokens}</td>
                        <td className={`${td} text-right tabular-nums`}>{l.unitPrice}</td>
                        <td className={`${td} text-right tabular-nums`}>{l.cost}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : null}
            {detail.priceNote ? (
              <p className="mt-2 text-sm text-amber-800 dark:text-amber-200">{detail.priceNote}</p>
            ) : null}
          </section>
          <section aria-labelledby={`${id}-fields`}>
            <h3 id={`${id}-fields`} className="text-sm font-semibold">
              Fields
            </h3>
            <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="drawer-fields">
              {detail.fields.map((f) => (
                <div key={f.label} className="contents">
                  <dt className="text-gray-600 dark:text-gray-400">{f.label}</dt>
                  <dd className="min-w-0 break-all">{f.value}</dd>
                </div>
              ))}
            </dl>
          </section>
          <section aria-labelledby={`${id}-tags`}>
            <h3 id={`${id}-tags`} className="text-sm font-semibold">
              Tags
            </h3>
            {detail.tags.length === 0 ? (
              <p className="mt-1 text-sm text-gray-600 dark:text-gray-400">No tags.</p>
            ) : (
              <ul className="mt-2 flex flex-wrap gap-2" data-testid="drawer-tags">
                {detail.tags.map((t) => (
                  <li key={t.key} className="rounded-full bg-gray-100 px-2.5 py-1 text-xs dark:bg-gray-800">
                    {t.key}: {t.value}
                  </li>
                ))}
              </ul>
            )}
          </section>
          {detail.metadata ? (
            <section aria-labelledby={`${id}-meta`}>
              <h3 id={`${id}-meta`} className="text-sm font-semibold">
                Metadata
              </h3>
              <pre className="mt-2 overflow-x-auto rounded-md bg-gray-50 p-3 text-xs dark:bg-gray-800">
                {detail.metadata}
              </pre>
            </section>
          ) : null}
        </div>
      )}
    </dialog>
  )
}
