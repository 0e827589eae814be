import { Link, useActionData, useFetcher } from '@remix-run/react'
import { useEffect, useState } from 'react'
import type { AlertStatusFilter, AlertView } from '../alerts.server'
import { EmptyState } from './empty-state'
import { BellIcon } from './icons'
import { PageHeader } from './page-header'
import { buttonDanger, buttonSecondary, linkClass } from './usage/styles'

const LEVEL: Record<AlertView['level'], { label: string; tone: string }> = {
  info: {
    label: 'Info',
    tone: 'bg-blue-50 text-blue-800 ring-blue-200 dark:bg-blue-500/15 dark:text-blue-200 dark:ring-blue-500/30',
  },
  warning: {
    label: 'Warning',
    tone: 'bg-amber-50 text-amber-900 ring-amber-200 dark:bg-amber-500/15 dark:text-amber-200 dark:ring-amber-500/30',
  },
  critical: {
    label: 'Critical',
    tone: 'bg-red-50 text-red-800 ring-red-200 dark:bg-red-500/15 dark:text-red-200 dark:ring-red-500/30',
  },
}
const TABS: { id: AlertStatusFilter; label: string }[] = [
  { id: 'active', label: 'Active' },
  { id: 'unread', label: 'Unread' },
  { id: 'all', label: 'All, with dismissed' },
]

type ActionData = { ok: true; message: string } | { ok: false; error: string }

