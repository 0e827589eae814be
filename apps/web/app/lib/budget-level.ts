// How a budget's level looks: green while it is fine, amber from the warning threshold, red at the limit.
export type Level = 'ok' | 'info' | 'warning' | 'critical'

export const LEVEL_BAR: Record<Level, string> = {
  ok: 'bg-emerald-500',
  info: 'bg-emerald-500',
  warning: 'bg-amber-500',
  critical: 'bg-red-600',
}
export const LEVEL_TEXT: Record<Level, string> = {
  ok: 'text-emerald-700 dark:text-emerald-300',
  info: 'text-emerald-700 dark:text-emerald-300',
  warning: 'text-amber-700 dark:text-amber-300',
  critical: 'text-red-700 dark:text-red-300',
}
export const LEVEL_LABEL: Record<Level, string> = {
  ok: 'On track',
  info: 'Half used',
  warning: 'Warning',
  critical: 'Over limit',
}

/** Width of a progress bar, clamped to 0–100 %. */
export function barWidth(percentUsed: number): string {
  return `${Math.max(0, Math.min(100, percentUsed))}%`
}
