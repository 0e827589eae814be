import { DEFAULT_HOUR_CYCLE, formatUsd, reportDefinitionSchema, resolveReportRange, usdToNano, type HourCycle, type ReportDefinition } from '@costwise/core'
import type { Db } from '@costwise/db'
import type { TeamScope } from '../../trpc'
import { stats, topPrompts, type StatsOutput } from '../analytics'

export interface ReportData {
  team: { name: string; slug: string; timeZone: string; hourCycle: HourCycle }
  definition: ReportDefinition
  from: string
  to: string
  generatedAt: string
  totals: StatsOutput['totals']
  previous: StatsOutput['previous']
  groups: StatsOutput['groups']
  trend: StatsOutput['groups']
  topModels: StatsOutput['groups']
  topPrompts: Awaited<ReturnType<typeof topPrompts>>['items']
}

/** Every figure a report shows, read from the same analytics the dashboard uses (so they agree). */
export async function buildReport(db: Db, team: TeamScope, rawDefinition: unknown, now = new Date()): Promise<ReportData> {
  const definition = reportDefinitionSchema.parse(rawDefinition ?? {})
  const range = resolveReportRange(definition.range, now, team.timeZone)
  const filters = definition.filters
  const base = { from: range.from, to: range.to, ...filters }
  const [grouped, trend, models, prompts] = await Promise.all([
    stats(db, team, { ...base, groupBy: definition.groupBy }, now),
    stats(db, team, { ...base, groupBy: 'day' }, now),
    stats(db, team, { ...base, groupBy: 'model' }, now),
    topPrompts(db, team, { from: range.from, to: range.to, sortBy: 'cost', limit: 5 }, now),
  ])
  return {
    team: { name: team.name, slug: team.slug, timeZone: team.timeZone, hourCycle: team.hourCycle ?? DEFAULT_HOUR_CYCLE },
    definition,
    from: range.from,
    to: range.to,
    generatedAt: now.toISOString(),
    totals: grouped.totals,
    previous: grouped.previous,
    groups: grouped.groups,
    trend: trend.groups,
    topModels: models.groups.slice(0, 5),
    topPrompts: prompts.items,
  }
}

/** "+12.5 %" / "−3.0 %" / "new" — the change of a cost against the previous period, for display. */
export function changeLabel(current: string, previous: string): string {
  const cur = usdToNano(current)
  const prev = usdToNano(previous)
  if (prev === 0n) return cur === 0n ? '0 %' : 'new'
  const tenths = Number(((cur - prev) * 1000n) / prev) / 10
  return `${tenths >= 0 ? '+' : '−'}${Math.abs(tenths).toFixed(1)} %`
}

export const money = (usd: string) => formatUsd(usdToNano(usd))
