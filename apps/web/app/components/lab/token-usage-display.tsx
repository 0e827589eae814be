import { formatUsd, tierAllows, usdToNano, type Tier } from '@costwise/core'
import { formatCount } from '../../lib/format'
import type { RunResult } from '../../lib/lab/run-stream'
import { Card } from '../card'

function ms(value: number | null): string {
  if (value === null) return '—'
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value} ms`
}

/**
 * What a run actually used, as the provider reported it: tokens by kind, cost (split on Pro and up), time to
 * first token and total time, and the estimate beside the actual.
 */
export function TokenUsageDisplay({ result, tier }: { result: RunResult; tier: Tier }) {
  const { usage, estimate } = result
  const split = tierAllows(tier, 'costSplit')
  const estimated = usdToNano(estimate.estimatedCostUsd)
  const actual = usdToNano(usage.costUsd)
  return (
    <Card className="p-4" data-testid="token-usage">
      <h2 className="text-sm font-medium text-gray-900 dark:text-gray-50">
        {result.status === 'ok' ? 'What this run used' : 'What the failed run was billed'}
      </h2>
      <dl className="mt-3 grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
        <Figure label="Input tokens" value={formatCount(usage.inputTokens)} testId="usage-input" />
        <Figure label="Output tokens" value={formatCount(usage.outputTokens)} testId="usage-output" />
        <Figure label="Cached input" value={formatCount(usage.cachedInputTokens)} testId="usage-cached" />
        <Figure label="Reasoning" value={formatCount(usage.reasoningTokens)} testId="usage-reasoning" />
        <Figure label="Cost" value={formatUsd(actual)} testId="usage-cost" strong />
        <Figure label="Estimated (max)" value={formatUsd(estimated)} testId="usage-estimate" />
        <Figure label="First token" value={ms(result.timeToFirstTokenMs)} testId="usage-ttft" />
        <Figure label="Total time" value={ms(result.latencyMs)} testId="usage-latency" />
      </dl>
      {split ? (
        <dl
          className="mt-3 grid grid-cols-2 gap-3 border-t border-gray-200 pt-3 text-xs text-gray-600 dark:border-gray-800 dark:text-gray-400 sm:grid-cols-4"
          data-testid="usage-breakdown"
        >
          <Figure label="Input cost" value={formatUsd(usdToNano(usage.breakdown.inputUsd))} />
          <Figure label="Cached input cost" value={formatUsd(usdToNano(usage.breakdown.cachedInputUsd))} />
          <Figure label="Output cost" value={formatUsd(usdToNano(usage.breakdown.outputUsd))} />
          <Figure label="Reasoning cost" value={formatUsd(usdToNano(usage.breakdown.reasoningUsd))} />
        </dl>
      ) : null}
      <p className="mt-3 text-xs text-gray-600 dark:text-gray-400">
        Estimated {formatCount(estimate.inputTokens)} prompt tokens, the provider counted{' '}
        {formatCount(usage.inputTokens)}; the estimate reserved up to {formatUsd(estimated)}, the run cost{' '}
        {formatUsd(actual)}.
      </p>
      {result.error ? (
        <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-300">
          {result.error.message}
        </p>
      ) : null}
    </Card>
  )
}

function Figure({
  label,
  value,
  testId,
  strong = false,
}: {
  label: string
  value: string
  testId?: string
  strong?: boolean
}) {
  return (
    <div data-testid={testId}>
      <dt className="text-gray-600 dark:text-gray-400">{label}</dt>
      <dd className={`tabular-nums ${strong ? 'text-lg font-semibold' : ''}`}>{value}</dd>
    </div>
  )
}
