import { formatUsd, usdToNano } from '@costwise/core'
import { Form, Link, useLocation } from '@remix-run/react'
import type { ReactNode } from 'react'
import { formatChartUsd, formatCount, formatDay } from '../../lib/format'
import { selectionParams, withParams } from '../../lib/usage-filters'
import type { loadTeamUsagePage, MemberSort } from '../../team-usage.server'
import { Card } from '../card'
import { EmptyState } from '../empty-state'
import { UsersIcon } from '../icons'
import { PageHeader } from '../page-header'
import { AreaChart, ChartFrame, SERIES_COLORS } from '../usage/charts'
import { SortTh, TableHead } from '../ui/table-head'
import { FilterBar } from '../usage/range-and-filters'
import { buttonPrimary, cardSubtitle, cardTitle, linkClass, td } from '../usage/styles'

type Data = Awaited<ReturnType<typeof loadTeamUsagePage>>
type Open = Extract<Data, { locked: false }>
type Row = Open['usage']['members'][number]

const money = (usd: string | null) => (usd === null ? '—' : formatUsd(usdToNano(usd)))
const pct = (v: number | null) => (v === null ? '—' : `${v} %`)
const signed = (v: number | null) => (v === null ? 'new' : `${v > 0 ? '+' : ''}${v} %`)

const COLUMNS: {
  sort: MemberSort
  label: string
  value: (r: Row) => number | bigint | string | null
  show: (r: Row) => ReactNode
}[] = [
  { sort: 'cost', label: 'Cost', value: (r) => usdToNano(r.costUsd), show: (r) => money(r.costUsd) },
  { sort: 'runs', label: 'Runs', value: (r) => r.runs, show: (r) => formatCount(r.runs) },
  { sort: 'tokens', label: 'Tokens', value: (r) => r.tokens, show: (r) => formatCount(r.tokens) },
  { sort: 'share', label: 'Share', value: (r) => r.shareOfTeam, show: (r) => pct(r.shareOfTeam) },
  { sort: 'change', label: 'vs previous', value: (r) => r.changePercent, show: (r) => signed(r.changePercent) },
  {
    sort: 'budget',
    label: 'Budget used',
    value: (r) => r.budget?.percentUsed ?? null,
    show: (r) => (r.budget ? `${r.budget.percentUsed} % of ${money(r.budget.limitUsd)}` : '—'),
  },
  { sort: 'errorRate', label: 'Error rate', value: (r) => r.errorRate, show: (r) => pct(r.errorRate) },
  {
    sort: 'costPerRun',
    label: 'Cost / successful run',
    value: (r) => (r.costPerSuccessfulRunUsd === null ? null : usdToNano(r.costPerSuccessfulRunUsd)),
    show: (r) => money(r.costPerSuccessfulRunUsd),
  },
  { sort: 'cacheHit', label: 'Cache hits', value: (r) => r.cacheHitRatio, show: (r) => pct(r.cacheHitRatio) },
]

// Sorting orders rows for display (amounts compared as nano-dollars); nulls go last either way.
function sorted(rows: Row[], sort: MemberSort, dir: 'asc' | 'desc'): Row[] {
  const value = sort === 'name' ? (r: Row) => r.name.toLowerCase() : COLUMNS.find((c) => c.sort === sort)!.value
  return [...rows].sort((a, b) => {
    const x = value(a)
    const y = value(b)
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1
    const order = x < y ? -1 : x > y ? 1 : 0
    return dir === 'asc' ? order : -order
  })
}

export function TeamUsagePage({ data }: { data: Data }) {
  const header = (
    <PageHeader
      title="Team usage"
      description={`Who in ${data.teamName} spends what, ${formatDay(data.query.from)} – ${formatDay(data.query.to)}: the same figures and filters as the usage page, per member.`}
    />
  )
  if (data.locked) {
    return (
      <>
        {header}
        <EmptyState
          testId="team-usage-locked"
          title="Team usage is part of the Enterprise plan"
          icon={<UsersIcon className="h-6 w-6" />}
        >
          <p>
            Your team is on the {data.plan === 'pro' ? 'Pro' : 'Free'} plan. On Enterprise this page shows a row per
            member — cost, runs, tokens, share of the team, change against the previous period, budget used, most used
            model, error rate, cost per successful run and cache hit ratio — a chart comparing two to five members over
            time, and the team’s efficiency figures. Ask the operator to move the team to Enterprise.
          </p>
        </EmptyState>
      </>
    )
  }
  return (
    <>
      {header}
      <div className="space-y-6">
        <FilterBar view={data} keep={['sort', 'dir']} />
        <Efficiency data={data} />
        <MembersTable data={data} />
        <Comparison data={data} />
      </div>
    </>
  )
}

