import type { CardView } from '../lib/usage-dashboard-view'
import { Card } from './card'

const tone: Record<CardView['change']['direction'], string> = {
  up: 'text-amber-700 dark:text-amber-300',
  down: 'text-emerald-700 dark:text-emerald-300',
  flat: 'text-gray-600 dark:text-gray-400',
  new: 'text-gray-600 dark:text-gray-400',
}
const arrow: Record<CardView['change']['direction'], string> = { up: '↑', down: '↓', flat: '→', new: '•' }

/** Headline figures for the period, each with its change against the previous period of the same length. */
export function SummaryCards({
  cards,
  period,
  loading = false,
}: {
  cards: CardView[]
  period: string
  loading?: boolean
}) {
  return (
    <dl className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-4" aria-busy={loading || undefined}>
      {cards.map((card) => (
        <Card key={card.id} className="p-5" data-testid={`summary-${card.id}`}>
          <dt className="text-sm font-medium text-tremor-content dark:text-dark-tremor-content">{card.label}</dt>
          {loading ? (
            <dd aria-hidden="true" className="mt-3 space-y-2" data-testid="summary-skeleton">
              <div className="h-8 w-32 animate-pulse rounded bg-gray-200 dark:bg-gray-800" />
              <div className="h-3 w-24 animate-pulse rounded bg-gray-100 dark:bg-gray-800/60" />
            </dd>
          ) : (
            <>
              <dd
                className="mt-2 text-3xl font-semibold tabular-nums tracking-tight text-tremor-content-strong dark:text-dark-tremor-content-strong"
                title={card.title}
                data-testid="summary-value"
              >
                {card.value}
              </dd>
              <dd className="mt-1 flex flex-wrap items-center gap-x-2 text-xs text-gray-600 dark:text-gray-400">
                <span
                  className={`inline-flex items-center gap-0.5 font-medium tabular-nums ${tone[card.change.direction]}`}
                  title={`${card.changeText}; was ${card.previousValue}`}
                  data-testid="summary-change"
                  data-direction={card.change.direction}
                >
                  <span aria-hidden="true">{arrow[card.change.direction]}</span>
                  <span aria-hidden="true">{card.change.label}</span>
                  <span className="sr-only">{card.changeText}</span>
                </span>
                <span>{period}</span>
              </dd>
            </>
          )}
        </Card>
      ))}
    </dl>
  )
}
