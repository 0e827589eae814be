import { formatUsd, usdToNano } from '@costwise/core'
import { useEffect, useRef } from 'react'
import { formatCount } from '../../lib/format'
import type { ImproveResult } from '../../lib/lab/use-prompt-actions'
import { Card } from '../card'
import { BudgetWarning, type BudgetBlock, type BudgetInfo } from './budget-warning'
import { buttonClass } from './styles'

/** The answer as it streams, or the run's error. */
export function RunOutput({
  output,
  running,
  runError,
}: {
  output: string
  running: boolean
  runError: string | null
}) {
  return (
    <Card className="p-4" data-testid="run-output">
      <h2 className="text-sm font-medium">Answer</h2>
      <div className="mt-2 whitespace-pre-wrap text-sm" aria-live="polite" data-testid="run-answer">
        {output || (running ? 'Waiting for the first token…' : '')}
      </div>
      {runError ? (
        <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-300">
          {runError}
        </p>
      ) : null}
    </Card>
  )
}

/** A run a hard budget refused, explained where the user is looking: under the Run button, scrolled into view. */
export function BlockedRun({
  blocked,
  budgets,
  canEditBudgets,
  onDismiss,
}: {
  blocked: BudgetBlock
  budgets: BudgetInfo[]
  canEditBudgets: boolean
  onDismiss: () => void
}) {
  const ref = useRef<HTMLDivElement | null>(null)
  useEffect(() => {
    ref.current?.scrollIntoView?.({ block: 'nearest' })
  }, [blocked])
  return (
    <div ref={ref} tabIndex={-1}>
      <BudgetWarning budgets={budgets} blocked={blocked} canEditBudgets={canEditBudgets} onDismissBlocked={onDismiss} />
    </div>
  )
}

/** "Improve prompt"'s suggestion with its token and cost difference; one click puts it in the editor. */
export function ImproveSuggestion({ improve, onUse }: { improve: ImproveResult; onUse: (improved: string) => void }) {
  return (
    <Card className="space-y-2 p-4" data-testid="improve-result">
      <h2 className="text-sm font-medium">Suggested prompt</h2>
      <pre
        tabIndex={0}
        aria-label="Suggested prompt text"
        className="max-h-48 overflow-auto whitespace-pre-wrap rounded bg-gray-50 p-2 text-xs dark:bg-gray-900"
      >
        {improve.improved}
      </pre>
      <p className="text-xs text-gray-600 dark:text-gray-400">
        {formatCount(improve.before.tokens)} → {formatCount(improve.after.tokens)} tokens (
        {improve.tokenDelta > 0 ? '+' : ''}
        {formatCount(improve.tokenDelta)}); input cost per run {formatUsd(usdToNano(improve.before.inputCostUsd))} →{' '}
        {formatUsd(usdToNano(improve.after.inputCostUsd))}. Asking cost{' '}
        {formatUsd(usdToNano(improve.improveCall.costUsd))}.
      </p>
      <button type="button" className={buttonClass} onClick={() => onUse(improve.improved)}>
        Use this prompt
      </button>
    </Card>
  )
}
