import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react'
import type { HeatSegment } from './heat-map'
import {
  filledVariables,
  previewFromEstimate,
  type LabPricing,
  type Preview,
  type PromptDraft,
  type ServerEstimate,
} from './preview'
import type { WorkerRequest, WorkerResponse } from './preview.worker'

// The Lab's live preview. The page arrives with the server's estimate of the opening draft (so a preview is on
// screen at first paint); the browser's own counter starts in a Web Worker and takes over once its encoding is
// loaded. Until then, edits are estimated by the server (POST /api/lab/estimate, debounced). The worker is one per page
// session: client-side navigations between prompts reuse it and the encodings it has loaded.

export type PreviewSource = 'server' | 'browser'

let shared: Worker | null | undefined
function previewWorker(): Worker | null {
  if (shared !== undefined) return shared
  try {
    // A mark for bench/lab.bench.ts: main-thread tasks after it happen while the tokenizer loads.
    performance.mark('lab-preview-worker')
    shared = new Worker(new URL('./preview.worker.ts', import.meta.url), { type: 'module', name: 'lab-preview' })
  } catch {
    shared = null // no module workers: the server keeps estimating
  }
  return shared
}

let nextId = 0
const SERVER_DEBOUNCE_MS = 250

async function serverEstimate(draft: PromptDraft, signal: AbortSignal): Promise<ServerEstimate | null> {
  const input = {
    model: draft.model,
    system: draft.system,
    user: draft.user,
    variables: draft.variables,
    maxOutputTokens: draft.maxOutputTokens,
  }
  const response = await fetch('/api/lab/estimate', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
    signal,
  })
  return response.ok ? ((await response.json()) as ServerEstimate) : null
}

export interface LabPreviewState {
  preview: Preview | null
  heat: HeatSegment[]
  source: PreviewSource | null
  /** Time the browser took to count the last draft (ms), once it counts. */
  ms: number | null
}

/** The preview of `draft` (already deferred by the caller): the server's until the browser's counter is ready. */
export function useLabPreview(
  draft: PromptDraft,
  pricing: LabPricing | null,
  serviceTier: 'default' | 'flex' | 'priority',
  initial: ServerEstimate | null,
): LabPreviewState {
  const [state, setState] = useState<LabPreviewState>(() => ({
    preview: initial ? previewFromEstimate(initial) : null,
    heat: [],
    source: initial ? 'server' : null,
    ms: null,
  }))
  const browserReady = useRef(false)
  const lastId = useRef(-1)
  const first = useRef(true)

  useEffect(() => {
    const worker = previewWorker()
    if (!worker) return
    const onMessage = (event: MessageEvent<WorkerResponse>) => {
      const message = event.data
      if (message.id !== lastId.current) return
      if (!message.preview) return // counting failed (an unknown encoding): keep what is shown
      browserReady.current = true
      setState({ preview: message.preview, heat: message.heat, source: 'browser', ms: message.ms })
    }
    worker.addEventListener('message', onMessage)
    return () => worker.removeEventListener('message', onMessage)
  }, [])

  useEffect(() => {
    previewWorker()?.postMessage({ type: 'pricing', pricing } satisfies WorkerRequest)
  }, [pricing])

  useEffect(() => {
    const id = nextId++
    lastId.current = id
    previewWorker()?.postMessage({ type: 'preview', id, draft, serviceTier, at: Date.now() } satisfies WorkerRequest)
    // The opening draft already has the server's estimate; later edits ask the server (POST /api/lab/estimate)
    // until the browser is ready.
    if (first.current && initial) {
      first.current = false
      return
    }
    first.current = false
    if (browserReady.current) return
    const controller = new AbortController()
    const timer = setTimeout(() => {
      serverEstimate(draft, controller.signal)
        .then((estimate) => {
          if (estimate && !browserReady.current && lastId.current === id) {
            setState((s) => ({ ...s, preview: previewFromEstimate(estimate), source: 'server' }))
          }
        })
        .catch(() => undefined)
    }, SERVER_DEBOUNCE_MS)
    return () => {
      clearTimeout(timer)
      controller.abort()
    }
  }, [draft, serviceTier]) // eslint-disable-line react-hooks/exhaustive-deps -- re-estimate when the draft or tier changes, not when the callbacks are rebuilt

  return state
}

/**
 * The Lab editor's preview. Typing stays responsive: the preview follows a deferred copy of the draft, counted off
 * the main thread, with unfilled {{variables}} as the run sends them (""). `stale` while the shown preview is behind
 * the draft.
 */
export function useDraftPreview(
  draft: PromptDraft,
  pricing: LabPricing | null,
  serviceTier: 'default' | 'flex' | 'priority',
  initial: ServerEstimate | null,
): LabPreviewState & { stale: boolean } {
  const deferred = useDeferredValue(draft)
  const counted = useMemo(() => ({ ...deferred, variables: filledVariables(deferred) }), [deferred])
  const state = useLabPreview(counted, pricing, serviceTier, initial)
  const stale = deferred !== draft || (state.source === 'server' && counted.model !== state.preview?.model)
  return { ...state, stale }
}
