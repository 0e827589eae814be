import { Link, useFetcher } from '@remix-run/react'
import type { RecommendationCardView, RecommendationsActionData, RecommendationTab } from '../../recommendations.server'
import { Card } from '../card'
import { EmptyState } from '../empty-state'
import { LightBulbIcon } from '../icons'
import { PageHeader } from '../page-header'
import { buttonDanger, buttonPrimary, buttonSecondary, linkClass } from '../usage/styles'

export interface RecommendationsPageData {
  tab: RecommendationTab
  counts: Record<RecommendationTab, number>
  canAct: boolean
  cards: RecommendationCardView[]
  summary: { saved: string; savedPercent: number; spend: string; open: string; month: string }
}

const TAB_LABEL: Record<RecommendationTab, string> = {
  open: 'Open',
  snoozed: 'Snoozed',
  applied: 'Applied',
  dismissed: 'Dismissed',
}

/** What to change, what it would have saved over the last 30 days, and what applied changes saved since. */
export function RecommendationsPage({ data }: { data: RecommendationsPageData }) {
  const fetcher = useFetcher<RecommendationsActionData>()
  const busy = fetcher.state !== 'idle'
  const pending = busy ? String(fetcher.formData?.get('intent') ?? '') : ''
  const result = fetcher.state === 'idle' ? fetcher.data : undefined
  return (
    <>
      <PageHeader
        title="Recommendations"
        description="What to change, what it would have saved over the last 30 days (re-priced exactly), and what applied changes saved since."
        actions={
          data.canAct ? (
            <fetcher.Form method="post">
              <button type="submit" name="intent" value="refresh" className={buttonSecondary} disabled={busy}>
                {pending === 'refresh' ? 'Looking at the last 30 days…' : 'Refresh now'}
              </button>
            </fetcher.Form>
          ) : null
        }
      />
      <Card className="mb-6 p-5" data-testid="recommendations-summary">
        <p className="text-base text-gray-900 dark:text-gray-100">
          Recommendations saved{' '}
          <strong className="font-semibold tabular-nums" data-testid="saved-this-month">
            {data.summary.saved}
          </strong>{' '}
          this month, <strong className="font-semibold tabular-nums">{data.summary.savedPercent}%</strong> of spend.
        </p>
        <p className="mt-1 text-sm text-gray-600 dark:text-gray-400">
          Measured on the runs of each applied change against its cost per run before, in {data.summary.month} (
          {data.summary.spend} spent). Open recommendations would save{' '}
          <span className="font-medium tabular-nums">{data.summary.open}</span> a month.
        </p>
      </Card>
      <nav aria-label="Recommendation status" className="mb-4">
        <ul className="flex flex-wrap gap-1 rounded-lg bg-gray-100 p-1 dark:bg-gray-800/60 sm:inline-flex">
          {(Object.keys(TAB_LABEL) as RecommendationTab[]).map((t) => (
            <li key={t}>
              <Link
                to={t === 'open' ? '?' : `?status=${t}`}
                aria-current={data.tab === t ? 'page' : undefined}
                className={`block rounded-md px-3 py-1.5 text-sm font-medium ${
                  data.tab === t
                    ? 'bg-white text-gray-900 shadow-sm dark:bg-gray-900 dark:text-white'
                    : 'text-gray-600 dark:text-gray-300'
                }`}
              >
                {TAB_LABEL[t]} <span className="tabular-nums">({data.counts[t]})</span>
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <p
        role="status"
        className="mb-3 min-h-[1.25rem] text-sm text-gray-700 dark:text-gray-300"
        data-testid="recommendations-status"
      >
        {busy ? 'Saving…' : result ? (result.ok ? result.message : result.error) : ''}
      </p>
      {data.cards.length === 0 ? (
        <EmptyState
          testId="recommendations-empty"
          title={
            data.tab === 'open' ? 'Nothing to recommend' : `No ${TAB_LABEL[data.tab].toLowerCase()} recommendations`
          }
          icon={<LightBulbIcon className="h-6 w-6" />}
        >
          <p>
            Every night (and when you refresh) Costwise looks at the last 30 days for prompts that would cost far less
            on a smaller model, limits far above what prompts answer, long prompts sent without caching, bulk traffic
            that could use a batch API, prompts whose context keeps growing, and models without a price. Savings are the
            exact cost of those runs re-priced.
          </p>
        </EmptyState>
      ) : (
        <ul className="space-y-4" aria-label={`${TAB_LABEL[data.tab]} recommendations`}>
          {data.cards.map((card) => (
            <li key={card.id}>
              <RecommendationCard card={card} canAct={data.canAct} fetcher={fetcher} busy={busy} />
            </li>
          ))}
        </ul>
      )}
    </>
  )
}

function RecommendationCard({
  card,
  canAct,
  fetcher,
  busy,
}: {
  card: RecommendationCardView
  canAct: boolean
  fetcher: ReturnType<typeof useFetcher<RecommendationsActionData>>
  busy: boolean
}) {
  const titleId = `rec-${card.id}-title`
  return (
    <Card
      className="p-5"
      data-testid="recommendation-card"
      data-kind={card.kind}
      data-state={card.tab}
      aria-labelledby={titleId}
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 flex-1">
          <p className="text-xs font-semibold uppercase tracking-wide text-indigo-700 dark:text-indigo-300">
            {card.kindLabel}
          </p>
          <h2 id={titleId} className="mt-1 text-base font-semibold text-gray-900 dark:text-gray-100">
            {card.title}
          </h2>
        </div>
        <p
          className="shrink-0 text-right text-sm font-semibold tabular-nums text-emerald-700 dark:text-emerald-300"
          data-testid="recommendation-savings"
        >
          {card.headline}
        </p>
      </div>
      <p className="mt-2 text-sm text-gray-700 dark:text-gray-300">{card.summary}</p>
      {card.realised ? (
        <p
          className="mt-3 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:bg-emerald-500/15 dark:text-emerald-100"
          data-testid="realised-savings"
        >
          Saved <strong className="font-semibold tabular-nums">{card.realised.saved}</strong> over {card.realised.runs}{' '}
          since it was applied ({card.realised.savedThisMonth} this month), against {card.realised.baseline} a run
          before.
        </p>
      ) : null}
      <details className="mt-3 text-sm">
        <summary className="cursor-pointer text-gray-600 dark:text-gray-400">Evidence</summary>
        <dl className="mt-2 grid grid-cols-1 gap-x-6 gap-y-1 sm:grid-cols-2">
          {card.evidence.map(([k, v]) => (
            <div key={k} className="flex justify-between gap-3">
              <dt className="text-gray-600 dark:text-gray-400">{k}</dt>
              <dd className="text-right font-medium tabular-nums text-gray-900 dark:text-gray-100">{v}</dd>
            </div>
          ))}
        </dl>
      </details>
      <div className="mt-4 flex flex-wrap items-center gap-2">
        {canAct && card.tab === 'open' && card.applicable ? (
          <fetcher.Form method="post">
            <button type="submit" name="intent" value={`apply:${card.id}`} className={buttonPrimary} disabled={busy}>
              Apply<span className="sr-only">: {card.title}</span>
            </button>
          </fetcher.Form>
        ) : null}
        {canAct && (card.tab === 'open' || card.tab === 'snoozed') ? (
          <fetcher.Form method="post" className="flex gap-2">
            {card.tab === 'open' ? (
              <button
                type="submit"
                name="intent"
                value={`snooze:${card.id}`}
                className={buttonSecondary}
                disabled={busy}
              >
                Snooze for a week<span className="sr-only">: {card.title}</span>
              </button>
            ) : null}
            <button type="submit" name="intent" value={`dismiss:${card.id}`} className={buttonDanger} disabled={busy}>
              Dismiss<span className="sr-only">: {card.title}</span>
            </button>
          </fetcher.Form>
        ) : null}
        {canAct && card.tab === 'dismissed' ? (
          <fetcher.Form method="post">
            <button type="submit" name="intent" value={`reopen:${card.id}`} className={buttonSecondary} disabled={busy}>
              Reopen<span className="sr-only">: {card.title}</span>
            </button>
          </fetcher.Form>
        ) : null}
        {card.link ? (
          <Link to={card.link.to} className={`${linkClass} text-sm`}>
            {card.link.label}
          </Link>
        ) : null}
        {card.note ? <span className="text-sm text-gray-600 dark:text-gray-400">{card.note}</span> : null}
      </div>
    </Card>
  )
}
