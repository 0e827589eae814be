import type { ReactNode } from 'react'

/** A calm, bordered panel for pages and sections that have nothing to show yet. */
export function EmptyState({
  title,
  children,
  action,
  icon,
  testId,
}: {
  title: string
  children: ReactNode
  action?: ReactNode
  icon?: ReactNode
  testId?: string
}) {
  return (
    <section
      data-testid={testId}
      className="flex flex-col items-center rounded-xl border border-dashed border-gray-300 bg-white px-6 py-12 text-center dark:border-gray-700 dark:bg-gray-900/40"
    >
      {icon ? (
        <div className="mb-4 flex h-12 w-12 items-center justify-center rounded-full bg-indigo-50 text-indigo-600 dark:bg-indigo-500/15 dark:text-indigo-300">
          {icon}
        </div>
      ) : null}
      <h2 className="text-base font-semibold text-gray-900 dark:text-gray-100">{title}</h2>
      <div className="mt-2 max-w-prose text-sm leading-6 text-gray-600 dark:text-gray-400">{children}</div>
      {action ? <div className="mt-6">{action}</div> : null}
    </section>
  )
}
