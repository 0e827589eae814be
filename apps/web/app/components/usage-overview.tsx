import { Link } from '@remix-run/react'
import { formatDay } from '../lib/format'
import type { UsageView } from '../lib/usage-view'
import { EmptyState } from './empty-state'
import { ChartIcon } from './icons'
import { PageHeader } from './page-header'
import { SummaryCards } from './summary-cards'
import { UsageChart } from './usage-chart'

export const EMPTY_USAGE_MESSAGE = 'No usage yet — run a prompt in the Prompt Lab or send usage with an API key'

function periodLabel(usage: Pick<UsageView, 'from' | 'to' | 'timeZone'>): string {
  if (!usage.from || !usage.to) return 'Last 30 days'
  return `${formatDay(usage.from)} – ${formatDay(usage.to)} · ${usage.timeZone}`
}

/** The usage page body: headline figures and daily cost, or a way to get started when there is none. */
export function UsageOverview({ teamName, usage }: { teamName: string | null; usage: UsageView }) {
  const period = periodLabel(usage)
  return (
    <>
      <PageHeader
        title="Usage"
        description={teamName ? `What ${teamName} spent on models over the last 30 days.` : 'Spending over the last 30 days.'}
      />
      {usage.isEmpty ? (
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
          <p className="mt-1">Costs, tokens and runs for the last 30 days will appear here.</p>
        </EmptyState>
      ) : (
        <div className="space-y-6">
          <SummaryCards totals={usage.totals} period="Last 30 days" />
          <UsageChart data={usage.chart} title="Daily cost" subtitle={period} />
        </div>
      )}
    </>
  )
}
