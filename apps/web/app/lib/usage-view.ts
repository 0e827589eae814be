import type { UsageTotals } from '../components/summary-cards'
import type { ChartPoint } from '../components/usage-chart'

/** What the usage page renders, built on the server from `analytics.daily`. */
export interface UsageView {
  timeZone: string
  from: string | null
  to: string | null
  totals: UsageTotals
  chart: ChartPoint[]
  isEmpty: boolean
}
