import { redirect } from '@remix-run/node'
import {
  DEFAULT_HOUR_CYCLE,
  USAGE_FEATURES,
  daysBetween,
  describeScore,
  formatDateTime,
  formatUsd,
  localDayOf,
  usdToNano,
  type HourCycle,
} from '@costwise/core'
import type { Caller } from './auth.server'
import { refusal, type ActionResult } from './lib/action-result.server'
import { money, plot, sharePercent, summaryCards, trendPoints } from './lib/summary'
import { formatCompact, formatCount } from './lib/format'
import type { RouterOutputs } from './lib/api-types'
import type {
  BestRecommendationView,
  BreakdownView,
  HistoryRowView,
  RequestDetailView,
  UsageDashboardView,
  WhatChangedView,
} from './lib/usage-dashboard-view'
import { cleanUsageSearch, exportHref, parseUsageQuery, withParams, type UsageQuery } from './lib/usage-filters'

type Stats = RouterOutputs['usage']['stats']
type HistoryItem = RouterOutputs['usage']['history']['items'][number]
type TopPromptItem = RouterOutputs['usage']['topPrompts']['items'][number]

const FEE_LABEL: Record<string, string> = {
  web_search: 'Web search',
  file_search: 'File search',
  code_interpreter: 'Code interpreter',
}

/** The parts of a call's cost that are not zero, labelled for the request's cost breakdown. */
export function breakdownLines(
  r: Pick<HistoryItem, 'costBreakdown' | 'toolCalls'>,
): { label: string; amount: string }[] {
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
    ...Object.entries(b.feesUsd).map(([kind, usd]): [string, string] => [
      `${FEE_LABEL[kind] ?? kind} × ${r.toolCalls[kind] ?? 0}`,
      usd,
    ]),
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

  // Features and tag keys recorded in the range (the feature filter's options, the tag picker).
  const byFeature = await caller.usage.breakdown({ ...range, by: 'feature' })
  const firstTagKey = query.by === 'tag' && !query.tagKey ? (byFeature.tagKeys[0] ?? null) : query.tagKey
  const [trend, byModel, byPrompt, allModels, top, history, current, recs, split, byKey, changed, views, row] =
    await Promise.all([
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
      query.by === 'tag' && !firstTagKey
        ? null
        : caller.usage.breakdown({ ...selection, by: query.by, tagKey: firstTagKey ?? undefined }),
      caller.usage.breakdown({ ...range, by: 'apiKey' }),
      caller.usage.whatChanged(selection),
      caller.usage.savedViews(),
      query.row ? caller.usage.get({ id: query.row }).catch(() => null) : null,
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
          r.costBreakdown?.tierAboveInputTokens
            ? `long-prompt price (over ${formatCount(r.costBreakdown.tierAboveInputTokens)} tokens)`
            : null,
          r.costBreakdown ? null : 'prices changed since; re-price to refresh the breakdown',
        ]
          .filter(Boolean)
          .join(' · ')
      : (r.unpricedReason ?? 'No price for this model.'),
  }))

  const breakdown: BreakdownView = {
    by: query.by,
    tagKey: firstTagKey,
    tagKeys: byFeature.tagKeys,
    total: money(split?.totalCostUsd ?? '0'),
    lines: (split?.items ?? []).map((l) => ({
      key: l.key,
      label: l.label,
      href: l.key === null || l.other ? null : withParams(url.search, filterFor(query.by, l.key, firstTagKey)),
      cost: money(l.costUsd),
      costValue: plot(l.costUsd),
      share: `${l.sharePercent.toFixed(1)}%`,
      runs: formatCount(l.runs),
      errors: formatCount(l.errors),
      tokens: formatCompact(l.inputTokens + l.outputTokens),
    })),
  }
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
    options: filterOptionsOf(query, {
      models: allModels ?? byModel,
      prompts: top.items,
      members: current.members,
      apiKeys: byKey,
      features: byFeature,
    }),
    breakdown,
    whatChanged: whatChangedView(changed),
    savedViews: views.items.map((v) => ({
      id: v.id,
      name: v.name,
      search: v.query ? `?${v.query}` : '',
      current: v.query === savedQuery(url),
    })),
    detail: query.row ? requestDetail(query.row, row, display) : null,
    currentSearch: savedQuery(url),
    exportHref: exportHref(query),
    bestRecommendation: best(recs),
  }
}

type Breakdown = RouterOutputs['usage']['breakdown']
type Changed = RouterOutputs['usage']['whatChanged']
type Detail = RouterOutputs['usage']['get']

/** The params that filter the page to one breakdown line. */
function filterFor(by: Breakdown['by'], key: string, tagKey: string | null): Record<string, string[]> {
  if (by === 'member') return { userId: [key] }
  if (by === 'apiKey') return { apiKeyId: [key] }
  if (by === 'tag') return { tag: [`${tagKey}:${key}`] }
  return { feature: [key] }
}

