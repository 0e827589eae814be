import { useFetcher, useNavigate } from '@remix-run/react'
import { useEffect, useRef } from 'react'

/** What the Lab's action answers to a save, rename, improve or delete. */
export interface LabActionData {
  ok: boolean
  intent: string
  id?: string
  name?: string
  message?: string
  improve?: ImproveResult
}

/** "Improve prompt": the suggested text, its token and cost difference, and what asking cost. */
export interface ImproveResult {
  improved: string
  before: { tokens: number; inputCostUsd: string }
  after: { tokens: number; inputCostUsd: string }
  tokenDelta: number
  costDeltaUsd: string
  improveCall: { costUsd: string; inputTokens: number; outputTokens: number }
}

/**
 * The Lab's posts (save, rename, improve, delete) through one fetcher. After a save of a new prompt it opens the
 * prompt at its own address; after a delete, the empty Lab.
 */
export function usePromptActions(promptId: string | undefined) {
  const fetcher = useFetcher<LabActionData>()
  const navigate = useNavigate()
  const handled = useRef<unknown>(null)
  useEffect(() => {
    const data = fetcher.data
    if (!data || handled.current === data || fetcher.state !== 'idle') return
    handled.current = data
    if (data.ok && data.intent === 'save' && data.id && data.id !== promptId) navigate(`/lab/${data.id}`)
    if (data.ok && data.intent === 'delete') navigate('/lab')
  }, [fetcher.data, fetcher.state, navigate, promptId])

  const data = fetcher.data
  const busy = fetcher.state !== 'idle'
  return {
    fetcher,
    busy,
    improving: busy && fetcher.formData?.get('intent') === 'improve',
    improve: data?.intent === 'improve' && data.ok ? data.improve : undefined,
    actionError: data && !data.ok ? data.message : null,
    saved: data?.ok === true && (data.intent === 'save' || data.intent === 'rename') && fetcher.state === 'idle',
  }
}

export type PromptActions = ReturnType<typeof usePromptActions>
