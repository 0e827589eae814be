// The usage page's view lives in the URL: date range, filters, sorting and the history page. These helpers
// read and write those search params; they are pure (the days and ranges are core's), so the server resolves
// "today" in the team's zone once and everything else follows from it.

import { MAX_RANGE_DAYS, RANGE_PRESET_LABELS, daysBetween, isIsoDay, presetRange } from '@costwise/core/days'
import {
  FEATURE_NAME_PATTERN,
  TAG_KEY_PATTERN,
  USAGE_FILTER_KEYS,
  USAGE_STATUSES,
  tagFilterSchema,
  type UsageFilterKey,
} from '@costwise/core/usage-fields'

/** The ranges the usage page offers, by core's named ranges ("last N days" ends today everywhere). */
export const RANGE_PRESETS = (['last-7-days', 'last-30-days', 'last-90-days', 'this-month', 'last-month'] as const).map(
  (id) => ({
    id,
    label: RANGE_PRESET_LABELS[id],
  }),
)
export type RangePreset = (typeof RANGE_PRESETS)[number]['id']
export type RangeChoice = RangePreset | 'custom'

export const FILTER_KEYS = USAGE_FILTER_KEYS
export type FilterKey = UsageFilterKey
export type Filters = Record<FilterKey, string[]>

export const TOP_SORTS = ['cost', 'runs', 'efficiency'] as const
export type TopSort = (typeof TOP_SORTS)[number]
export const HISTORY_SORTS = ['occurredAt', 'costUsd'] as const
export type HistorySort = (typeof HISTORY_SORTS)[number]

export const DEFAULT_PRESET: RangePreset = 'last-30-days'

/** What the breakdown card groups by (usage.breakdown's `by`). */
export const BREAKDOWN_BYS = ['member', 'apiKey', 'feature', 'tag'] as const
export type BreakdownBy = (typeof BREAKDOWN_BYS)[number]
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
  /** The breakdown card's dimension, and the tag key when it is `tag` (null: the first key recorded). */
  by: BreakdownBy
  tagKey: string | null
  /** The usage row open in the request drawer. */
  row: string | null
  /** Why the URL's range was not used as written, if it wasn't. */
  rangeError: string | null
}

const isPreset = (v: string | null): v is RangePreset => RANGE_PRESETS.some((p) => p.id === v)
/** Links saved before the presets took core's names (`range=7d`) still open the same range. */
const LEGACY_PRESETS: Record<string, RangePreset> = {
  '7d': 'last-7-days',
  '30d': 'last-30-days',
  '90d': 'last-90-days',
}
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
    feature: listParam(search, 'feature').filter((v) => FEATURE_NAME_PATTERN.test(v)),
    status: listParam(search, 'status').filter((v) => (USAGE_STATUSES as readonly string[]).includes(v)),
    tag: listParam(search, 'tag')
      .filter((v) => tagFilterSchema.safeParse(v).success)
      .slice(0, 10),
  }
}

/**
 * Reads the page's state from its URL. Anything missing or malformed falls back to a default (the last 30
 * days, newest first), so a hand-edited link still shows a page; a rejected custom range says why.
 */
export function parseUsageQuery(search: URLSearchParams, today: string): UsageQuery {
  const rawRange = search.get('range')
  const rangeParam = (rawRange && LEGACY_PRESETS[rawRange]) ?? rawRange
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
    by: oneOf(BREAKDOWN_BYS, search.get('by'), 'member'),
    tagKey: TAG_KEY_PATTERN.test(search.get('tagKey') ?? '') ? search.get('tagKey') : null,
    row: UUID.test(search.get('row') ?? '') ? search.get('row') : null,
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

/**
 * The search string one Apply of the filter form leads to: empty values dropped, a preset's days dropped (a
 * custom range keeps both), the default range dropped. Null
 * when the search is already clean — the loader redirects to it otherwise, so a form sent without JavaScript
 * lands on the same URL.
 */
export function cleanUsageSearch(search: URLSearchParams | string): string | null {
  const params = new URLSearchParams(search)
  const next = new URLSearchParams()
  const custom = params.get('range') === 'custom' || (!params.get('range') && (params.get('from') || params.get('to')))
  for (const [key, value] of params) {
    const v = value.trim()
    if (v === '') continue
    if ((key === 'from' || key === 'to') && !custom) continue
    if (key === 'range' && v === DEFAULT_PRESET) continue
    next.append(key, v)
  }
  const before = new URLSearchParams(search).toString()
  const after = next.toString()
  return before === after ? null : after ? `?${after}` : ''
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