/** The page's search string as a saved view keeps it: no cursor, open row, sort or empty values. */
function savedQuery(url: URL): string {
  const params = new URLSearchParams(cleanUsageSearch(url.search) ?? url.search)
  for (const k of ['cursor', 'row', 'hsort', 'hdir']) params.delete(k)
  params.sort()
  return params.toString()
}

const signed = (usd: string) => {
  const n = usdToNano(usd)
  return n > 0n ? `+${formatUsd(n)}` : n < 0n ? `−${formatUsd(-n)}` : formatUsd(0n)
}

const CHANGE_TITLES: Record<string, string> = {
  model: 'Models',
  prompt: 'Prompts',
  member: 'Members',
  apiKey: 'API keys',
  tag: 'Tags',
}

function whatChangedView(c: Changed): WhatChangedView {
  return {
    cost: money(c.costUsd),
    previousCost: money(c.previousCostUsd),
    previousRange: `${c.previous.from} – ${c.previous.to}`,
    delta: signed(c.deltaUsd),
    change: c.change.label,
    direction: c.change.direction,
    dimensions: c.dimensions.map((d) => ({
      by: d.by,
      title: CHANGE_TITLES[d.by] ?? d.by,
      contributors: d.contributors.map((x) => ({
        label: x.label,
        cost: money(x.costUsd),
        previousCost: money(x.previousCostUsd),
        delta: signed(x.deltaUsd),
        direction: x.change.direction,
        change: x.change.label,
      })),
    })),
  }
}

/** The request drawer's content: every field of the row, and its cost as tokens × price per 1M tokens. */
function requestDetail(
  id: string,
  r: Detail | null,
  display: { timeZone: string; hourCycle: HourCycle },
): RequestDetailView {
  if (!r)
    return {
      id,
      found: false,
      title: 'Request not found',
      fields: [],
      tags: [],
      lines: [],
      total: '',
      priceNote: '',
      metadata: null,
    }
  const b = r.costBreakdown
  const p = r.unitPrices
  const perM = (usd: string | undefined) => (usd === undefined ? '—' : `${money(usd)} / 1M`)
  const uncached = r.inputTokens - r.cachedInputTokens - r.cacheWriteTokens - r.audioInputTokens - r.imageInputTokens
  const lines = b
    ? [
        { part: 'Input', tokens: uncached, unitPrice: perM(p?.inputPerMTokUsd), cost: b.inputUsd },
        {
          part: 'Cached input',
          tokens: r.cachedInputTokens,
          unitPrice: perM(p?.cachedInputPerMTokUsd),
          cost: b.cachedInputUsd,
        },
        {
          part: 'Cache writes',
          tokens: r.cacheWriteTokens,
          unitPrice: perM(p?.cacheWritePerMTokUsd),
          cost: b.cacheWriteUsd,
        },
        { part: 'Audio input', tokens: r.audioInputTokens, unitPrice: '—', cost: b.audioInputUsd },
        { part: 'Image input', tokens: r.imageInputTokens, unitPrice: '—', cost: b.imageInputUsd },
        {
          part: 'Output',
          tokens: r.outputTokens - r.reasoningTokens,
          unitPrice: perM(p?.outputPerMTokUsd),
          cost: b.outputUsd,
        },
        { part: 'Reasoning', tokens: r.reasoningTokens, unitPrice: perM(p?.reasoningPerMTokUsd), cost: b.reasoningUsd },
        ...Object.entries(b.feesUsd).map(([kind, usd]) => ({
          part: FEE_LABEL[kind] ?? kind,
          tokens: r.toolCalls[kind] ?? 0,
          unitPrice: 'per call',
          cost: usd,
        })),
      ]
        .filter((l) => l.tokens > 0 || usdToNano(l.cost) !== 0n)
        .map((l) => ({ ...l, tokens: formatCount(l.tokens), cost: money(l.cost) }))
    : []
  const when = (iso: string) => formatDateTime(iso, display, 'datetime-seconds')
  const fields: [string, string | null][] = [
    ['When', `${when(r.occurredAt)} (${display.timeZone})`],
    ['Recorded', when(r.recordedAt)],
    ['Model', r.resolvedModel && r.resolvedModel !== r.model ? `${r.model} (priced as ${r.resolvedModel})` : r.model],
    ['Provider', r.provider],
    ['Feature', r.feature],
    ['Status', r.status],
    ['Member', r.memberName],
    ['API key', r.apiKeyName],
    ['Prompt', r.promptName],
    ['Input tokens', formatCount(r.inputTokens)],
    ['Output tokens', formatCount(r.outputTokens)],
    ['Cached input tokens', formatCount(r.cachedInputTokens)],
    ['Cache-write tokens', formatCount(r.cacheWriteTokens)],
    ['Reasoning tokens', formatCount(r.reasoningTokens)],
    ['Latency', r.latencyMs === null ? null : `${formatCount(r.latencyMs)} ms`],
    ['Service tier', r.serviceTier],
    ['Batch', r.batch ? 'yes' : 'no'],
    ['Price version', r.priceVersion],
    ['Idempotency key', r.idempotencyKey],
    ['Reservation', r.reservationId],
    ['Request id', r.id],
  ]
  return {
    id,
    found: true,
    title: `${r.model} · ${when(r.occurredAt)}`,
    fields: fields
      .filter((f): f is [string, string] => f[1] !== null && f[1] !== '')
      .map(([label, value]) => ({ label, value })),
    tags: Object.entries(r.tags).map(([key, value]) => ({ key, value })),
    lines,
    total: r.priced ? money(r.costUsd) : 'unpriced',
    priceNote: r.priced
      ? b
        ? ''
        : 'Prices changed since; re-price to refresh the breakdown.'
      : (r.unpricedReason ?? 'No price for this model.'),
    metadata: Object.keys(r.metadata).length ? JSON.stringify(r.metadata, null, 2) : null,
  }
}

