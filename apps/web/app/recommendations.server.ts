import { formatUsd, usdToNano } from '@costwise/core'
import { TRPCError } from '@trpc/server'
import type { Viewer } from './auth.server'
import type { RouterOutputs } from './lib/api-types'
import { formatCount, formatDay } from './lib/format'

type Item = RouterOutputs['recommendations']['list']['items'][number]
export type RecommendationTab = 'open' | 'snoozed' | 'applied' | 'dismissed'
export const RECOMMENDATION_TABS: readonly RecommendationTab[] = ['open', 'snoozed', 'applied', 'dismissed']

const KIND_LABEL: Record<Item['kind'], string> = {
  cheaper_model: 'Cheaper model',
  max_tokens: 'Max output tokens',
  prompt_caching: 'Prompt caching',
  batch_api: 'Batch API',
  context_trimming: 'Context trimming',
  unpriced_model: 'Missing price',
}

export interface RecommendationCardView {
  id: string
  kind: Item['kind']
  kindLabel: string
  tab: RecommendationTab
  title: string
  summary: string
  /** "$12.40 a month", or what it gives instead of money. */
  headline: string
  applicable: boolean
  /** Where to look or act next. */
  link: { to: string; label: string } | null
  /** Key figures from the evidence, as label → value. */
  evidence: [string, string][]
  note: string | null
  realised: { saved: string; savedThisMonth: string; runs: string; baseline: string } | null
}

const money = (usd: string) => formatUsd(usdToNano(usd))
const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? formatCount(v) : '—')

function evidenceRows(r: Item): [string, string][] {
  const e = r.evidence
  const usd = (v: unknown) => (typeof v === 'string' ? money(v) : '—')
  switch (r.kind) {
    case 'cheaper_model':
      return [
        ['Runs in the last 30 days', str(e.runs)],
        [`Cost on ${str(r.model)}`, usd(e.currentCostUsd)],
        [`Same tokens on ${str(r.suggestedModel)}`, usd(e.suggestedCostUsd)],
        ['Largest prompt / answer', `${str(e.maxInputTokens)} / ${str(e.maxOutputTokens)} tokens`],
        ...((e.candidates as { model: string; costUsd: string }[] | undefined) ?? []).map(
          (c) => [`Also fits: ${c.model}`, usd(c.costUsd)] as [string, string],
        ),
      ]
    case 'max_tokens':
      return [
        ['Runs', str(e.runs)],
        ['99th percentile answer', `${str(e.p99OutputTokens)} tokens`],
        ['Longest answer', `${str(e.largestOutputTokens)} tokens`],
        ['Reserved per run for output', `${usd(e.reservedForOutputUsd)} → ${usd(e.reservedForOutputAfterUsd)}`],
        ['Blocked runs that would have gone through', `${str(e.wouldNotHaveBeenBlocked)} of ${str(e.blockedRuns)}`],
      ]
    case 'prompt_caching':
      return [
        ['Runs without cached tokens', `${str(e.runsWithoutCache)} of ${str(e.runs)}`],
        ['Stable prefix', `${str(e.prefixTokens)} tokens (${str(e.cacheableTokens)} cacheable)`],
        ['Input / cached price per 1M', `${usd(e.inputPerMTokUsd)} / ${usd(e.cachedInputPerMTokUsd)}`],
        ['Cost as sent / with the cache', `${usd(e.currentCostUsd)} / ${usd(e.withCacheCostUsd)}`],
      ]
    case 'batch_api':
      return [
        ['Calls', str(e.runs)],
        ['Arriving in bulk', `${str(e.bulkSharePercent)}%`],
        ['Busiest 15 minutes', `${str(e.busiestSlotRuns)} calls`],
        ['Cost / with the batch discount', `${usd(e.currentCostUsd)} / ${usd(e.batchCostUsd)}`],
      ]
    case 'context_trimming':
      return [
        ['Runs', str(e.runs)],
        ['Median / p90 prompt', `${str(e.p50InputTokens)} / ${str(e.p90InputTokens)} tokens`],
        ['Variable part of the average prompt', `${str(e.variableSharePercent)}%`],
        ['Cap', `${str(e.capInputTokens)} tokens (${str(e.runsOverCap)} runs over it)`],
        ['Cost / capped', `${usd(e.currentCostUsd)} / ${usd(e.cappedCostUsd)}`],
      ]
    case 'unpriced_model':
      return [
        ['Runs without a price', str(e.runs)],
        ['Tokens in / out', `${str(e.inputTokens)} / ${str(e.outputTokens)}`],
        ['Seen', `${str(e.firstSeen)} – ${str(e.lastSeen)}`],
      ]
  }
}

