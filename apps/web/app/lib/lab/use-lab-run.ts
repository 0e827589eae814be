import { useRevalidator } from '@remix-run/react'
import { useRef, useState } from 'react'
import { startRun, type RunRefusal, type RunRequest, type RunResult } from './run-stream'

/** A hard budget's refusal, as the budget warning shows it. */
export type RunBlock = Pick<RunRefusal, 'message' | 'budget' | 'estimatedCostUsd'>

export interface LabRunState {
  /** The answer so far, as it streams. */
  output: string
  running: boolean
  /** The finished run's usage and cost. */
  result: RunResult | null
  /** A hard budget refused the run before anything was sent. */
  blocked: RunBlock | null
  runError: string | null
  /** Starts a run of the request (a run in progress is stopped first). */
  run: (request: Omit<RunRequest, 'idempotencyKey'>) => Promise<void>
  stop: () => void
  dismissBlocked: () => void
  /** Forgets the last run (another prompt opened). */
  reset: () => void
}

/** A Lab run: streams the answer, then its usage; a budget's refusal or an error is kept to be shown. */
export function useLabRun(): LabRunState {
  const [output, setOutput] = useState('')
  const [running, setRunning] = useState(false)
  const [result, setResult] = useState<RunResult | null>(null)
  const [blocked, setBlocked] = useState<RunBlock | null>(null)
  const [runError, setRunError] = useState<string | null>(null)
  const revalidator = useRevalidator()
  const abortRef = useRef<AbortController | null>(null)

  function reset() {
    setResult(null)
    setOutput('')
    setBlocked(null)
    setRunError(null)
  }

  async function run(request: Omit<RunRequest, 'idempotencyKey'>) {
    abortRef.current?.abort()
    const controller = new AbortController()
    abortRef.current = controller
    setRunning(true)
    reset()
    try {
      const refusal: RunRefusal | null = await startRun(
        { ...request, idempotencyKey: crypto.randomUUID() },
        (event) => {
          if (event.type === 'delta') setOutput((o) => o + event.text)
          else if (event.type === 'done') setResult(event.result)
          else if (event.type === 'error') setRunError(event.message)
        },
        controller.signal,
      )
      if (refusal) {
        if (refusal.code === 'BUDGET_EXCEEDED')
          setBlocked({ message: refusal.message, budget: refusal.budget, estimatedCostUsd: refusal.estimatedCostUsd })
        else setRunError(refusal.message)
      }
    } catch (error) {
      if (!controller.signal.aborted) setRunError(error instanceof Error ? error.message : 'The run failed; try again.')
    } finally {
      setRunning(false)
      // After a run, reload the run history and the budgets.
      revalidator.revalidate()
    }
  }

  return {
    output,
    running,
    result,
    blocked,
    runError,
    run,
    stop: () => abortRef.current?.abort(),
    dismissBlocked: () => setBlocked(null),
    reset,
  }
}
