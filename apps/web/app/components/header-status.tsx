import { Link } from '@remix-run/react'
import { useUnreadCount } from '../lib/use-unread-count'
import { BudgetProgress } from './budget-progress'
import { BellIcon } from './icons'

export interface HeaderBudget {
  name: string
  percentUsed: number
  level: 'ok' | 'info' | 'warning' | 'critical'
  /** e.g. "$52.10 of $80.00". */
  summary: string
  /** When the forecast says it runs out before its period ends, the day (e.g. "Nov 20"); else null. */
  runsOutOn?: string | null
}

export interface HeaderStatusData {
  budget: HeaderBudget | null
  unreadAlerts: number
}

/** The header's budget gauge (the budget closest to its limit) and the alert bell with its unread count. */
export function HeaderStatus({ status, compact = false }: { status: HeaderStatusData; compact?: boolean }) {
  const unread = useUnreadCount(status.unreadAlerts)
  const { budget } = status
  return (
    <div className="flex items-center gap-3">
      {budget ? (
        <Link
          to="/dashboard/budget-settings"
          className="group flex min-w-0 items-center gap-2 rounded-md px-2 py-1 hover:bg-gray-100 dark:hover:bg-gray-800"
          data-testid="header-budget"
          title={`${budget.name}: ${budget.summary}${budget.runsOutOn ? `; at this rate it runs out on ${budget.runsOutOn}` : ''}`}
        >
          <div className={compact ? 'w-16' : 'w-40'}>
            {compact ? null : (
              <p className="truncate text-xs font-medium text-gray-700 dark:text-gray-300">
                {budget.name} · <span className="tabular-nums">{budget.percentUsed.toFixed(0)}%</span>
              </p>
            )}
            <BudgetProgress
              label={`Budget ${budget.name}`}
              percentUsed={budget.percentUsed}
              level={budget.level}
              valueText={`${budget.percentUsed.toFixed(0)}% used, ${budget.summary}${budget.runsOutOn ? `, runs out ${budget.runsOutOn}` : ''}`}
              className="mt-1 h-1.5"
            />
            {budget.runsOutOn && !compact ? (
              <p
                className="mt-0.5 truncate text-[11px] font-medium text-amber-700 dark:text-amber-300"
                data-testid="header-runs-out"
              >
                Runs out {budget.runsOutOn} at this rate
              </p>
            ) : null}
          </div>
          {compact ? (
            <span className="text-xs tabular-nums text-gray-700 dark:text-gray-300">
              {budget.percentUsed.toFixed(0)}%
            </span>
          ) : null}
        </Link>
      ) : null}
      <Link
        to="/dashboard/alerts"
        className="relative rounded-md p-2 text-gray-600 hover:bg-gray-100 hover:text-gray-900 dark:text-gray-300 dark:hover:bg-gray-800"
        aria-label={unread > 0 ? `Alerts, ${unread} unread` : 'Alerts, none unread'}
        data-testid="alert-bell"
      >
        <BellIcon className="h-6 w-6" />
        {unread > 0 ? (
          <span
            aria-hidden="true"
            data-testid="alert-count"
            className="absolute -right-0.5 -top-0.5 flex h-5 min-w-[1.25rem] items-center justify-center rounded-full bg-red-600 px-1 text-[11px] font-semibold leading-none text-white"
          >
            {unread > 99 ? '99+' : unread}
          </span>
        ) : null}
      </Link>
    </div>
  )
}