function toCard(r: Item, now: Date): RecommendationCardView {
  const savings = usdToNano(r.monthlySavingsUsd)
  const tab: RecommendationTab =
    r.status === 'open' ? (r.snoozedUntil && new Date(r.snoozedUntil) > now ? 'snoozed' : 'open') : r.status
  const headline =
    savings > 0n
      ? `${formatUsd(savings)} a month`
      : r.kind === 'max_tokens'
        ? 'Smaller reservations, fewer blocked runs'
        : r.kind === 'unpriced_model'
          ? 'Costs shown as $0'
          : 'No money saved'
  const link =
    r.kind === 'unpriced_model'
      ? { to: `/dashboard/usage?model=${encodeURIComponent(r.model ?? '')}`, label: 'See its runs' }
      : r.promptId
        ? {
            to: `/lab/${r.promptId}`,
            label: r.kind === 'context_trimming' ? 'See its token heat map in the Lab' : 'Open the prompt in the Lab',
          }
        : r.apiKeyId
          ? { to: `/dashboard/usage?apiKeyId=${r.apiKeyId}`, label: 'See this key’s usage' }
          : null
  const note =
    tab === 'snoozed'
      ? `Snoozed until ${formatDay(r.snoozedUntil!.slice(0, 10))}.`
      : r.status === 'applied'
        ? `Applied ${formatDay(r.appliedAt!.slice(0, 10))}.${r.realised && r.realised.runs === 0 ? ' Savings are measured on the prompt’s next runs.' : ''}`
        : r.status === 'dismissed'
          ? `Dismissed ${formatDay(r.dismissedAt!.slice(0, 10))}.`
          : !r.applicable
            ? 'This one needs a change outside Costwise; dismiss it once done.'
            : null
  return {
    id: r.id,
    kind: r.kind,
    kindLabel: KIND_LABEL[r.kind],
    tab,
    title: r.title,
    summary: r.summary,
    headline,
    applicable: r.applicable,
    link,
    evidence: evidenceRows(r),
    note,
    realised: r.realised
      ? {
          saved: money(r.realised.savedUsd),
          savedThisMonth: money(r.realised.savedThisMonthUsd),
          runs: `${formatCount(r.realised.runs)} run${r.realised.runs === 1 ? '' : 's'}`,
          baseline: money(r.realised.baselineCostPerRunUsd),
        }
      : null,
  }
}

export async function loadRecommendationsPage({ me, caller }: Viewer, url: URL, now = new Date()) {
  const team = me.activeTeam
  if (!team) throw new Response('You are not in a team yet.', { status: 403 })
  const param = url.searchParams.get('status') as RecommendationTab | null
  const tab: RecommendationTab = param && RECOMMENDATION_TABS.includes(param) ? param : 'open'
  const list = await caller.recommendations.list({ includeSnoozed: true })
  const cards = list.items.map((r) => toCard(r, now))
  const counts = Object.fromEntries(
    RECOMMENDATION_TABS.map((t) => [t, cards.filter((c) => c.tab === t).length]),
  ) as Record<RecommendationTab, number>
  return {
    tab,
    counts,
    canAct: team.role !== 'viewer',
    cards: cards.filter((c) => c.tab === tab),
    summary: {
      saved: money(list.summary.savedThisMonthUsd),
      savedPercent: list.summary.savedPercent,
      spend: money(list.summary.spendThisMonthUsd),
      open: money(list.summary.openMonthlySavingsUsd),
      month: new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(
        new Date(`${list.summary.month}-01T00:00:00Z`),
      ),
    },
  }
}

export type RecommendationsActionData = { ok: true; message: string } | { ok: false; error: string }

/** refresh, or `<apply|dismiss|snooze|reopen>:<id>`. */
export async function recommendationsAction({ caller }: Viewer, form: FormData): Promise<RecommendationsActionData> {
  const [intent, id] = String(form.get('intent') ?? '').split(':') as [string, string | undefined]
  try {
    if (intent === 'refresh') {
      const list = await caller.recommendations.refresh()
      const open = list.items.filter((r) => r.status === 'open').length
      return {
        ok: true,
        message:
          open === 0
            ? 'Looked at the last 30 days: nothing to recommend.'
            : `Looked at the last 30 days: ${open} open recommendation${open === 1 ? '' : 's'}.`,
      }
    }
    if (!id) return { ok: false, error: 'Choose a recommendation.' }
    if (intent === 'apply') {
      const r = await caller.recommendations.applyChange({ id })
      return { ok: true, message: `Applied: ${r.title}. Its next runs are measured against its cost per run before.` }
    }
    if (intent === 'dismiss')
      return { ok: true, message: `Dismissed: ${(await caller.recommendations.dismiss({ id })).title}.` }
    if (intent === 'snooze')
      return {
        ok: true,
        message: `Snoozed for a week: ${(await caller.recommendations.snooze({ id, days: 7 })).title}.`,
      }
    if (intent === 'reopen')
      return { ok: true, message: `Reopened: ${(await caller.recommendations.reopen({ id })).title}.` }
    return { ok: false, error: 'Unknown action.' }
  } catch (error) {
    if (error instanceof TRPCError && error.code !== 'INTERNAL_SERVER_ERROR') {
      return {
        ok: false,
        error:
          error.code === 'FORBIDDEN' ? 'Viewers cannot change recommendations; ask a member or admin.' : error.message,
      }
    }
    throw error
  }
}
