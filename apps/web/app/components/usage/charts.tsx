import { Link, useLocation, useNavigate } from '@remix-run/react'
import { lazy, Suspense, useEffect, useRef, type ReactNode } from 'react'
import { formatChartUsd } from '../../lib/format'
import type { ModelView, PromptShareView, TrendPoint } from '../../lib/usage-dashboard-view'
import { withParams, type UsageQuery } from '../../lib/usage-filters'
import { useHydrated } from '../../lib/use-hydrated'
import { Card } from '../card'
import { cardSubtitle, cardTitle, linkClass, td } from './styles'
import { TableHead, figures } from '../ui/table-head'

// Charts measure the page, so they draw only in the browser; the library loads after hydration.
export const AreaChart = lazy(() => import('../tremor-charts').then((m) => ({ default: m.AreaChart })))
const DonutChart = lazy(() => import('../tremor-charts').then((m) => ({ default: m.DonutChart })))
const BarChart = lazy(() => import('../tremor-charts').then((m) => ({ default: m.BarChart })))

/** Colours for series, in order; each is safelisted in tailwind.config.ts. */
export const SERIES_COLORS = [
  'indigo',
  'cyan',
  'amber',
  'emerald',
  'rose',
  'violet',
  'fuchsia',
  'blue',
  'slate',
  'gray',
] as const
const DOT: Record<(typeof SERIES_COLORS)[number], string> = {
  indigo: 'bg-indigo-500',
  cyan: 'bg-cyan-500',
  amber: 'bg-amber-500',
  emerald: 'bg-emerald-500',
  rose: 'bg-rose-500',
  violet: 'bg-violet-500',
  fuchsia: 'bg-fuchsia-500',
  blue: 'bg-blue-500',
  slate: 'bg-slate-500',
  gray: 'bg-gray-500',
}
const colorAt = (i: number) => SERIES_COLORS[i % SERIES_COLORS.length]!

function ChartSkeleton() {
  return <div className="h-full w-full animate-pulse rounded-lg bg-gray-100 dark:bg-gray-800/60" aria-hidden="true" />
}

export function ChartFrame({
  label,
  height,
  loading,
  children,
  testId,
}: {
  label: string
  height: string
  loading?: boolean
  children: ReactNode
  testId: string
}) {
  const hydrated = useHydrated()
  const ref = useRef<HTMLDivElement>(null)
  // The figure is labelled and its figures are listed beside it, so the drawing itself is decoration to
  // assistive technology (the chart library marks its shapes as unlabelled images otherwise).
  useEffect(() => {
    const frame = ref.current
    if (!frame) return
    const hide = () =>
      frame.querySelectorAll('svg:not([aria-hidden])').forEach((svg) => {
        svg.setAttribute('aria-hidden', 'true')
        svg.setAttribute('focusable', 'false')
        // Hidden content must not take focus; the links beside the chart do the same job.
        for (const el of [svg, ...svg.querySelectorAll('[tabindex]')]) el.setAttribute('tabindex', '-1')
      })
    hide()
    const observer = new MutationObserver(hide)
    observer.observe(frame, { childList: true, subtree: true })
    return () => observer.disconnect()
  }, [])
  return (
    <div ref={ref} data-testid={testId} className={`mt-4 ${height}`} role="figure" aria-label={label}>
      {hydrated && !loading ? <Suspense fallback={<ChartSkeleton />}>{children}</Suspense> : <ChartSkeleton />}
    </div>
  )
}

