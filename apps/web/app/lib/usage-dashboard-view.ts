import type { Change } from '@costwise/core'
import type { UsageQuery } from './usage-filters'

// What the usage page renders, built on the server (money already formatted from exact decimals; numbers
// named `*Value` are for charts only).

export interface CardView {
  id: string
  label: string
  value: string
  title?: string
  change: Change
  /** The change as a sentence, for screen readers and the tooltip. */
  changeText: string
  previousValue: string
}

export interface ModelView {
  key: string
  cost: string
  costValue: number
  share: string
  runs: string
  errors: string
  tokens: string
  avgCostPerRun: string
  avgLatency: string
}

export interface PromptShareView {
  id: string | null
  name: string
  cost: string
  costValue: number
  share: string
  runs: string
}

export interface TopPromptView {
  id: string
  name: string
  cost: string
  runs: string
  okRuns: string
  errors: string
  efficiency: string
  avgCostPerRun: string
  inputTokens: string
  outputTokens: string
  avgLatency: string
  share: string
  /** Efficiency score 0–100 (docs/recommendations.md), null before the first recommendation refresh. */
  score: number | null
  /** How the score is made up, e.g. "price 38/40 · waste 25/25 · cache 20/20 · balance 15/15". */
  scoreParts: string | null
}

/** The open recommendation that would save the most, for the usage page. */
export interface BestRecommendationView {
  title: string
  summary: string
  /** "$12.40 a month", or null for recommendations that save no money outright. */
  savings: string | null
  openCount: number
}

export interface HistoryRowView {
  id: string
  occurredAt: string
  when: string
  model: string
  provider: string
  prompt: string | null
  promptId: string | null
  user: string
  feature: string
  status: string
  inputTokens: string
  outputTokens: string
  cost: string
  /** The request's cost by part (only parts that cost something). */
  breakdown: { label: string; amount: string }[]
  /** The price version charged and how (tier, batch), or why the call is unpriced. */
  priceNote: string
}

export interface TrendPoint {
  label: string
  Cost: number
  Runs: number
}

/** One line of the breakdown card (member, API key, feature or tag value). */
export interface BreakdownLineView {
  key: string | null
  label: string
  /** The search string that filters the page to this line; null for "none" and "Other". */
  href: string | null
  cost: string
  costValue: number
  share: string
  runs: string
  errors: string
  tokens: string
}

export interface BreakdownView {
  by: 'member' | 'apiKey' | 'feature' | 'tag'
  tagKey: string | null
  /** The tag keys recorded in the range (for the tag picker). */
  tagKeys: string[]
  total: string
  lines: BreakdownLineView[]
}

export interface ContributorView {
  label: string
  cost: string
  previousCost: string
  /** Signed, e.g. "+$1.20" or "−$0.35". */
  delta: string
  direction: 'up' | 'down' | 'flat' | 'new'
  change: string
}

export interface WhatChangedView {
  cost: string
  previousCost: string
  previousRange: string
  delta: string
  change: string
  direction: 'up' | 'down' | 'flat' | 'new'
  dimensions: { by: string; title: string; contributors: ContributorView[] }[]
}

export interface SavedViewView {
  id: string
  name: string
  /** The view's search string, with its leading "?" (empty for the default view). */
  search: string
  current: boolean
}

/** The request drawer: one usage row in full. */
export interface RequestDetailView {
  id: string
  found: boolean
  title: string
  fields: { label: string; value: string }[]
  tags: { key: string; value: string }[]
  /** Part, tokens, price per 1M tokens, cost. */
  lines: { part: string; tokens: string; unitPrice: string; cost: string }[]
  total: string
  priceNote: string
  metadata: string | null
}

export interface UsageDashboardView {
  /** For the first-run guide on an empty usage page. */
  firstRun?: { canCreateKey: boolean; origin: string }
  teamName: string
  timeZone: string
  today: string
  query: UsageQuery
  days: number
  isEmpty: boolean
  filtered: boolean
  cards: CardView[]
  unpricedRuns: number
  totalCost: string
  trend: TrendPoint[]
  models: ModelView[]
  prompts: PromptShareView[]
  topPrompts: TopPromptView[]
  history: { rows: HistoryRowView[]; nextCursor: string | null }
  options: {
    models: string[]
    prompts: { id: string; name: string }[]
    users: { id: string; name: string }[]
    apiKeys: { id: string; name: string }[]
    features: string[]
  }
  breakdown: BreakdownView
  whatChanged: WhatChangedView | null
  savedViews: SavedViewView[]
  detail: RequestDetailView | null
  /** This page's search string as a saved view would keep it. */
  currentSearch: string
  /** Members and up may save and delete the team's views. */
  canSaveViews?: boolean
  exportHref: string
  bestRecommendation: BestRecommendationView | null
}
