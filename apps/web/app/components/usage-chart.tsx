import { lazy, Suspense } from 'react'
import { formatChartUsd } from '../lib/format'
import { useHydrated } from '../lib/use-hydrated'
import { Card } from './card'

export interface ChartPoint {
  /** Axis label, e.g. "Mar 4". */
  label: string
  /** Cost in dollars for the day, a plotted value only. */
  Cost: number
}

// Charts measure the page, so they only draw in the browser; the library loads after hydration.
const AreaChart = lazy(() => import('./tremor-charts').then((m) => ({ default: m.AreaChart })))

function ChartSkeleton() {
  return <div className="h-full w-full animate-pulse rounded-lg bg-gray-100 dark:bg-gray-800/60" aria-hidden="true" />
}

/** Daily cost as an area chart. */
export function UsageChart({ data, title, subtitle }: { data: ChartPoint[]; title: string; subtitle?: string }) {
  const hydrated = useHydrated()
  return (
    <Card className="p-5">
      <h2 className="text-base font-semibold text-tremor-content-strong dark:text-dark-tremor-content-strong">{title}</h2>
      {subtitle ? <p className="mt-1 text-sm text-tremor-content dark:text-dark-tremor-content">{subtitle}</p> : null}
      <div
        data-testid="usage-chart"
        className="mt-6 h-72"
        role="figure"
        aria-label={`${title}${subtitle ? `, ${subtitle}` : ''}`}
      >
        {hydrated ? (
          <Suspense fallback={<ChartSkeleton />}>
            <AreaChart
              className="h-72"
              data={data}
              index="label"
              categories={['Cost']}
              colors={['indigo']}
              valueFormatter={formatChartUsd}
              yAxisWidth={72}
              showLegend={false}
              showAnimation={false}
              curveType="monotone"
            />
          </Suspense>
        ) : (
          <ChartSkeleton />
        )}
      </div>
    </Card>
  )
}
