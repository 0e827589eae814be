import { DEFAULT_HOUR_CYCLE, daysBetween, describeScore, formatDateTime, formatUsd, localDayOf, usdToNano, type HourCycle } from '@costwise/core'
import type { Caller } from './auth.server'
import { money, plot, sharePercent, summaryCards, trendPoints } from './lib/summary'
import { formatCompact, formatCount } from './lib/format'
import type { RouterOutputs } from './lib/api-types'
import type { BestRecommendationView, HistoryRowView, UsageDashboardView } from './lib/usage-dashboard-view'
import { exportHref, parseUsageQuery, type UsageQuery } from './lib/usage-filters'

type Stats = RouterOutputs['usage']['stats']
type HistoryItem = RouterOutputs['usage']['history']['items'][number]
type TopPromptItem = RouterOutputs['usage']['topPrompts']['items'][number]

const FEE_LABEL: Record<string, string> = { web_search: 'Web search', file_search: 'File search', code_interpreter: 'Code interpreter' }

/** The parts of a call's cost that are not zero, labelled for the request's cost breakdown. */
export function breakdownLines(r: Pick<HistoryItem, 'costBreakdown' | 'toolCalls'>): { label: string; amount: string }[] {
  const b = r.costBreakdown
  if (!b) return []
  const parts: [string, string][] = [
    ['Input', b.inputUsd],
    ['Cached input', b.cachedInputUsd],
    ['Cache writes', b.cacheWriteUsd],
    ['Audio input', b.audioInputUsd],
    ['Image input', b.imageInputUsd],
    ['Output', b.outputUsd],
    ['Reasoning', b.reasoningUsd],
    ...Object.entries(b.feesUsd).map(([kind, usd]): [string, string] => [`${FEE_LABEL[kind] ?? kind} × ${r.toolCalls[kind] ?? 0}`, usd]),
  ]
  return parts.filter(([, usd]) => usd !== '0').map(([label, usd]) => ({ label, amount: money(usd) }))
}


