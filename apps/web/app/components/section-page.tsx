import { Link } from '@remix-run/react'
import type { ReactNode } from 'react'
import { EmptyState } from './empty-state'
import { PageHeader } from './page-header'

/** A section that has nothing to list yet: what it will hold, and the way back to the usage page. */
export function SectionPage({
  title,
  description,
  emptyTitle,
  icon,
  children,
  extra,
}: {
  title: string
  description: string
  emptyTitle: string
  icon: ReactNode
  children: ReactNode
  extra?: ReactNode
}) {
  return (
    <>
      <PageHeader title={title} description={description} />
      {extra}
      <EmptyState
        testId="section-empty"
        title={emptyTitle}
        icon={icon}
        action={
          <Link
            to="/dashboard/usage"
            className="text-sm font-semibold text-indigo-600 hover:text-indigo-500 dark:text-indigo-400 dark:hover:text-indigo-300"
          >
            See your team’s usage <span aria-hidden="true">→</span>
          </Link>
        }
      >
        <p>{children}</p>
      </EmptyState>
    </>
  )
}