/** Cost per day or per week over the range, with a toggle between the two. */
export function TrendChart({
  points,
  query,
  subtitle,
  loading,
}: {
  points: TrendPoint[]
  query: UsageQuery
  subtitle: string
  loading?: boolean
}) {
  const { search } = useLocation()
  const grain = query.trend === 'week' ? 'Weekly' : 'Daily'
  return (
    <Card className="p-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 className={cardTitle}>{grain} cost</h2>
          <p className={cardSubtitle}>{subtitle}</p>
        </div>
        <nav aria-label="Trend grain" className="flex gap-1 rounded-lg bg-gray-100 p-1 text-sm dark:bg-gray-800/60">
          {(['day', 'week'] as const).map((g) => (
            <Link
              key={g}
              to={{ search: withParams(search, { trend: g === 'day' ? null : g, cursor: query.cursor }) }}
              preventScrollReset
              aria-current={query.trend === g ? 'true' : undefined}
              className={`rounded-md px-2.5 py-1 font-medium ${
                query.trend === g
                  ? 'bg-white text-gray-900 shadow-sm dark:bg-gray-900 dark:text-white'
                  : 'text-gray-600 dark:text-gray-300'
              }`}
            >
              {g === 'day' ? 'Daily' : 'Weekly'}
            </Link>
          ))}
        </nav>
      </div>
      <ChartFrame label={`${grain} cost, ${subtitle}`} height="h-72" loading={loading} testId="usage-chart">
        <AreaChart
          className="h-72"
          data={points}
          index="label"
          categories={['Cost']}
          colors={['indigo']}
          valueFormatter={formatChartUsd}
          yAxisWidth={72}
          showLegend={false}
          showAnimation={false}
          curveType="monotone"
        />
      </ChartFrame>
    </Card>
  )
}

/** Cost by model as a donut with each model's share; a click (or the model's link) filters the page to it. */
export function ModelBreakdown({ models, loading }: { models: ModelView[]; loading?: boolean }) {
  const { search } = useLocation()
  const navigate = useNavigate()
  const top = models.slice(0, SERIES_COLORS.length)
  const drill = (model: string) =>
    navigate({ search: withParams(search, { model: [model] }) }, { preventScrollReset: true })
  return (
    <Card className="p-5" data-testid="model-breakdown">
      <h2 className={cardTitle}>Cost by model</h2>
      <p className={cardSubtitle}>Share of the period’s cost. Choose a model to see only its usage.</p>
      <ChartFrame label="Cost by model" height="h-52" loading={loading} testId="model-donut">
        <DonutChart
          className="h-52"
          data={top}
          index="key"
          category="costValue"
          colors={top.map((_, i) => colorAt(i))}
          valueFormatter={formatChartUsd}
          showAnimation={false}
          onValueChange={(v) => {
            const key = (v as { key?: string } | undefined)?.key
            if (key) drill(key)
          }}
        />
      </ChartFrame>
      <ul className="mt-4 divide-y divide-gray-100 text-sm dark:divide-gray-800">
        {models.map((m, i) => (
          <li key={m.key} className="flex items-center justify-between gap-3 py-1.5">
            <span className="flex min-w-0 items-center gap-2">
              <span
                aria-hidden="true"
                className={`h-2.5 w-2.5 shrink-0 rounded-full ${i < top.length ? DOT[colorAt(i)] : 'bg-gray-300'}`}
              />
              <Link
                to={{ search: withParams(search, { model: [m.key] }) }}
                preventScrollReset
                className={`block min-w-0 truncate ${linkClass}`}
                data-testid="model-link"
              >
                {m.key}
              </Link>
            </span>
            <span className="shrink-0 tabular-nums text-gray-700 dark:text-gray-300">
              {m.cost} <span className="text-gray-500 dark:text-gray-400">· {m.share}</span>
            </span>
          </li>
        ))}
      </ul>
    </Card>
  )
}

