import { formatUsd, tierAllows, type Tier } from '@costwise/core'
import { formatCount } from '../../lib/format'
import type { Preview } from '../../lib/lab/preview'
import { Card } from '../card'

export interface TokenPreviewProps {
  preview: Preview | null
  tier: Tier
  /** The tokenizer is still loading (first visit to the Lab). */
  loading?: boolean
  /** The preview lags the text (a deferred update is pending). */
  stale?: boolean
  /** Who counted: the server (until the browser's tokenizer is ready) or the browser. */
  source?: 'server' | 'browser' | null
  onSwitchModel?: (model: string) => void
}

/**
 * Tokens and estimated cost of the draft, updated as you type. Free: totals. Pro and up: the input/output
 * split and cheaper models side by side, one click to switch. Per-message counts where the plan includes
 * them (core `tierAllows(tier, 'perMessageBreakdown')`).
 */
export function TokenPreview({
  preview,
  tier,
  loading = false,
  stale = false,
  source = null,
  onSwitchModel,
}: TokenPreviewProps) {
  const split = tierAllows(tier, 'costSplit')
  const alternatives = tierAllows(tier, 'cheaperAlternatives')
  const perMessage = tierAllows(tier, 'perMessageBreakdown')
  return (
    <Card
      className="p-4"
      data-testid="token-preview"
      data-source={source ?? undefined}
      aria-busy={loading || stale || undefined}
    >
      <h2 className="text-sm font-medium text-gray-900 dark:text-gray-50">Before you run</h2>
      {loading || !preview ? (
        <p className="mt-2 text-sm text-gray-600 dark:text-gray-400" role="status">
          Counting…
        </p>
      ) : (
        <>
          <dl className="mt-3 grid grid-cols-2 gap-3 text-sm">
            <div>
              <dt className="text-gray-600 dark:text-gray-400">Prompt tokens</dt>
              <dd className="text-xl font-semibold tabular-nums" data-testid="preview-tokens">
                {formatCount(preview.inputTokens)}
                {preview.exact ? null : (
                  <span
                    className="ml-1 text-xs font-normal text-gray-500"
                    title="This provider's tokenizer is not public; estimated from o200k"
                  >
                    ≈
                  </span>
                )}
              </dd>
            </div>
            <div>
              <dt className="text-gray-600 dark:text-gray-400">Estimated cost, at most</dt>
              <dd className="text-xl font-semibold tabular-nums" data-testid="preview-cost">
                {preview.priced ? formatUsd(preview.totalNano) : 'unpriced'}
              </dd>
            </div>
            {split ? (
              <>
                <div data-testid="preview-input-cost">
                  <dt className="text-gray-600 dark:text-gray-400">Input</dt>
                  <dd className="tabular-nums">{formatUsd(preview.inputCostNano)}</dd>
                </div>
                <div data-testid="preview-output-cost">
                  <dt className="text-gray-600 dark:text-gray-400">
                    Output (up to {formatCount(preview.maxOutputTokens)} tokens)
                  </dt>
                  <dd className="tabular-nums">{formatUsd(preview.maxOutputCostNano)}</dd>
                </div>
              </>
            ) : null}
          </dl>
          <p className="mt-2 text-xs text-gray-600 dark:text-gray-400" data-testid="preview-price-source">
            {source === 'server'
              ? 'Estimated by the server; live counting starts in a moment.'
              : priceSourceText(preview)}
          </p>
          {perMessage ? (
            <ul
              className="mt-3 space-y-1 text-xs text-gray-600 dark:text-gray-400"
              data-testid="preview-per-message"
              aria-label="Tokens per message"
            >
              {preview.perMessage.map((m) => (
                <li key={m.role} className="flex justify-between">
                  <span className="capitalize">{m.role} message</span>
                  <span className="tabular-nums">{formatCount(m.tokens)} tokens</span>
                </li>
              ))}
            </ul>
          ) : null}
          {alternatives ? (
            preview.alternatives.length > 0 ? (
              <div className="mt-4" data-testid="preview-alternatives">
                <h3 className="text-xs font-medium uppercase tracking-wide text-gray-500">
                  Cheaper for the same prompt
                </h3>
                <ul className="mt-2 space-y-1">
                  {preview.alternatives.map((a) => (
                    <li key={a.model} className="flex items-center justify-between gap-2 text-sm">
                      <span>
                        <span className="font-medium">{a.displayName}</span>:{' '}
                        <span className="tabular-nums">{formatUsd(a.totalNano)}</span>{' '}
                        <span className="text-emerald-700 dark:text-emerald-300">
                          — {Math.round(a.savingsPct)} % less
                        </span>
                      </span>
                      {onSwitchModel ? (
                        <button
                          type="button"
                          className="rounded border border-gray-300 px-2 py-0.5 text-xs hover:bg-gray-50 dark:border-gray-700 dark:hover:bg-gray-800"
                          onClick={() => onSwitchModel(a.model)}
                          aria-label={`Switch to ${a.displayName}`}
                        >
                          Switch
                        </button>
                      ) : null}
                    </li>
                  ))}
                </ul>
              </div>
            ) : (
              <p className="mt-4 text-xs text-gray-500">This is already the cheapest model that fits.</p>
            )
          ) : (
            <p className="mt-4 text-xs text-gray-500" data-testid="preview-upgrade">
              The input/output split and cheaper models come with the Pro plan.
            </p>
          )}
        </>
      )}
    </Card>
  )
}

const TIER_LABEL = { default: 'standard', flex: 'flex', priority: 'priority' } as const

/** Which price the estimate uses: the team's own, a discount, an imported list price or the catalogue's. */
function priceSourceText(preview: Preview): string {
  if (!preview.priced) return preview.unpricedReason ?? 'This model has no price yet.'
  const tier = preview.serviceTier === 'default' ? '' : ` (${TIER_LABEL[preview.serviceTier]} processing)`
  switch (preview.priceSource) {
    case 'custom':
      return `At your team's custom price${tier}.`
    case 'discount':
      return `At list price less your team's ${preview.discountPct ? `${Number(preview.discountPct)} % ` : ''}discount${tier}.`
    case 'import':
      return `At the imported list price${tier}.`
    default:
      return `At list price${tier}.`
  }
}
