import { Form, Link, useLocation, useNavigate } from '@remix-run/react'
import { useId, useState } from 'react'
import { formatDay } from '../../lib/format'
import { USAGE_STATUSES } from '@costwise/core/usage-fields'
import {
  FILTER_KEYS,
  RANGE_PRESETS,
  cleanUsageSearch,
  withParams,
  type FilterKey,
  type UsageQuery,
} from '../../lib/usage-filters'
import type { UsageDashboardView } from '../../lib/usage-dashboard-view'
import { buttonPrimary, buttonSecondary, selectClass } from './styles'

/** The range as the filter form's first fields: a preset, or a custom from/to (one Apply for everything). */
function RangeFields({
  query,
  timeZone,
  today,
  id,
}: {
  query: UsageQuery
  timeZone: string
  today: string
  id: string
}) {
  const [choice, setChoice] = useState<string>(query.range)
  return (
    <>
      <div>
        <label htmlFor={`${id}-range`} className="block text-xs font-medium text-gray-700 dark:text-gray-300">
          Range
        </label>
        <select
          id={`${id}-range`}
          name="range"
          value={choice}
          onChange={(e) => setChoice(e.target.value)}
          className={`${selectClass} mt-1`}
        >
          {RANGE_PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
          <option value="custom">Custom…</option>
        </select>
      </div>
      {(['from', 'to'] as const).map((edge) => (
        <div key={edge}>
          <label htmlFor={`${id}-${edge}`} className="block text-xs font-medium text-gray-700 dark:text-gray-300">
            {edge === 'from' ? 'From' : 'To'}
          </label>
          <input
            id={`${id}-${edge}`}
            type="date"
            name={edge}
            max={today}
            defaultValue={query[edge]}
            key={`${edge}-${query[edge]}`}
            // Choosing a day makes the range custom; a preset ignores the days.
            onChange={() => setChoice('custom')}
            aria-describedby={`${id}-zone`}
            className={`${selectClass} mt-1`}
          />
        </div>
      ))}
      <p id={`${id}-zone`} className="col-span-full text-xs text-gray-600 dark:text-gray-400">
        {formatDay(query.from)} – {formatDay(query.to)} · {timeZone}
      </p>
    </>
  )
}

function PreservedParams({ search, keep, drop }: { search: string; keep?: string[]; drop?: string[] }) {
  const params = [...new URLSearchParams(search)].filter(([k]) => (keep ? keep.includes(k) : !drop?.includes(k)))
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
  feature: 'Feature',
  status: 'Status',
  tag: 'Tag',
}

/** The params the usage page's filter form does not show but keeps (views of the cards and the history's sort). */
const KEPT_PARAMS = ['trend', 'top', 'by', 'tagKey', 'hsort', 'hdir']

/** What the filter bar shows: the range, the filters in the URL and the choices for each. */
export type FilterBarView = Pick<UsageDashboardView, 'query' | 'timeZone' | 'today' | 'options'>

/**
 * Range and filters as one GET form with one Apply: nothing changes until Apply, and the URL it leads to
 * carries only the values chosen (empty fields dropped), so the view can be shared. Active filters show as
 * removable chips.
 */
export function FilterBar({
  view,
  keep = KEPT_PARAMS,
}: {
  view: FilterBarView
  /** Params of the page's own views (sorting, cards) that applying filters keeps. */
  keep?: string[]
}) {
  const { search, pathname } = useLocation()
  const navigate = useNavigate()
  const id = useId()
  const { filters } = view.query
  const one = (key: FilterKey) => filters[key][0] ?? ''
  const selects: { key: FilterKey; options: { value: string; label: string }[] }[] = [
    { key: 'model', options: view.options.models.map((m) => ({ value: m, label: m })) },
    { key: 'promptId', options: view.options.prompts.map((p) => ({ value: p.id, label: p.name })) },
    { key: 'userId', options: view.options.users.map((u) => ({ value: u.id, label: u.name })) },
    { key: 'apiKeyId', options: view.options.apiKeys.map((k) => ({ value: k.id, label: k.name })) },
    { key: 'feature', options: view.options.features.map((f) => ({ value: f, label: f })) },
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
        onSubmit={(e) => {
          // The same URL the server would redirect to, without the round trip.
          e.preventDefault()
          const params = new URLSearchParams(new FormData(e.currentTarget) as unknown as Record<string, string>)
          const clean = cleanUsageSearch(params)
          navigate({ pathname, search: clean ?? `?${params}` }, { preventScrollReset: true })
        }}
      >
        <PreservedParams search={search} keep={keep} />
        <RangeFields query={view.query} timeZone={view.timeZone} today={view.today} id={id} />
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
        <div>
          <label htmlFor={`${id}-tag`} className="block text-xs font-medium text-gray-700 dark:text-gray-300">
            Tag
          </label>
          <input
            id={`${id}-tag`}
            name="tag"
            defaultValue={filters.tag.join(',')}
            key={`tag-${filters.tag.join(',')}`}
            placeholder="env:prod"
            pattern="[A-Za-z0-9][A-Za-z0-9._\-]{0,39}:[^,]{1,100}(,[A-Za-z0-9][A-Za-z0-9._\-]{0,39}:[^,]{1,100})*"
            title="key:value, several comma-separated (e.g. env:prod,customer:acme)"
            className={`${selectClass} mt-1`}
          />
        </div>
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

function labelFor(view: FilterBarView, key: FilterKey, value: string): string {
  if (key === 'promptId') return view.options.prompts.find((p) => p.id === value)?.name ?? value.slice(0, 8)
  if (key === 'userId') return view.options.users.find((u) => u.id === value)?.name ?? value.slice(0, 8)
  if (key === 'apiKeyId') return view.options.apiKeys.find((k) => k.id === value)?.name ?? value.slice(0, 8)
  return value
}