function Efficiency({ data }: { data: Open }) {
  const t = data.usage.team
  const figures: [string, string, string][] = [
    ['Team cost', money(t.costUsd), `${signed(t.changePercent)} vs previous period (${money(t.previousCostUsd)})`],
    ['Active members', formatCount(t.activeMembers), `${money(t.costPerActiveMemberUsd)} per active member`],
    [
      'Cost per successful run',
      money(t.costPerSuccessfulRunUsd),
      `${formatCount(t.runs)} runs, error rate ${pct(t.errorRate)}`,
    ],
    [
      'Cost per 1k tokens',
      money(t.costPer1kTokensUsd),
      `${t.tokensPerRun === null ? '—' : formatCount(t.tokensPerRun)} tokens per run`,
    ],
    ['Cache hit ratio', pct(t.cacheHitRatio), 'of input tokens read from the cache'],
  ]
  return (
    <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5" data-testid="team-efficiency">
      {figures.map(([label, value, note]) => (
        <Card key={label} className="p-4">
          <dt className="text-sm text-gray-600 dark:text-gray-400">{label}</dt>
          <dd
            className="mt-1 text-xl font-semibold tabular-nums text-gray-900 dark:text-gray-50"
            data-testid={`efficiency-${label}`}
          >
            {value}
          </dd>
          <dd className="mt-1 text-xs text-gray-500 dark:text-gray-400">{note}</dd>
        </Card>
      ))}
    </dl>
  )
}

function MembersTable({ data }: { data: Open }) {
  const { search } = useLocation()
  const rows = sorted(data.usage.members, data.sort, data.dir)
  const header = (sort: MemberSort, label: string) => {
    const current = data.sort === sort
    const next = current && data.dir === 'desc' ? 'asc' : 'desc'
    return (
      <SortTh
        key={sort}
        label={label}
        search={withParams(search, { sort, dir: next })}
        sorted={current ? (data.dir === 'asc' ? 'ascending' : 'descending') : undefined}
        hint={`sort ${next === 'desc' ? 'descending' : 'ascending'}`}
      />
    )
  }
  return (
    <Card className="overflow-hidden">
      <div className="p-5 pb-3">
        <h2 className={cardTitle}>Members</h2>
        <p className={cardSubtitle}>Tick two to five members to compare their cost over time.</p>
      </div>
      <Form method="get" aria-label="Compare members">
        {[...selectionParams(data.query)].map(([k, v], i) => (
          <input key={`${k}-${i}`} type="hidden" name={k} value={v} />
        ))}
        {data.query.range !== 'custom' ? <input type="hidden" name="range" value={data.query.range} /> : null}
        <div className="relative overflow-x-auto">
          <table className="min-w-full divide-y divide-gray-200 dark:divide-gray-800" data-testid="team-usage-table">
            <TableHead
              columns={[
                '[Compare]',
                header('name', 'Member'),
                ...COLUMNS.map((c) => header(c.sort, c.label)),
                'Most used model',
              ]}
            />
            <tbody className="divide-y divide-gray-100 dark:divide-gray-800">
              {rows.map((r) => (
                <tr key={r.userId ?? 'none'} data-testid="team-usage-row" data-email={r.email ?? ''}>
                  <td className={td}>
                    {r.userId ? (
                      <input
                        type="checkbox"
                        name="compare"
                        value={r.userId}
                        defaultChecked={data.compare.includes(r.userId)}
                        aria-label={`Compare ${r.name}`}
                      />
                    ) : null}
                  </td>
                  <td className={td}>
                    <span className="font-medium text-gray-900 dark:text-gray-100">{r.name}</span>
                    {r.role ? <span className="ml-1 text-xs text-gray-500">{r.role}</span> : null}
                  </td>
                  {COLUMNS.map((c) => (
                    <td key={c.sort} className={`${td} tabular-nums`} data-testid={`cell-${c.sort}`}>
                      {c.show(r)}
                    </td>
                  ))}
                  <td className={td}>{r.topModel ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="p-4">
          <button type="submit" className={buttonPrimary}>
            Compare selected
          </button>
        </div>
      </Form>
    </Card>
  )
}

function Comparison({ data }: { data: Open }) {
  if (!data.comparison) {
    return data.compare.length === 1 ? (
      <p className="text-sm text-gray-600 dark:text-gray-400">Tick at least one more member to compare.</p>
    ) : null
  }
  const names = new Map(data.usage.members.map((m) => [m.userId, m.name]))
  const labels = data.comparison.members.map((id) => names.get(id) ?? id)
  const points = data.comparison.days.map((d) => ({
    label: formatDay(d.day),
    ...Object.fromEntries(labels.map((l, i) => [l, Number(d.costs[i])])),
  }))
  return (
    <Card className="p-5" data-testid="member-comparison">
      <h2 className={cardTitle}>Cost per day: {labels.join(', ')}</h2>
      <p className={cardSubtitle}>
        <Link to={{ search: withParams(new URLSearchParams(selectionParams(data.query)), {}) }} className={linkClass}>
          Clear comparison
        </Link>
      </p>
      <ChartFrame label={`Cost per day of ${labels.join(', ')}`} height="h-72" testId="comparison-chart">
        <AreaChart
          className="h-72"
          data={points}
          index="label"
          categories={labels}
          colors={labels.map((_, i) => SERIES_COLORS[i % SERIES_COLORS.length]!)}
          valueFormatter={formatChartUsd}
          yAxisWidth={72}
          showAnimation={false}
          curveType="monotone"
        />
      </ChartFrame>
    </Card>
  )
}
