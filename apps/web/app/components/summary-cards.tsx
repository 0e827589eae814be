import { Card } from './card'
import { formatCompact, formatCount } from '../lib/format'

export interface UsageTotals {
  /** Already formatted from the exact decimal, e.g. "$1,234.56". */
  cost: string
  inputTokens: number
  outputTokens: number
  runs: number
}

interface Stat {
  id: string
  label: string
  value: string
  /** The exact figure when the value is abbreviated. */
  title?: string
}

function stats(totals: UsageTotals): Stat[] {
  return [
    { id: 'cost', label: 'Total cost', value: totals.cost },
    {
      id: 'input-tokens',
      label: 'Input tokens',
      value: formatCompact(totals.inputTokens),
      title: `${formatCount(totals.inputTokens)} input tokens`,
    },
    {
      id: 'output-tokens',
      label: 'Output tokens',
      value: formatCompact(totals.outputTokens),
      title: `${formatCount(totals.outputTokens)} output tokens`,
    },
    { id: 'runs', label: 'Runs', value: formatCount(totals.runs) },
  ]
}

/** Four headline figures for a period: cost, input and output tokens, runs. */
export function SummaryCards({ totals, period }: { totals: UsageTotals; period: string }) {
  return (
    <dl className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-4">
      {stats(totals).map((stat) => (
        <Card key={stat.id} className="p-5" data-testid={`summary-${stat.id}`}>
          <dt className="text-sm font-medium text-tremor-content dark:text-dark-tremor-content">{stat.label}</dt>
          <dd
            className="mt-2 text-3xl font-semibold tabular-nums tracking-tight text-tremor-content-strong dark:text-dark-tremor-content-strong"
            title={stat.title}
          >
            {stat.value}
          </dd>
          <dd className="mt-1 text-xs text-tremor-content-subtle dark:text-dark-tremor-content-subtle">{period}</dd>
        </Card>
      ))}
    </dl>
  )
}