export async function loadUsageDashboard(
  caller: Caller,
  team: { name: string; timeZone: string; hourCycle?: HourCycle },
  url: URL,
  now = new Date(),
): Promise<UsageDashboardView> {
  const today = localDayOf(team.timeZone, now)
  const query = parseUsageQuery(url.searchParams, today)
  const range = { from: query.from, to: query.to }
  const filters = Object.fromEntries(Object.entries(query.filters).filter(([, v]) => v.length > 0)) as Partial<
    UsageQuery['filters']
  >
  const selection = { ...range, ...filters } as Parameters<Caller['usage']['stats']>[0]
  const filtered = Object.keys(filters).length > 0

  const [trend, byModel, byPrompt, allModels, top, history, current, recs] = await Promise.all([
    caller.usage.stats({ ...selection, groupBy: query.trend }),
    caller.usage.stats({ ...selection, groupBy: 'model' }),
    caller.usage.stats({ ...selection, groupBy: 'prompt' }),
    filtered ? caller.usage.stats({ ...range, groupBy: 'model' }) : null,
    caller.usage.topPrompts({ ...selection, sortBy: query.top, limit: 100 }),
    caller.usage
      .history({
        ...selection,
        sort: query.historySort,
        direction: query.historyDirection,
        limit: 25,
        cursor: query.cursor,
      } as Parameters<Caller['usage']['history']>[0])
      .catch((error: unknown) => {
        // A cursor from another listing: show the first page instead of an error page.
        if (query.cursor) return null
        throw error
      }),
    caller.teams.current(),
    caller.recommendations.list({ status: ['open'] }).catch(() => null),
  ])

  const promptNames = new Map(top.items.map((p) => [p.promptId, p.name]))
  const userNames = new Map(current.members.map((m) => [m.id, m.name || m.email]))
  const promptName = (id: string | null) => (id ? (promptNames.get(id) ?? `Prompt ${id.slice(0, 8)}`) : null)
  const total = trend.totals.costUsd

  const models = byModel.groups
    .filter((g) => g.key !== null)
    .map((g) => ({
      key: g.key!,
      cost: money(g.costUsd),
      costValue: plot(g.costUsd),
      share: sharePercent(g.costUsd, total),
      runs: formatCount(g.runs),
      errors: formatCount(g.errors),
      tokens: formatCompact(g.inputTokens + g.outputTokens),
      avgCostPerRun: money(g.avgCostPerRunUsd),
      avgLatency: g.avgLatencyMs === null ? '—' : `${formatCount(g.avgLatencyMs)} ms`,
    }))

  const prompts = byPrompt.groups.map((g) => ({
    id: g.key,
    name: g.key ? promptName(g.key)! : 'No prompt (direct API calls)',
    cost: money(g.costUsd),
    costValue: plot(g.costUsd),
    share: sharePercent(g.costUsd, total),
    runs: formatCount(g.runs),
  }))

  const topPrompts = top.items.slice(0, 10).map((p) => ({
    id: p.promptId,
    name: p.name,
    cost: money(p.costUsd),
    runs: formatCount(p.runs),
    okRuns: formatCount(p.okRuns),
    errors: formatCount(p.errors),
    efficiency: p.costPerSuccessfulRunUsd === null ? '—' : money(p.costPerSuccessfulRunUsd),
    avgCostPerRun: money(p.avgCostPerRunUsd),
    inputTokens: formatCount(p.inputTokens),
    outputTokens: formatCount(p.outputTokens),
    avgLatency: p.avgLatencyMs === null ? '—' : `${formatCount(p.avgLatencyMs)} ms`,
    share: sharePercent(p.costUsd, total),
    score: p.efficiencyScore,
    scoreParts: p.efficiencyComponents ? describeScore(p.efficiencyComponents) : null,
  }))

  const display = { timeZone: team.timeZone, hourCycle: team.hourCycle ?? DEFAULT_HOUR_CYCLE }
  const historyRows: HistoryRowView[] = (history?.items ?? []).map((r) => ({
    id: r.id,
    occurredAt: r.occurredAt,
    when: formatDateTime(r.occurredAt, display, 'datetime-seconds'),
    model: r.model,
    provider: r.provider,
    prompt: promptName(r.promptId),
    promptId: r.promptId,
    user: r.userId ? (userNames.get(r.userId) ?? 'Former member') : r.apiKeyId ? 'API key' : '—',
    feature: r.feature,
    status: r.status,
    inputTokens: formatCount(r.inputTokens),
    outputTokens: formatCount(r.outputTokens),
    cost: r.priced ? money(r.costUsd) : 'unpriced',
    breakdown: breakdownLines(r),
    priceNote: r.priced
      ? [
          `Price ${r.priceVersion ?? ''}`,
          r.serviceTier && r.serviceTier !== 'default' ? `${r.serviceTier} processing` : null,
          r.costBreakdown?.batch ? 'batch discount' : null,
          r.costBreakdown?.tierAboveInputTokens ? `long-prompt price (over ${formatCount(r.costBreakdown.tierAboveInputTokens)} tokens)` : null,
          r.costBreakdown ? null : 'prices changed since; re-price to refresh the breakdown',
        ]
          .filter(Boolean)
          .join(' · ')
      : (r.unpricedReason ?? 'No price for this model.'),
  }))

  const modelOptions = (allModels ?? byModel).groups.map((g) => g.key).filter((k): k is string => Boolean(k))
  for (const m of query.filters.model) if (!modelOptions.includes(m)) modelOptions.push(m)

  return {
    teamName: team.name,
    timeZone: team.timeZone,
    today,
    query: { ...query, cursor: history ? query.cursor : null },
    days: daysBetween(query.from, query.to),
    isEmpty: trend.totals.runs === 0,
    filtered,
    cards: summaryCards(trend),
    unpricedRuns: trend.totals.unpricedRuns,
    totalCost: money(total),
    trend: trendPoints(trend.groups, query),
    models,
    prompts,
    topPrompts,
    history: { rows: historyRows, nextCursor: history?.nextCursor ?? null },
    options: {
      models: modelOptions.sort(),
      prompts: [...promptNames].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)),
      users: current.members.map((m) => ({ id: m.id, name: m.name || m.email })),
    },
    exportHref: exportHref(query),
    bestRecommendation: best(recs),
  }
}

/** The open recommendation that would save the most (they come largest first). */
function best(recs: RouterOutputs['recommendations']['list'] | null): BestRecommendationView | null {
  const top = recs?.items[0]
  if (!top) return null
  const savings = usdToNano(top.monthlySavingsUsd)
  return { title: top.title, summary: top.summary, savings: savings > 0n ? `${formatUsd(savings)} a month` : null, openCount: recs.items.length }
}

/** The usage page's data for the signed-in viewer (an empty view when they have no team). */
export async function loadUsagePage(
  viewer: { me: { activeTeam: { name: string; timeZone: string; hourCycle?: HourCycle; role: string } | null }; caller: Caller },
  url: URL,
) {
  const team = viewer.me.activeTeam
  if (!team) throw new Response('You are not in a team yet.', { status: 403 })
  const view = await loadUsageDashboard(viewer.caller, team, url)
  // The first-run guide (shown while the team has no usage): who may create a key, and where to send events.
  return { ...view, firstRun: { canCreateKey: team.role === 'owner' || team.role === 'admin', origin: url.origin } }
}
