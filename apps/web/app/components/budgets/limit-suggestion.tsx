import { formatUsd, usdToNano } from '@costwise/core'
import { useEffect, useState } from 'react'
import { buttonPrimary, buttonSecondary } from '../usage/styles'

/** The scope a suggestion is for, as the form holds it. */
export interface SuggestionScope {
  scope: string
  userId: string
  apiKeyId: string
  promptId: string
  period: string
  timeZone: string
}

interface Suggestion {
  limitUsd: string | null
  explanation: string
}

/**
 * "Suggest a limit": asks the server for a limit from this scope's recent usage (p95 of past periods plus
 * headroom, or this period's forecast) and says how it got there; "Use" puts it in the limit field.
 */
export function LimitSuggestion({ values, onUse }: { values: SuggestionScope; onUse: (limitUsd: string) => void }) {
  const [state, setState] = useState<
    { status: 'idle' | 'loading' } | { status: 'done'; suggestion: Suggestion } | { status: 'error'; message: string }
  >({ status: 'idle' })
  const key = [values.scope, values.userId, values.apiKeyId, values.promptId, values.period, values.timeZone].join('|')
  useEffect(() => setState({ status: 'idle' }), [key])
  const ask = async () => {
    setState({ status: 'loading' })
    const params = new URLSearchParams({ scope: values.scope, period: values.period })
    if (values.scope === 'user' && values.userId) params.set('userId', values.userId)
    if (values.scope === 'api_key' && values.apiKeyId) params.set('apiKeyId', values.apiKeyId)
    if (values.scope === 'prompt' && values.promptId) params.set('promptId', values.promptId)
    if (values.timeZone) params.set('timeZone', values.timeZone)
    try {
      const response = await fetch(`/api/usage/budget/suggestion?${params}`, {
        headers: { accept: 'application/json' },
      })
      const body = (await response.json()) as Suggestion & { message?: string }
      setState(
        response.ok
          ? { status: 'done', suggestion: body }
          : { status: 'error', message: body.message ?? 'Could not suggest a limit.' },
      )
    } catch {
      setState({ status: 'error', message: 'Could not reach the server; try again.' })
    }
  }
  return (
    <div className="rounded-lg bg-gray-50 p-3 text-sm dark:bg-gray-800/50" data-testid="limit-suggestion">
      <div className="flex flex-wrap items-center gap-2">
        <button type="button" className={buttonSecondary} onClick={ask} disabled={state.status === 'loading'}>
          {state.status === 'loading' ? 'Looking at recent usage…' : 'Suggest a limit'}
        </button>
        {state.status === 'done' && state.suggestion.limitUsd ? (
          <button type="button" className={buttonPrimary} onClick={() => onUse(state.suggestion.limitUsd!)}>
            Use {formatUsd(usdToNano(state.suggestion.limitUsd))}
          </button>
        ) : null}
      </div>
      <p className="mt-2 text-xs text-gray-600 dark:text-gray-400" role="status">
        {state.status === 'done'
          ? state.suggestion.explanation
          : state.status === 'error'
            ? state.message
            : 'From this scope’s recent spend: the 95th percentile of past periods plus 20% headroom.'}
      </p>
    </div>
  )
}