/** Alerts newest first, with single and bulk acknowledge/dismiss; the header's count follows on revalidation. */
export function AlertsList({
  alerts,
  status,
  nextCursor,
  cursor,
}: {
  alerts: AlertView[]
  status: AlertStatusFilter
  nextCursor: string | null
  cursor: string | null
}) {
  const fetcher = useFetcher<ActionData>()
  // Before the page has hydrated (or without JavaScript) the form posts normally; its answer comes back here.
  const posted = useActionData<ActionData>()
  const result = fetcher.data ?? posted
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const busy = fetcher.state !== 'idle'
  const actionable = alerts.filter((a) => a.state !== 'dismissed')
  // Forget selections of alerts that left the list.
  useEffect(() => {
    setSelected((s) => new Set([...s].filter((id) => alerts.some((a) => a.id === id))))
  }, [alerts])
  const allChecked = actionable.length > 0 && actionable.every((a) => selected.has(a.id))
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s)
      if (next.has(id)) next.delete(id)
      else next.add(id)
      return next
    })
  return (
    <>
      <PageHeader
        title="Alerts"
        description="Budget thresholds crossed, budgets forecast to run out, and unusual spikes in spending, newest first."
        actions={
          <Link to="/dashboard/alert-routing" className={linkClass}>
            Routing and channels
          </Link>
        }
      />
      <nav aria-label="Alert status" className="mb-4">
        <ul className="flex flex-wrap gap-1 rounded-lg bg-gray-100 p-1 dark:bg-gray-800/60 sm:inline-flex">
          {TABS.map((t) => (
            <li key={t.id}>
              <Link
                to={t.id === 'active' ? '?' : `?status=${t.id}`}
                aria-current={status === t.id ? 'page' : undefined}
                className={`block rounded-md px-3 py-1.5 text-sm font-medium ${
                  status === t.id
                    ? 'bg-white text-gray-900 shadow-sm dark:bg-gray-900 dark:text-white'
                    : 'text-gray-600 dark:text-gray-300'
                }`}
              >
                {t.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {/* Outside the list: the answer stays on screen when the change empties the list (e.g. the last unread). */}
      <p
        role="status"
        className="mb-3 min-h-[1.25rem] text-sm text-gray-700 dark:text-gray-300"
        data-testid="alerts-status"
      >
        {busy ? 'Saving…' : result ? ('message' in result ? result.message : result.error) : ''}
      </p>
      {alerts.length === 0 ? (
        <EmptyState
          testId="alerts-empty"
          title={status === 'unread' ? 'Nothing unread' : 'No alerts'}
          icon={<BellIcon className="h-6 w-6" />}
          action={
            <Link to="/dashboard/budget-settings" className={linkClass}>
              Review your budgets <span aria-hidden="true">→</span>
            </Link>
          }
        >
          <p>
            An alert is raised when spending crosses one of a budget’s thresholds — 50%, 80% and 100% unless you choose
            others —, when a budget is forecast to run out before its period ends, and when an hour or a day costs far
            more than usual. Each is emailed to the team’s admins.
          </p>
        </EmptyState>
      ) : (
        <fetcher.Form method="post" aria-label="Alerts">
          <div className="mb-3 flex flex-wrap items-center gap-3" role="toolbar" aria-label="Bulk actions">
            <label className="flex items-center gap-2 text-sm text-gray-700 dark:text-gray-300">
              <input
                type="checkbox"
                className="h-4 w-4 rounded border-gray-300 text-indigo-600 focus:ring-indigo-500"
                checked={allChecked}
                disabled={actionable.length === 0}
                onChange={() => setSelected(allChecked ? new Set() : new Set(actionable.map((a) => a.id)))}
              />
              Select all
            </label>
            <button
              type="submit"
              name="intent"
              value="acknowledge"
              disabled={busy || selected.size === 0}
              className={buttonSecondary}
            >
              Acknowledge selected{selected.size ? ` (${selected.size})` : ''}
            </button>
            <button
              type="submit"
              name="intent"
              value="dismiss"
              disabled={busy || selected.size === 0}
              className={buttonDanger}
            >
              Dismiss selected{selected.size ? ` (${selected.size})` : ''}
            </button>
          </div>
          <ul className="divide-y divide-gray-200 overflow-hidden rounded-xl border border-gray-200 bg-white dark:divide-gray-800 dark:border-gray-800 dark:bg-gray-900/40">
            {alerts.map((a) => {
              const level = LEVEL[a.level]
              const checkboxId = `alert-${a.id}`
              return (
                <li
                  key={a.id}
                  className="flex flex-col gap-3 p-4 sm:flex-row sm:items-center"
                  data-testid="alert-row"
                  data-state={a.state}
                >
                  <div className="flex min-w-0 flex-1 items-start gap-3">
                    <input
                      id={checkboxId}
                      type="checkbox"
                      name="ids"
                      value={a.id}
                      checked={selected.has(a.id)}
                      disabled={a.state === 'dismissed'}
                      onChange={() => toggle(a.id)}
                      className="mt-1 h-4 w-4 rounded border-gray-300 text-indigo-600 focus:ring-indigo-500"
                    />
                    <div className="min-w-0">
                      <label
                        htmlFor={checkboxId}
                        className="block text-sm font-medium text-gray-900 dark:text-gray-100"
                      >
                        <span
                          className={`mr-2 inline-flex rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset ${level.tone}`}
                        >
                          {level.label}
                        </span>
                        {a.title}
                      </label>
                      <p className="mt-1 text-sm text-gray-600 dark:text-gray-400">
                        {a.detail} · <time dateTime={a.createdAt}>{a.when}</time> ·{' '}
                        <span data-testid="alert-state">
                          {a.state === 'unread' ? <strong className="font-semibold">Unread</strong> : a.state}
                        </span>
                        {a.link ? (
                          <>
                            {' · '}
                            <Link to={a.link.to} className={linkClass}>
                              {a.link.label}
                            </Link>
                          </>
                        ) : null}
                      </p>
                    </div>
                  </div>
                  {a.state !== 'dismissed' ? (
                    <div className="flex gap-2 sm:shrink-0">
                      {a.state !== 'acknowledged' ? (
                        <button
                          type="submit"
                          name="intent"
                          value={`acknowledge:${a.id}`}
                          disabled={busy}
                          className={buttonSecondary}
                        >
                          Acknowledge<span className="sr-only"> alert: {a.title}</span>
                        </button>
                      ) : null}
                      <button
                        type="submit"
                        name="intent"
                        value={`dismiss:${a.id}`}
                        disabled={busy}
                        className={buttonDanger}
                      >
                        Dismiss<span className="sr-only"> alert: {a.title}</span>
                      </button>
                    </div>
                  ) : null}
                </li>
              )
            })}
          </ul>
          <nav aria-label="Alert pages" className="mt-4 flex justify-between">
            {cursor ? (
              <Link to={status === 'active' ? '?' : `?status=${status}`} className={buttonSecondary}>
                First page
              </Link>
            ) : (
              <span />
            )}
            {nextCursor ? (
              <Link
                to={`?${new URLSearchParams({ ...(status === 'active' ? {} : { status }), cursor: nextCursor })}`}
                className={buttonSecondary}
              >
                Older alerts
              </Link>
            ) : null}
          </nav>
        </fetcher.Form>
      )}
    </>
  )
}
