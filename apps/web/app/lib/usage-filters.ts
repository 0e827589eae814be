// The usage page's view lives in the URL: date range, filters, sorting and the history page. These helpers
// read and write those search params; they are pure (calendar-day arithmetic only, no time zones), so the
// server resolves "today" in the team's zone once and everything else follows from it.

export const RANGE_PRESETS = [
  { id: '7d', label: 'Last 7 days' },
  { id: '30d', label: 'Last 30 days' },
  { id: '90d', label: 'Last 90 days' },
  { id: 'this-month', label: 'This month' },
  { id: 'last-month', label: 'Last month' },
] as const
export type RangePreset = (typeof RANGE_PRESETS)[number]['id']
export type RangeChoice = RangePreset | 'custom'

export const FILTER_KEYS = ['model', 'provider', 'promptId', 'userId', 'apiKeyId', 'feature', 'status'] as const
export type FilterKey = (typeof FILTER_KEYS)[number]
export type Filters = Record<FilterKey, string[]>

export const STATUSES = ['ok', 'error', 'blocked'] as const
export const FEATURES = ['lab', 'preview', 'improve', 'api', 'other'] as const
export const TOP_SORTS = ['cost', 'runs', 'efficiency'] as const
export type TopSort = (typeof TOP_SORTS)[number]
export const HISTORY_SORTS = ['occurredAt', 'costUsd'] as const
export type HistorySort = (typeof HISTORY_SORTS)[number]

/** The longest range the analytics procedures accept. */
export const MAX_RANGE_DAYS = 366
const DEFAULT_PRESET: RangePreset = '30d'
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export interface UsageQuery {
  range: RangeChoice
  from: string
  to: string
  filters: Filters
  trend: 'day' | 'week'
  top: TopSort
  historySort: HistorySort
  historyDirection: 'asc' | 'desc'
  cursor: string | null
  /** Why the URL's range was not used as written, if it wasn't. */
  rangeError: string | null
}

function toUtc(day: string): number {
  const [y, m, d] = day.split('-').map(Number)
  return Date.UTC(y!, m! - 1, d!)
}

function fromUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

/** Whether a string is a real calendar day written YYYY-MM-DD. */
export function isIsoDay(value: string | null | undefined): value is string {
  if (!value || !ISO_DAY.test(value)) return false
  return fromUtc(toUtc(value)) === value
}

/** `addDays("2025-03-01", -1)` → `"2025-02-28"`. */
export function addDays(day: string, days: number): string {
  return fromUtc(toUtc(day) + days * 86_400_000)
}

/** Days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(to) - toUtc(from)) / 86_400_000) + 1
}

/** The local calendar day of an instant in a time zone, YYYY-MM-DD. */
export function todayIn(timeZone: string, now = new Date()): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}

/** The [from, to] days of a preset, counted back from `today` (the team's local day). */
export function presetRange(preset: RangePreset, today: string): { from: string; to: string } {
  switch (preset) {
    case '7d':
      return { from: addDays(today, -6), to: today }
    case '30d':
      return { from: addDays(today, -29), to: today }
    case '90d':
      return { from: addDays(today, -89), to: today }
    case 'this-month':
      return { from: `${today.slice(0, 8)}01`, to: today }
    case 'last-month': {
      const firstOfThis = `${today.slice(0, 8)}01`
      const lastOfPrevious = addDays(firstOfThis, -1)
      return { from: `${lastOfPrevious.slice(0, 8)}01`, to: lastOfPrevious }
    }
  }
}

const isPreset = (v: string | null): v is RangePreset => RANGE_PRESETS.some((p) => p.id === v)
const oneOf = <T extends string>(values: readonly T[], v: string | null, fallback: T): T =>
  v !== null && (values as readonly string[]).includes(v) ? (v as T) : fallback

/** All values of a repeatable param, also accepting comma-separated lists. */
function listParam(search: URLSearchParams, key: string): string[] {
  const values = search
    .getAll(key)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean)
  return [...new Set(values)].slice(0, 50)
}

function cleanFilters(search: URLSearchParams): Filters {
  const ids = (key: FilterKey) => listParam(search, key).filter((v) => UUID.test(v))
  return {
    model: listParam(search, 'model').filter((v) => v.length <= 200),
    provider: listParam(search, 'provider').filter((v) => v.length <= 50),
    promptId: ids('promptId'),
    userId: ids('userId'),
    apiKeyId: ids('apiKeyId'),
    feature: listParam(search, 'feature').filter((v) => (FEATURES as readonly string[]).includes(v)),
    status: listParam(search, 'status').filter((v) => (STATUSES as readonly string[]).includes(v)),
  }
}

