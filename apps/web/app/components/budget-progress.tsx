import { barWidth, LEVEL_BAR, LEVEL_LABEL, type Level } from '../lib/budget-level'

/** A labelled progress bar (role="progressbar") coloured by the budget's level. */
export function BudgetProgress({
  label,
  percentUsed,
  level,
  valueText,
  className = 'h-2',
}: {
  label: string
  percentUsed: number
  level: Level
  valueText: string
  className?: string
}) {
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(Math.max(0, Math.min(100, percentUsed)))}
      aria-valuetext={`${valueText} (${LEVEL_LABEL[level]})`}
      data-level={level}
      className={`w-full overflow-hidden rounded-full bg-gray-200 dark:bg-gray-800 ${className}`}
    >
      <div className={`h-full rounded-full ${LEVEL_BAR[level]}`} style={{ width: barWidth(percentUsed) }} />
    </div>
  )
}
