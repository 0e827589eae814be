import { Link, useLocation, useNavigation } from '@remix-run/react'
import { formatDay } from '../../lib/format'
import type { UsageDashboardView } from '../../lib/usage-dashboard-view'
import { DEFAULT_PRESET, FILTER_KEYS, rangeLabel, withParams } from '../../lib/usage-filters'
import { EmptyState } from '../empty-state'
import { BestRecommendation } from '../recommendations/best-recommendation'
import { FirstRunGuide } from './first-run-guide'
import { ChartIcon } from '../icons'
import { PageHeader } from '../page-header'
import { SummaryCards } from '../summary-cards'
import { ModelBreakdown, ModelComparison, PromptBreakdown, TrendChart } from './charts'
import { BreakdownCard, RequestDrawer, SavedViews, WhatChangedCard } from './explain'
import { FilterBar } from './range-and-filters'
import { buttonSecondary } from './styles'
import { TopPrompts } from './top-prompts'
import { UsageHistory } from './usage-history'

export const EMPTY_USAGE_MESSAGE = 'No usage yet — run a prompt in the Prompt Lab or send usage with an API key'

/** The usage dashboard: range and filters (in the URL), headline figures, charts, top prompts and history. */
export function UsageDashboard({ view }: { view: UsageDashboardView }) {
  const navigation = useNavigation()
  const { pathname, search } = useLocation()
  // Skeletons while this page loads a new view (another range, filter or page of history).
  const loading = navigation.state === 'loading' && navigation.location.pathname === pathname
  const { query } = view
  const period = rangeLabel(query, formatDay)
  const subtitle = `${formatDay(query.from)} – ${formatDay(query.to)} · ${view.timeZone}`
  const untouched = !view.filtered && query.range === DEFAULT_PRESET
  return (
    <>
      <PageHeader
        title="Usage"
        description={`What ${view.teamName} spent on models: ${period.toLowerCase().startsWith('last') || period.toLowerCase().startsWith('this') ? period.toLowerCase() : period}.`}
        actions={
          <a href={view.exportHref} download className={buttonSecondary}>
            Export CSV
          </a>
        }
      />
      <div className="space-y-6">
        <section
          aria-label="Range and filters"
          className="space-y-4 rounded-xl border border-gray-200 bg-white p-4 dark:border-gray-800 dark:bg-gray-900/40"
        >
          <FilterBar view={view} />
          <SavedViews views={view.savedViews} currentSearch={view.currentSearch} canSave={view.canSaveViews ?? false} />
          {query.rangeError ? (
            <p role="alert" className="text-sm text-red-700 dark:text-red-300">
              {query.rangeError} Showing the last 30 days instead.
            </p>
          ) : null}
        </section>

        {view.isEmpty ? (
          untouched && view.firstRun ? (
            <FirstRunGuide canCreateKey={view.firstRun.canCreateKey} origin={view.firstRun.origin} />
          ) : untouched ? (
            <EmptyState
              testId="usage-empty"
              title="No usage yet"
              icon={<ChartIcon className="h-6 w-6" />}
              action={
                <Link
                  to="/lab"
                  className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500"
                >
                  Open the Prompt Lab
                </Link>
              }
            >
              <p>{EMPTY_USAGE_MESSAGE}.</p>
              <p className="mt-1">Costs, tokens and runs will appear here as soon as the first call is recorded.</p>
            </EmptyState>
          ) : (
            <EmptyState
              testId="usage-empty-filtered"
              title="Nothing in this view"
              icon={<ChartIcon className="h-6 w-6" />}
              action={
                <Link
                  to={{
                    search: withParams(search, {
                      ...Object.fromEntries(FILTER_KEYS.map((k) => [k, null])),
                      range: null,
                      from: null,
                      to: null,
                    }),
                  }}
                  className={buttonSecondary}
                >
                  Reset range and filters
                </Link>
              }
            >
              <p>No calls were recorded in {period.toLowerCase()} with these filters.</p>
            </EmptyState>
          )
        ) : (
          <>
            <SummaryCards cards={view.cards} period={`vs previous ${view.days} days`} loading={loading} />
            {view.bestRecommendation ? <BestRecommendation rec={view.bestRecommendation} /> : null}
            {view.unpricedRuns > 0 ? (
              <p className="text-sm text-amber-800 dark:text-amber-200">
                {view.unpricedRuns} runs used a model without a known price and count as $0 until they are repriced.
              </p>
            ) : null}
            {view.whatChanged ? <WhatChangedCard changed={view.whatChanged} /> : null}
            <TrendChart points={view.trend} query={query} subtitle={subtitle} loading={loading} />
            <BreakdownCard breakdown={view.breakdown} loading={loading} />
            <div className="grid grid-cols-1 gap-6 lg:grid-cols-2 [&>*]:min-w-0">
              <ModelBreakdown models={view.models} loading={loading} />
              <PromptBreakdown prompts={view.prompts} loading={loading} />
            </div>
            <ModelComparison models={view.models} />
            <TopPrompts prompts={view.topPrompts} sort={query.top} />
          </>
        )}
        {!view.isEmpty || !untouched ? (
          <UsageHistory
            rows={view.history.rows}
            nextCursor={view.history.nextCursor}
            query={query}
            exportHref={view.exportHref}
            timeZone={view.timeZone}
          />
        ) : null}
        {view.detail ? <RequestDrawer key={view.detail.id} detail={view.detail} /> : null}
      </div>
    </>
  )
}
