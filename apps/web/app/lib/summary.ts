// Pure builders for the usage page's figures: money formatted from the exact decimals (nano-dollar bigints),
// chart values as plain numbers for plotting only. Used by the loader; tested on their own.
import { formatUsd, usdToNano } from '@costwise/core/money'
import type { RouterOutputs } from './api-types'
import { changeBetween, describeChange } from '@costwise/core/change'
import { addDays } from '@costwise/core/days'
import { formatCompact, formatCount, formatDay } from './format'
import type { CardView } from './usage-dashboard-view'
import type { UsageQuery } from './usage-filters'

type Stats = RouterOutputs['usage']['stats']

export const money = (usd: string) => formatUsd(usdToNano(usd))
/** Chart values only: dollars as a float for plotting. */
export const plot = (usd: string) => Number(usd)

/** Share of a total in percent with one decimal, from exact nano amounts. */
export function sharePercent(part: string, whole: string): string {
  const p = usdToNano(part)
  const w = usdToNano(whole)
  if (w <= 0n) return '0%'
  const tenths = (p * 1000n + w / 2n) / w
  return `${(Number(tenths) / 10).toFixed(1)}%`
}

export function summaryCards(stats: Pick<Stats, 'totals' | 'previous'>): CardView[] {
  const { totals: t, previous: p } = stats
  const previousLabel = `${formatDay(p.from)} – ${formatDay(p.to)}`
  const card = (
    id: string,
    label: string,
    value: string,
    current: bigint | number,
    before: bigint | number,
    previousValue: string,
    title?: string,
  ): CardView => {
    const change = changeBetween(current, before)
    return {
      id,
      label,
      value,
      title,
      change,
      changeText: describeChange(change, `the previous period (${previousLabel})`),
      previousValue,
    }
  }
  const tokens = t.inputTokens + t.outputTokens
  const previousTokens = p.inputTokens + p.outputTokens
  return [
    card('cost', 'Total cost', money(t.costUsd), usdToNano(t.costUsd), usdToNano(p.costUsd), money(p.costUsd)),
    card(
      'tokens',
      'Tokens',
      formatCompact(tokens),
      tokens,
      previousTokens,
      formatCompact(previousTokens),
      `${formatCount(t.inputTokens)} input + ${formatCount(t.outputTokens)} output tokens`,
    ),
    card(
      'runs',
      'Runs',
      formatCount(t.runs),
      t.runs,
      p.runs,
      formatCount(p.runs),
      t.errors ? `${formatCount(t.errors)} failed` : undefined,
    ),
    card(
      'avg-cost',
      'Average cost per run',
      money(t.avgCostPerRunUsd),
      usdToNano(t.avgCostPerRunUsd),
      usdToNano(p.avgCostPerRunUsd),
      money(p.avgCostPerRunUsd),
    ),
  ]
}

/** Every day (or week) of the range, zero where nothing ran, so the chart's axis is even. */
export function trendPoints(groups: Stats['groups'], query: Pick<UsageQuery, 'from' | 'to' | 'trend'>) {
  const byKey = new Map(groups.map((g) => [g.key, g]))
  const keys: string[] = []
  if (query.trend === 'day') {
    for (let d = query.from; d <= query.to; d = addDays(d, 1)) keys.push(d)
  } else {
    // Postgres date_trunc('week') starts weeks on Monday.
    const first = query.from
    const weekday = (new Date(`${first}T00:00:00Z`).getUTCDay() + 6) % 7
    for (let d = addDays(first, -weekday); d <= query.to; d = addDays(d, 7)) keys.push(d)
  }
  return keys.map((key) => {
    const g = byKey.get(key)
    return {
      label: query.trend === 'day' ? formatDay(key) : `Wk of ${formatDay(key)}`,
      Cost: g ? plot(g.costUsd) : 0,
      Runs: g?.runs ?? 0,
    }
  })
}