/** Cost by prompt as bars; a click (or the prompt's link) filters the page to it. */
export function PromptBreakdown({ prompts, loading }: { prompts: PromptShareView[]; loading?: boolean }) {
  const { search } = useLocation()
  const navigate = useNavigate()
  const top = prompts.slice(0, 8).map((p) => ({ ...p, Cost: p.costValue }))
  return (
    <Card className="p-5" data-testid="prompt-breakdown">
      <h2 className={cardTitle}>Cost by prompt</h2>
      <p className={cardSubtitle}>The prompts that cost the most. Choose one to see only its usage.</p>
      <CostBars
        label="Cost by prompt"
        height="h-64"
        loading={loading}
        testId="prompt-bars"
        data={top}
        index="name"
        color="cyan"
        onPick={(row: (typeof top)[number]) => {
          if (row.id) navigate({ search: withParams(search, { promptId: [row.id] }) }, { preventScrollReset: true })
        }}
      />
      <ul className="mt-4 divide-y divide-gray-100 text-sm dark:divide-gray-800">
        {prompts.map((p) => (
          <li key={p.id ?? 'none'} className="flex items-center justify-between gap-3 py-1.5">
            {p.id ? (
              <Link
                to={{ search: withParams(search, { promptId: [p.id] }) }}
                preventScrollReset
                className={`block min-w-0 truncate ${linkClass}`}
              >
                {p.name}
              </Link>
            ) : (
              <span className="min-w-0 truncate text-gray-600 dark:text-gray-400">{p.name}</span>
            )}
            <span className="shrink-0 tabular-nums text-gray-700 dark:text-gray-300">
              {p.cost} <span className="text-gray-500 dark:text-gray-400">· {p.share}</span>
            </span>
          </li>
        ))}
      </ul>
    </Card>
  )
}

/**
 * Horizontal bars of cost, one per row (`Cost` is the number drawn, `index` the label); choosing a bar hands its
 * row to `onPick` (the cost cards filter the page to it).
 */
export function CostBars<Row extends { Cost: number }>({
  label,
  height,
  loading,
  testId,
  data,
  index,
  color,
  onPick,
}: {
  label: string
  height: 'h-56' | 'h-64'
  loading?: boolean | undefined
  testId: string
  data: Row[]
  index: keyof Row & string
  color: (typeof SERIES_COLORS)[number]
  onPick: (row: Row) => void
}) {
  return (
    <ChartFrame label={label} height={height} loading={loading} testId={testId}>
      <BarChart
        className={height}
        data={data}
        index={index}
        categories={['Cost']}
        colors={[color]}
        layout="vertical"
        yAxisWidth={140}
        valueFormatter={formatChartUsd}
        showLegend={false}
        showAnimation={false}
        onValueChange={(v) => {
          if (v) onPick(v as unknown as Row)
        }}
      />
    </ChartFrame>
  )
}

/** Models side by side: runs, cost, cost per run, tokens, errors and latency. */
export function ModelComparison({ models }: { models: ModelView[] }) {
  const { search } = useLocation()
  return (
    <Card className="p-5">
      <h2 className={cardTitle} id="model-comparison">
        Model comparison
      </h2>
      <p className={cardSubtitle}>What each model cost per run and how it behaved in this period.</p>
      <div className="relative mt-4 overflow-x-auto" tabIndex={0} role="region" aria-labelledby="model-comparison">
        <table className="min-w-full divide-y divide-gray-200 dark:divide-gray-800">
          <TableHead
            columns={[
              'Model',
              ...['Runs', 'Cost', 'Share', 'Avg per run', 'Tokens', 'Errors', 'Avg latency'].map(figures),
            ]}
          />
          <tbody className="divide-y divide-gray-100 dark:divide-gray-800">
            {models.map((m) => (
              <tr key={m.key}>
                <th scope="row" className={`${td} text-left font-medium`}>
                  <Link
                    to={{ search: withParams(search, { model: [m.key] }) }}
                    preventScrollReset
                    className={linkClass}
                  >
                    {m.key}
                  </Link>
                </th>
                <td className={`${td} text-right tabular-nums`}>{m.runs}</td>
                <td className={`${td} text-right tabular-nums`}>{m.cost}</td>
                <td className={`${td} text-right tabular-nums`}>{m.share}</td>
                <td className={`${td} text-right tabular-nums`}>{m.avgCostPerRun}</td>
                <td className={`${td} text-right tabular-nums`}>{m.tokens}</td>
                <td className={`${td} text-right tabular-nums`}>{m.errors}</td>
                <td className={`${td} text-right tabular-nums`}>{m.avgLatency}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  )
}
