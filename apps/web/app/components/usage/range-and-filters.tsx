import { Form, Link, useLocation, useSubmit } from '@remix-run/react'
import { useId, useRef } from 'react'
import { formatDay } from '../../lib/format'
import { USAGE_FEATURES, USAGE_STATUSES } from '@costwise/core/usage-fields'
import {
  FILTER_KEYS,
  RANGE_PRESETS,
  rangeSearch,
  withParams,
  type FilterKey,
  type UsageQuery,
} from '../../lib/usage-filters'
import type { UsageDashboardView } from '../../lib/usage-dashboard-view'
import { buttonPrimary, buttonSecondary, selectClass } from './styles'

const pill =
  'rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-500'

/** Preset ranges as links (so each is a shareable URL) and a custom from/to form. */
export function DateRangeSelector({ query, timeZone, today }: { query: UsageQuery; timeZone: string; today: string }) {
  const { search } = useLocation()
  const id = useId()
  return (
    <div className="flex flex-col gap-3 lg:flex-row lg:items-end lg:justify-between">
      <nav aria-label="Date range">
        <ul className="flex flex-wrap gap-1 rounded-lg bg-gray-100 p-1 dark:bg-gray-800/60">
          {RANGE_PRESETS.map((p) => {
            const current = query.range === p.id
            return (
              <li key={p.id}>
                <Link
                  to={{ search: rangeSearch(search, p.id) }}
                  preventScrollReset
                  aria-current={current ? 'true' : undefined}
                  className={`${pill} block ${
                    current
                      ? 'bg-white text-gray-900 shadow-sm dark:bg-gray-900 dark:text-white'
                      : 'text-gray-600 hover:text-gray-900 dark:text-gray-300 dark:hover:text-white'
                  }`}
                >
                  {p.label}
                </Link>
              </li>
            )
          })}
        </ul>
      </nav>
      <Form method="get" preventScrollReset className="flex flex-wrap items-end gap-2" aria-label="Custom date range">
        {/* Keep the filters; a custom range replaces the preset. */}
        <PreservedParams search={search} drop={['range', 'from', 'to', 'cursor']} />
        <input type="hidden" name="range" value="custom" />
        <div>
          <label htmlFor={`${id}-from`} className="block text-xs font-medium text-gray-700 dark:text-gray-300">
            From
          </label>
          <input
            id={`${id}-from`}
            type="date"
            name="from"
            required
            max={today}
            defaultValue={query.from}
            key={`from-${query.from}`}
            className={`${selectClass} mt-1`}
          />
        </div>
        <div>
          <label htmlFor={`${id}-to`} className="block text-xs font-medium text-gray-700 dark:text-gray-300">
            To
          </label>
          <input
            id={`${id}-to`}
            type="date"
            name="to"
            required
            max={today}
            defaultValue={query.to}
            key={`to-${query.to}`}
            className={`${selectClass} mt-1`}
          />
        </div>
        <button type="submit" className={buttonSecondary}>
          Apply range
        </button>
        <p className="w-full text-xs text-gray-600 dark:text-gray-400 lg:w-auto lg:self-center">
          {formatDay(query.from)} – {formatDay(query.to)} · {timeZone}
        </p>
      </Form>
    </div>
  )
}

function PreservedParams({ search, drop }: { search: string; drop: string[] }) {
  const params = [...new URLSearchParams(search)].filter(([k]) => !drop.includes(k))
  return (
    <>
      {params.map(([k, v], i) => (
        <input key={`${k}-${i}`} type="hidden" name={k} value={v} />
      ))}
    </>
  )
}

const FILTER_LABELS: Record<FilterKey, string> = {
  model: 'Model',
  provider: 'Provider',
  promptId: 'Prompt',
  userId: 'Member',
  apiKeyId: 'API key',
  feature: 'Source',
  status: 'Status',
}

/**
 * Filters as a GET form: choosing a value submits it (the URL changes, so the view can be shared); the
 * Apply button does the same for keyboard users who prefer it. Active filters show as removable chips.
 */