/**
 * Reads the page's state from its URL. Anything missing or malformed falls back to a default (the last 30
 * days, newest first), so a hand-edited link still shows a page; a rejected custom range says why.
 */
export function parseUsageQuery(search: URLSearchParams, today: string): UsageQuery {
  const rangeParam = search.get('range')
  const fromParam = search.get('from')
  const toParam = search.get('to')
  let range: RangeChoice = isPreset(rangeParam) ? rangeParam : DEFAULT_PRESET
  let from: string
  let to: string
  let rangeError: string | null = null
  const wantsCustom = rangeParam === 'custom' || (!rangeParam && (fromParam !== null || toParam !== null))
  if (wantsCustom) {
    if (!isIsoDay(fromParam) || !isIsoDay(toParam)) {
      rangeError = 'Pick both a start and an end day.'
    } else if (fromParam > toParam) {
      rangeError = 'The start day must not be after the end day.'
    } else if (daysBetween(fromParam, toParam) > MAX_RANGE_DAYS) {
      rangeError = `A range covers at most ${MAX_RANGE_DAYS} days.`
    } else {
      range = 'custom'
    }
  }
  if (range === 'custom') {
    from = fromParam!
    to = toParam!
  } else {
    ;({ from, to } = presetRange(range, today))
  }
  return {
    range,
    from,
    to,
    filters: cleanFilters(search),
    trend: search.get('trend') === 'week' ? 'week' : 'day',
    top: oneOf(TOP_SORTS, search.get('top'), 'cost'),
    historySort: oneOf(HISTORY_SORTS, search.get('hsort'), 'occurredAt'),
    historyDirection: search.get('hdir') === 'asc' ? 'asc' : 'desc',
    cursor: search.get('cursor')?.slice(0, 300) || null,
    rangeError,
  }
}

/** The params that select rows (range and filters): what the export and the procedures take. */
export function selectionParams(query: Pick<UsageQuery, 'from' | 'to' | 'filters'>): URLSearchParams {
  const params = new URLSearchParams({ from: query.from, to: query.to })
  for (const key of FILTER_KEYS) for (const value of query.filters[key]) params.append(key, value)
  return params
}

/** The CSV export link for exactly the rows the page's range and filters select. */
export function exportHref(query: Pick<UsageQuery, 'from' | 'to' | 'filters'>): string {
  return `/api/usage/export?${selectionParams(query)}`
}

export type ParamChanges = Record<string, string | readonly string[] | null | undefined>

/**
 * A search string with some params replaced (`null` removes one). Changing what the page selects sends the
 * history table back to its first page, since a cursor belongs to one listing.
 */
export function withParams(search: URLSearchParams | string, changes: ParamChanges): string {
  const next = new URLSearchParams(search)
  for (const [key, value] of Object.entries(changes)) {
    next.delete(key)
    if (value === null || value === undefined) continue
    for (const v of typeof value === 'string' ? [value] : value) next.append(key, v)
  }
  if (!('cursor' in changes)) next.delete('cursor')
  const s = next.toString()
  return s ? `?${s}` : ''
}

/** The search string for a range choice: a preset drops custom days, a custom range names both. */
export function rangeSearch(search: URLSearchParams | string, choice: RangePreset | { from: string; to: string }): string {
  if (typeof choice === 'string') return withParams(search, { range: choice === DEFAULT_PRESET ? null : choice, from: null, to: null })
  return withParams(search, { range: 'custom', from: choice.from, to: choice.to })
}

/** True when any row filter is set. */
export function hasFilters(filters: Filters): boolean {
  return FILTER_KEYS.some((k) => filters[k].length > 0)
}

/** A label for the selected span, e.g. "Last 30 days" or "Mar 1 – Mar 31". */
export function rangeLabel(query: Pick<UsageQuery, 'range' | 'from' | 'to'>, formatDay: (d: string) => string): string {
  const preset = RANGE_PRESETS.find((p) => p.id === query.range)
  if (preset) return preset.label
  return `${formatDay(query.from)} – ${formatDay(query.to)}`
}
