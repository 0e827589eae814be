import { formatUsd, usdToNano } from '@costwise/core'
import type { DailyUsage } from './lib/api-types'
import { formatDay } from './lib/format'
import type { UsageView } from './lib/usage-view'

/** The usage page's figures: money formatted from the exact decimals, chart values for plotting only. */
export function toUsageView(daily: DailyUsage): UsageView {
  const { days, totals } = daily
  return {
    timeZone: daily.timeZone,
    from: days[0]?.date ?? null,
    to: days.at(-1)?.date ?? null,
    totals: {
      cost: formatUsd(usdToNano(totals.costUsd)),
      inputTokens: totals.inputTokens,
      outputTokens: totals.outputTokens,
      runs: totals.runs,
    },
    chart: days.map((d) => ({ label: formatDay(d.date), Cost: Number(d.costUsd) })),
    isEmpty: totals.runs === 0 && totals.inputTokens === 0 && totals.outputTokens === 0,
  }
}

export function emptyUsageView(): UsageView {
  return {
    timeZone: 'UTC',
    from: null,
    to: null,
    totals: { cost: formatUsd(0n), inputTokens: 0, outputTokens: 0, runs: 0 },
    chart: [],
    isEmpty: true,
  }
}
