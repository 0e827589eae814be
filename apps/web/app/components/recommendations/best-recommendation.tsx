import { Link } from '@remix-run/react'
import type { BestRecommendationView } from '../../lib/usage-dashboard-view'
import { Card } from '../card'
import { LightBulbIcon } from '../icons'
import { linkClass } from '../usage/styles'

/** The usage page's pointer to the open recommendation that would save the most. */
export function BestRecommendation({ rec }: { rec: BestRecommendationView }) {
  return (
    <Card className="flex gap-4 p-5" data-testid="best-recommendation">
      <div className="flex h-10 w-10 shrink-0 items-center justify-center rounded-full bg-amber-50 text-amber-700 dark:bg-amber-500/15 dark:text-amber-300">
        <LightBulbIcon className="h-5 w-5" />
      </div>
      <div className="min-w-0 flex-1">
        <p className="text-xs font-semibold uppercase tracking-wide text-amber-700 dark:text-amber-300">
          Top recommendation{rec.savings ? ` · saves ${rec.savings}` : ''}
        </p>
        <h2 className="mt-1 text-base font-semibold text-gray-900 dark:text-gray-100">{rec.title}</h2>
        <p className="mt-1 text-sm text-gray-600 dark:text-gray-400">{rec.summary}</p>
        <Link to="/dashboard/recommendations" className={`${linkClass} mt-2 inline-block text-sm`}>
          {rec.openCount > 1 ? `See all ${rec.openCount} recommendations` : 'Review and apply it'}{' '}
          <span aria-hidden="true">→</span>
        </Link>
      </div>
    </Card>
  )
}