/** The open recommendation that would save the most (they come largest first). */
function best(recs: RouterOutputs['recommendations']['list'] | null): BestRecommendationView | null {
  const top = recs?.items[0]
  if (!top) return null
  const savings = usdToNano(top.monthlySavingsUsd)
  return {
    title: top.title,
    summary: top.summary,
    savings: savings > 0n ? `${formatUsd(savings)} a month` : null,
    openCount: recs.items.length,
  }
}

/** The usage page's data for the signed-in viewer (an empty view when they have no team). */
export async function loadUsagePage(
  viewer: {
    me: { activeTeam: { name: string; timeZone: string; hourCycle?: HourCycle; role: string } | null }
    caller: Caller
  },
  url: URL,
) {
  const team = viewer.me.activeTeam
  if (!team) throw new Response('You are not in a team yet.', { status: 403 })
  // One Apply sends the whole filter form; empty fields and a preset's days don't stay in the URL.
  const clean = cleanUsageSearch(url.search)
  if (clean !== null) throw redirect(`${url.pathname}${clean}`)
  const view = await loadUsageDashboard(viewer.caller, team, url)
  // The first-run guide (shown while the team has no usage): who may create a key, and where to send events.
  return {
    ...view,
    canSaveViews: team.role !== 'viewer',
    firstRun: { canCreateKey: team.role === 'owner' || team.role === 'admin', origin: url.origin },
  }
}

/** The usage page's posts: save this view under a name, or delete a saved view. */
export async function usagePageAction(viewer: { caller: Caller }, form: FormData): Promise<ActionResult> {
  const intent = String(form.get('intent') ?? '')
  try {
    if (intent === 'save-view') {
      const saved = await viewer.caller.usage.saveView({
        name: String(form.get('name') ?? ''),
        query: String(form.get('query') ?? ''),
      })
      return { ok: true, intent, notice: `Saved the view “${saved.name}”.` }
    }
    if (intent === 'delete-view') {
      await viewer.caller.usage.deleteView({ id: String(form.get('id') ?? '') })
      return { ok: true, intent, notice: 'Deleted the saved view.' }
    }
    return { ok: false, intent, field: 'intent', message: 'Unknown action.' }
  } catch (error) {
    return refusal(error, intent)
  }
}

/**
 * The filter form's choices (the usage and team usage pages): what the range recorded — models, prompts, API keys,
 * features (with the named ones always offered) — and the team's members; a value already in the URL stays listed.
 */
export function filterOptionsOf(
  query: UsageQuery,
  recorded: {
    models: Stats
    prompts: readonly { promptId: string | null; name: string }[]
    members: readonly { id: string; name: string; email: string }[]
    apiKeys: Breakdown
    features: Breakdown
  },
): UsageDashboardView['options'] {
  const named = (b: Breakdown) => b.items.filter((l) => l.key !== null && !l.other)
  const models = recorded.models.groups.flatMap((g) => (g.key ? [g.key] : []))
  const prompts = new Map(recorded.prompts.flatMap((p) => (p.promptId ? [[p.promptId, p.name] as const] : [])))
  return {
    models: [...new Set([...models, ...query.filters.model])].sort(),
    prompts: [...prompts].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)),
    users: recorded.members.map((m) => ({ id: m.id, name: m.name || m.email })),
    apiKeys: named(recorded.apiKeys).map((l) => ({ id: l.key!, name: l.label })),
    features: [
      ...new Set([...USAGE_FEATURES, ...named(recorded.features).map((l) => l.key!), ...query.filters.feature]),
    ],
  }
}

/** The filter form's choices for a page that shows no other usage figures of the range (team usage). */
export async function loadFilterOptions(caller: Caller, query: UsageQuery): Promise<UsageDashboardView['options']> {
  const range = { from: query.from, to: query.to }
  const [models, top, current, apiKeys, features] = await Promise.all([
    caller.usage.stats({ ...range, groupBy: 'model' }),
    caller.usage.topPrompts({ ...range, limit: 100 }),
    caller.teams.current(),
    caller.usage.breakdown({ ...range, by: 'apiKey' }),
    caller.usage.breakdown({ ...range, by: 'feature' }),
  ])
  return filterOptionsOf(query, { models, prompts: top.items, members: current.members, apiKeys, features })
}
