import {
  changeBetween,
  DEFAULT_HOUR_CYCLE,
  formatUsd,
  HOUR_CYCLES,
  percentOf,
  reportDefinitionSchema,
  resolveReportRange,
  usdToNano,
} from '@costwise/core'
import { costCenters, type Db } from '@costwise/db'
import type { TeamScope } from '../../trpc'
import { z } from 'zod'
import { stats, statsOutputSchema, topPrompts, topPromptsOutputSchema } from '../analytics'

export const reportDataSchema = z.object({
  team: z.object({ name: z.string(), slug: z.string(), timeZone: z.string(), hourCycle: z.enum(HOUR_CYCLES) }),
  definition: reportDefinitionSchema,
  from: z.string(),
  to: z.string(),
  generatedAt: z.string(),
  totals: statsOutputSchema.shape.totals,
  previous: statsOutputSchema.shape.previous,
  groups: statsOutputSchema.shape.groups,
  trend: statsOutputSchema.shape.groups,
  topModels: statsOutputSchema.shape.groups,
  topPrompts: topPromptsOutputSchema.shape.items,
  /** The cost allocation report's lines (grouped by cost centre): names for the codes, and "Unallocated". */
  allocation: z
    .array(
      z.object({
        code: z.string().nullable(),
        name: z.string(),
        costUsd: z.string(),
        runs: z.number(),
        sharePercent: z.number(),
      }),
    )
    .nullable(),
})
export type ReportData = z.infer<typeof reportDataSchema>

/** Every figure a report shows, read from the same analytics the dashboard uses (so they agree). */
export async function buildReport(
  db: Db,
  team: TeamScope,
  rawDefinition: unknown,
  now = new Date(),
): Promise<ReportData> {
  const definition = reportDefinitionSchema.parse(rawDefinition ?? {})
  const range = resolveReportRange(definition.range, now, team.timeZone)
  const filters = definition.filters
  const base = { from: range.from, to: range.to, ...filters }
  const [grouped, trend, models, prompts, centers] = await Promise.all([
    stats(db, team, { ...base, groupBy: definition.groupBy }, now),
    stats(db, team, { ...base, groupBy: 'day' }, now),
    stats(db, team, { ...base, groupBy: 'model' }, now),
    topPrompts(db, team, { ...base, sortBy: 'cost', limit: 5 }, now),
    definition.groupBy === 'costCenter' ? costCenters.listCostCenters(db, team.id) : Promise.resolve([]),
  ])
  const nameOf = new Map(centers.map((c) => [c.code, c.name]))
  const teamCost = usdToNano(grouped.totals.costUsd)
  return {
    team: {
      name: team.name,
      slug: team.slug,
      timeZone: team.timeZone,
      hourCycle: team.hourCycle ?? DEFAULT_HOUR_CYCLE,
    },
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
    allocation:
      definition.groupBy === 'costCenter'
        ? grouped.groups.map((g) => ({
            code: g.key,
            name: g.key === null ? 'Unallocated' : (nameOf.get(g.key) ?? g.key),
            costUsd: g.costUsd,
            runs: g.runs,
            sharePercent: percentOf(usdToNano(g.costUsd), teamCost),
          }))
        : null,
  }
}

/** "+12.5%" / "−3%" / "new" — the change of a cost against the previous period, by core's one rule. */
export function changeLabel(current: string, previous: string): string {
  return changeBetween(usdToNano(current), usdToNano(previous)).label
}

export const money = (usd: string) => formatUsd(usdToNano(usd))