export function FilterBar({ view }: { view: UsageDashboardView }) {
  const { search } = useLocation()
  const submit = useSubmit()
  const id = useId()
  // A choice made with the pointer applies at once; with the keyboard, arrowing through a select would load
  // a page per keystroke, so keyboard users apply with the button.
  const byPointer = useRef(false)
  const { filters } = view.query
  const one = (key: FilterKey) => filters[key][0] ?? ''
  const selects: { key: FilterKey; options: { value: string; label: string }[] }[] = [
    { key: 'model', options: view.options.models.map((m) => ({ value: m, label: m })) },
    { key: 'promptId', options: view.options.prompts.map((p) => ({ value: p.id, label: p.name })) },
    { key: 'userId', options: view.options.users.map((u) => ({ value: u.id, label: u.name })) },
    { key: 'feature', options: USAGE_FEATURES.map((f) => ({ value: f, label: f })) },
    { key: 'status', options: USAGE_STATUSES.map((s) => ({ value: s, label: s })) },
  ]
  const chips = FILTER_KEYS.flatMap((key) =>
    filters[key].map((value) => ({ key, value, label: labelFor(view, key, value) })),
  )
  return (
    <div className="space-y-3">
      <Form
        method="get"
        preventScrollReset
        aria-label="Filters"
        className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6 lg:items-end [&>*]:min-w-0"
        onPointerDown={() => (byPointer.current = true)}
        onKeyDown={() => (byPointer.current = false)}
        onChange={(e) => {
          if (byPointer.current) submit(e.currentTarget, { preventScrollReset: true, replace: true })
        }}
      >
        <PreservedParams search={search} drop={[...selects.map((s) => s.key), 'cursor']} />
        {selects.map(({ key, options }) => (
          <div key={key}>
            <label htmlFor={`${id}-${key}`} className="block text-xs font-medium text-gray-700 dark:text-gray-300">
              {FILTER_LABELS[key]}
            </label>
            <select
              id={`${id}-${key}`}
              name={key}
              defaultValue={one(key)}
              key={`${key}-${one(key)}`}
              className={`${selectClass} mt-1`}
            >
              <option value="">All</option>
              {options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
        ))}
        <div className="flex items-end gap-2">
          <button type="submit" className={buttonPrimary}>
            Apply
          </button>
        </div>
      </Form>
      {chips.length > 0 ? (
        <div className="flex flex-wrap items-center gap-2" data-testid="active-filters">
          <span className="text-xs font-medium text-gray-600 dark:text-gray-400">Filtered by</span>
          {chips.map((c) => (
            <Link
              key={`${c.key}-${c.value}`}
              to={{ search: withParams(search, { [c.key]: filters[c.key].filter((v) => v !== c.value) }) }}
              preventScrollReset
              className="inline-flex items-center gap-1 rounded-full bg-indigo-50 px-2.5 py-1 text-xs font-medium text-indigo-800 hover:bg-indigo-100 dark:bg-indigo-500/15 dark:text-indigo-200"
              aria-label={`Remove filter ${FILTER_LABELS[c.key]}: ${c.label}`}
            >
              {FILTER_LABELS[c.key]}: {c.label} <span aria-hidden="true">×</span>
            </Link>
          ))}
          <Link
            to={{ search: withParams(search, Object.fromEntries(FILTER_KEYS.map((k) => [k, null]))) }}
            preventScrollReset
            className={buttonSecondary}
          >
            Clear filters
          </Link>
        </div>
      ) : null}
    </div>
  )
}

function labelFor(view: UsageDashboardView, key: FilterKey, value: string): string {
  if (key === 'promptId') return view.options.prompts.find((p) => p.id === value)?.name ?? value.slice(0, 8)
  if (key === 'userId') return view.options.users.find((u) => u.id === value)?.name ?? value.slice(0, 8)
  return value
}
