import { estimateTokensSync, loadEncoding } from '@costwise/core'
import { promptHeatMap, type HeatSegment } from './heat-map'
import { computePreview, encodingFor, type LabPricing, type Preview, type PromptDraft } from './preview'

// The Lab's token counting, off the main thread: the ~1 MB rank tables download, parse and build here, once per
// encoding for the life of the page (the worker outlives client-side navigations), so typing never waits on them.
// Messages: `pricing` (the team's price table, sent when it changes) and `preview` (a draft; only the latest
// pending one is answered, so a burst of keystrokes while an encoding loads costs one count).

export type WorkerRequest =
  | { type: 'pricing'; pricing: LabPricing | null }
  | { type: 'preview'; id: number; draft: PromptDraft; serviceTier: 'default' | 'flex' | 'priority'; at: number }

export type WorkerResponse = {
  type: 'preview'
  id: number
  preview: Preview | null
  heat: HeatSegment[]
  ms: number
  error: string | null
}

// The web app's lib is DOM, not WebWorker (the two can't share a program): the two members used, typed here.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null
  postMessage(message: WorkerResponse): void
}
let pricing: LabPricing | null = null
let latest = 0

scope.onmessage = async (event: MessageEvent<WorkerRequest>) => {
  const message = event.data
  if (message.type === 'pricing') {
    pricing = message.pricing
    return
  }
  latest = message.id
  try {
    await loadEncoding(encodingFor(message.draft.model))
  } catch (error) {
    scope.postMessage({
      type: 'preview',
      id: message.id,
      preview: null,
      heat: [],
      ms: 0,
      error: String(error),
    } satisfies WorkerResponse)
    return
  }
  if (message.id !== latest) return // a newer draft arrived while the encoding loaded
  const t0 = performance.now()
  try {
    const { draft } = message
    const preview = computePreview(draft, new Date(message.at), { pricing, serviceTier: message.serviceTier })
    const count = (text: string) => (text ? estimateTokensSync(text, draft.model).tokens : 0)
    const heat = promptHeatMap(
      [
        { role: 'system', template: draft.system },
        { role: 'user', template: draft.user },
      ],
      draft.variables,
      count,
    )
    scope.postMessage({
      type: 'preview',
      id: message.id,
      preview,
      heat,
      ms: performance.now() - t0,
      error: null,
    } satisfies WorkerResponse)
  } catch (error) {
    scope.postMessage({
      type: 'preview',
      id: message.id,
      preview: null,
      heat: [],
      ms: 0,
      error: error instanceof Error ? error.message : String(error),
    } satisfies WorkerResponse)
  }
}
