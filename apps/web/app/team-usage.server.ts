import { localDayOf, tierAllows } from '@costwise/core'
import type { Caller, Viewer } from './auth.server'
import { redirect } from '@remix-run/node'
import { cleanUsageSearch, parseUsageQuery, type UsageQuery } from './lib/usage-filters'
import { loadFilterOptions } from './usage-dashboard.server'

export const MEMBER_SORTS = [
  'cost',
  'runs',
  'tokens',
  'share',
  'change',
  'budget',
  'errorRate',
  'costPerRun',
  'cacheHit',
  'name',
] as const
export type MemberSort = (typeof MEMBER_SORTS)[number]

type Selection = Parameters<Caller['analytics']['teamUsage']>[0]

/**
 * The team usage page (Enterprise): a row per member with the usage page's range and filters, sortable; the
 * team's efficiency figures; and a chart comparing two to five members' cost per day (`compare` in the URL).
 * Other plans see what it would show and why it is locked, without any figures.
 */
export async function loadTeamUsagePage({ me, caller }: Viewer, url: URL) {
  // The usage page's one filter form: empty fields and a preset's days don't stay in the URL.
  const clean = cleanUsageSearch(url.search)
  if (clean !== null) throw redirect(`${url.pathname}${clean}`)
  const team = me.activeTeam
  const timeZone = team?.timeZone ?? 'UTC'
  const today = localDayOf(timeZone)
  const query = parseUsageQuery(url.searchParams, today)
  const plan = team?.plan ?? 'free'
  const sortRaw = url.searchParams.get('sort')
  const sort: MemberSort = (MEMBER_SORTS as readonly string[]).includes(sortRaw ?? '')
    ? (sortRaw as MemberSort)
    : 'cost'
  const dir = url.searchParams.get('dir') === 'asc' ? 'asc' : 'desc'
  const base = { teamName: team?.name ?? 'your team', timeZone, today, query, sort, dir: dir as 'asc' | 'desc', plan }
  if (!tierAllows(plan, 'teamAnalytics')) return { ...base, locked: true as const }
  const filters = Object.fromEntries(Object.entries(query.filters).filter(([, v]) => v.length > 0)) as Partial<
    UsageQuery['filters']
  >
  const selection = { from: query.from, to: query.to, ...filters } as Selection
  const [usage, options] = await Promise.all([caller.analytics.teamUsage(selection), loadFilterOptions(caller, query)])
  const ids = new Set(usage.members.flatMap((m) => (m.userId ? [m.userId] : [])))
  const compare = url.searchParams
    .getAll('compare')
    .filter((id) => ids.has(id))
    .slice(0, 5)
  const comparison =
    compare.length >= 2 ? await caller.analytics.compareMembers({ ...selection, members: compare }) : null
  return {
    ...base,
    locked: false as const,
    usage,
    compare,
    comparison,
    options,
  }
}
