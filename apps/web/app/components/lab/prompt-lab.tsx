import { describeScore, formatUsd, usdToNano, type ModelGroup, type Tier } from '@costwise/core'
import { templateVariables } from '@costwise/core/prompts/template'
import { Link, useFetcher, useNavigate, useRevalidator } from '@remix-run/react'
import { useDeferredValue, useEffect, useId, useMemo, useRef, useState } from 'react'
import { formatCount } from '../../lib/format'
import {
  filledVariables as filled,
  initialDraft,
  type LabPricing,
  type SavedPrompt,
  type ServerEstimate,
} from '../../lib/lab/preview'
import { useLabPreview } from '../../lib/lab/use-lab-preview'
import { startRun, type RunRefusal, type RunResult } from '../../lib/lab/run-stream'
import { Card } from '../card'
import { ScoreBadge } from '../usage/top-prompts'
import { BudgetWarning, type BudgetBlock, type BudgetInfo } from './budget-warning'
import { PromptVersions, type PromptVersionRow } from './prompt-versions'
import { RunHistory, type RunRow } from './run-history'
import { TokenHeatMap } from './token-heat-map'
import { TokenPreview } from './token-preview'
import { TokenUsageDisplay } from './token-usage-display'

export type { SavedPrompt }

export interface PromptLabProps {
  tier: Tier
  canWrite: boolean
  /** Owners and admins: a budget warning or block links to the budget's edit form. */
  canEditBudgets?: boolean
  models: ModelGroup[]
  prompts: { id: string; name: string; model: string }[]
  prompt: SavedPrompt | null
  runs: RunRow[]
  budgets: BudgetInfo[]
  /** The team's price table (custom prices, discounts, imported prices, mappings): the preview uses it. */
  pricing?: LabPricing | null
  versions?: PromptVersionRow[]
  /** The server's estimate of the opening draft: shown at first paint, until the browser's counter is ready. */
  estimate?: ServerEstimate | null
}

interface ActionData {
  ok: boolean
  intent: string
  id?: string
  name?: string
  message?: string
  improve?: {
    improved: string
    before: { tokens: number; inputCostUsd: string }
    after: { tokens: number; inputCostUsd: string }
    tokenDelta: number
    costDeltaUsd: string
    improveCall: { costUsd: string; inputTokens: number; outputTokens: number }
  }
}

const inputClass =
  'mt-1 block w-full rounded-md border border-gray-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-blue-500 focus:outline-none focus:ring-1 focus:ring-blue-500 dark:border-gray-700 dark:bg-gray-900'
const buttonClass =
  'rounded-md border border-gray-300 bg-white px-3 py-2 text-sm font-medium hover:bg-gray-50 disabled:opacity-50 dark:border-gray-700 dark:bg-gray-900 dark:hover:bg-gray-800'
const primaryClass =
  'rounded-md bg-blue-600 px-4 py-2 text-sm font-semibold text-white hover:bg-blue-700 disabled:opacity-50'

/** A saved prompt's version, caching guidance and efficiency score (docs/recommendations.md). */
function PromptFacts({ prompt }: { prompt: SavedPrompt }) {
  return (
    <p
      className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-gray-600 dark:text-gray-400"
      data-testid="prompt-facts"
    >
      {prompt.efficiency ? (
        <span>
          Efficiency <ScoreBadge score={prompt.efficiency.score} parts={describeScore(prompt.efficiency.components)} />
          <span className="text-gray-500">/100 · {describeScore(prompt.efficiency.components)}</span>
        </span>
      ) : (
        <span>Efficiency: scored at the next recommendation refresh</span>
      )}
      {prompt.version ? <span>Version {prompt.version}</span> : null}
      {prompt.caching ? <span>Caching guidance on: runs share one provider cache for the stable prefix</span> : null}
      <Link
        to="/dashboard/recommendations"
        className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
      >
        Recommendations
      </Link>
    </p>
  )
}

/** The Prompt Lab: write a prompt, see its cost before running it, run it, see what it really used. */
export function PromptLab({
  tier,
  canWrite,
  canEditBudgets = false,
  models,
  prompts,
  prompt,
  runs,
  budgets,
  pricing = null,
  estimate = null,
  versions = [],
}: PromptLabProps) {
  const [draft, setDraft] = useState(() => initialDraft(prompt, models))
  const [serviceTier, setServiceTier] = useState<'default' | 'flex' | 'priority'>('default')
  const tiersOffered = useMemo(
    () => models.flatMap((g) => g.models).find((m) => m.id === draft.model)?.serviceTiers ?? [],
    [models, draft.model],
  )
  const activeTier = serviceTier !== 'default' && tiersOffered.includes(serviceTier) ? serviceTier : 'default'
  const [output, setOutput] = useState('')
  const [running, setRunning] = useState(false)
  const [result, setResult] = useState<RunResult | null>(null)
  const [blocked, setBlocked] = useState<BudgetBlock | null>(null)
  const [runError, setRunError] = useState<string | null>(null)
  const fetcher = useFetcher<ActionData>()
  const navigate = useNavigate()
  const revalidator = useRevalidator()
  const ids = useId()
  const abortRef = useRef<AbortController | null>(null)
  // A refused run is explained where the user is looking: under the Run button, scrolled into view.
  const blockedRef = useRef<HTMLDivElement | null>(null)
  useEffect(() => {
    if (blocked) blockedRef.current?.scrollIntoView?.({ block: 'nearest' })
  }, [blocked])

  // A different prompt opened: start from its saved state.
  useEffect(() => {
    setDraft(initialDraft(prompt, models))
    setResult(null)
    setOutput('')
    setBlocked(null)
    setRunError(null)
  }, [prompt?.id]) // eslint-disable-line react-hooks/exhaustive-deps -- reset only when another prompt opens, not when the same prompt's data or the model list refreshes

  // Typing stays responsive: the preview follows a deferred copy of the draft, counted off the main thread, with
  // unfilled {{variables}} as the run sends them ("").
  const deferred = useDeferredValue(draft)
  const counted = useMemo(() => ({ ...deferred, variables: filled(deferred) }), [deferred])
  const { preview, heat, source, ms: previewMs } = useLabPreview(counted, pricing, activeTier, estimate)

  const variableNames = useMemo(() => templateVariables(draft.system, draft.user), [draft.system, draft.user])

  // After a save of a new prompt, open it at its own address; after any action, reload runs and budgets.
  const handled = useRef<unknown>(null)
  useEffect(() => {
    const data = fetcher.data
    if (!data || handled.current === data || fetcher.state !== 'idle') return
    handled.current = data
    if (data.ok && data.intent === 'save' && data.id && data.id !== prompt?.id) navigate(`/lab/${data.id}`)
    if (data.ok && data.intent === 'delete') navigate('/lab')
  }, [fetcher.data, fetcher.state, navigate, prompt?.id])

  const update = (patch: Partial<typeof draft>) => setDraft((d) => ({ ...d, ...patch }))

  async function run() {
    abortRef.current?.abort()
    const controller = new AbortController()
    abortRef.current = controller
    setRunning(true)
    setOutput('')
    setResult(null)
    setBlocked(null)
    setRunError(null)
    try {
      const refusal: RunRefusal | null = await startRun(
        {
          promptId: prompt?.id,
          model: draft.model,
          system: draft.system,
          user: draft.user,
          variables: filled(draft),
          maxOutputTokens: draft.maxOutputTokens,
          idempotencyKey: crypto.randomUUID(),
        },
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
      revalidator.revalidate()
    }
  }

  const improve = fetcher.data?.intent === 'improve' && fetcher.data.ok ? fetcher.data.improve : undefined
  const actionError = fetcher.data && !fetcher.data.ok ? fetcher.data.message : null
  const busy = fetcher.state !== 'idle'
  const filledVariables = filled(draft)

  return (
    <div className="grid gap-6 lg:grid-cols-[14rem_1fr_22rem]">
      <nav aria-label="Saved prompts" className="space-y-2">
        <Link to="/lab" className={`${buttonClass} block text-center`}>
          New prompt
        </Link>
        <ul className="space-y-1 text-sm">
          {prompts.map((p) => (
            <li key={p.id}>
              <Link
                to={`/lab/${p.id}`}
                className={`block truncate rounded px-2 py-1 hover:bg-gray-100 dark:hover:bg-gray-800 ${p.id === prompt?.id ? 'bg-gray-100 font-medium dark:bg-gray-800' : ''}`}
                aria-current={p.id === prompt?.id ? 'page' : undefined}
              >
                {p.name}
              </Link>
            </li>
          ))}
          {prompts.length === 0 ? <li className="px-2 text-xs text-gray-500">No saved prompts yet.</li> : null}
        </ul>
      </nav>

      <div className="min-w-0 space-y-4">
        {blocked ? null : <BudgetWarning budgets={budgets} canEditBudgets={canEditBudgets} />}
        {prompt ? <PromptFacts prompt={prompt} /> : null}
        <Card className="space-y-4 p-4">
          <div className="flex flex-wrap items-end gap-3">
            <label className="min-w-[12rem] flex-1 text-sm font-medium" htmlFor={`${ids}-name`}>
              Name
              <input
                id={`${ids}-name`}
                className={inputClass}
                value={draft.name}
                maxLength={200}
                onChange={(e) => update({ name: e.target.value })}
              />
            </label>
            <label className="text-sm font-medium" htmlFor={`${ids}-model`}>
              Model
              <select
                id={`${ids}-model`}
                className={inputClass}
                value={draft.model}
                onChange={(e) => update({ model: e.target.value })}
              >
                {models.map((group) => (
                  <optgroup key={group.provider} label={group.provider}>
                    {group.models.map((m) => (
                      <option key={m.id} value={m.id}>
                        {m.displayName}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </select>
            </label>
            {tiersOffered.length > 0 ? (
              <label className="text-sm font-medium" htmlFor={`${ids}-tier`}>
                Processing
                <select
                  id={`${ids}-tier`}
                  className={inputClass}
                  value={activeTier}
                  onChange={(e) => setServiceTier(e.target.value as 'default' | 'flex' | 'priority')}
                >
                  <option value="default">Standard</option>
                  {tiersOffered.map((t) => (
                    <option key={t} value={t}>
                      {t === 'flex' ? 'Flex (cheaper, slower)' : 'Priority (faster)'}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            <label className="w-36 text-sm font-medium" htmlFor={`${ids}-max`}>
              Max output tokens
              <input
                id={`${ids}-max`}
                type="number"
                min={1}
                max={200000}
                className={inputClass}
                value={draft.maxOutputTokens}
                onChange={(e) =>
                  update({ maxOutputTokens: Math.max(1, Math.min(200_000, Math.trunc(Number(e.target.value)) || 1)) })
                }
              />
            </label>
          </div>
          <label className="block text-sm font-medium" htmlFor={`${ids}-system`}>
            System message
            <textarea
              id={`${ids}-system`}
              className={`${inputClass} font-mono`}
              rows={3}
              value={draft.system}
              placeholder="You are a helpful assistant."
              onChange={(e) => update({ system: e.target.value })}
            />
          </label>
          <label className="block text-sm font-medium" htmlFor={`${ids}-user`}>
            User message
            <textarea
              id={`${ids}-user`}
              className={`${inputClass} font-mono`}
              rows={8}
              value={draft.user}
              placeholder="Summarise {{document}} in three bullet points."
              onChange={(e) => update({ user: e.target.value })}
            />
          </label>
          {variableNames.length > 0 ? (
            <fieldset className="space-y-2" data-testid="variables">
              <legend className="text-sm font-medium">Variables</legend>
              {variableNames.map((name) => (
                <label key={name} className="block text-xs font-medium" htmlFor={`${ids}-var-${name}`}>
                  {`{{${name}}}`}
                  <textarea
                    id={`${ids}-var-${name}`}
                    className={`${inputClass} font-mono`}
                    rows={2}
                    value={draft.variables[name] ?? ''}
                    onChange={(e) => update({ variables: { ...draft.variables, [name]: e.target.value } })}
                  />
                </label>
              ))}
            </fieldset>
          ) : (
            <p className="text-xs text-gray-500">Write {'{{name}}'} in a message to add a variable.</p>
          )}
          <div className="flex flex-wrap items-center gap-2">
            <button
              type="button"
              className={primaryClass}
              onClick={() => void run()}
              disabled={running || !draft.user.trim() || !canWrite}
            >
              {running ? 'Running…' : 'Run'}
            </button>
            {running ? (
              <button type="button" className={buttonClass} onClick={() => abortRef.current?.abort()}>
                Stop
              </button>
            ) : null}
            <fetcher.Form method="post">
              <input type="hidden" name="intent" value="save" />
              <input type="hidden" name="id" value={prompt?.id ?? ''} />
              <input type="hidden" name="name" value={draft.name} />
              <input type="hidden" name="systemMessage" value={draft.system} />
              <input type="hidden" name="userMessage" value={draft.user} />
              <input type="hidden" name="variables" value={JSON.stringify(filledVariables)} />
              <input type="hidden" name="model" value={draft.model} />
              <input type="hidden" name="maxOutputTokens" value={draft.maxOutputTokens} />
              <button type="submit" className={buttonClass} disabled={busy || !canWrite}>
                {prompt ? 'Save' : 'Save prompt'}
              </button>
            </fetcher.Form>
            {prompt ? (
              <fetcher.Form method="post">
                <input type="hidden" name="intent" value="rename" />
                <input type="hidden" name="id" value={prompt.id} />
                <input type="hidden" name="name" value={draft.name} />
                <button
                  type="submit"
                  className={buttonClass}
                  disabled={busy || !canWrite || draft.name === prompt.name}
                >
                  Rename
                </button>
              </fetcher.Form>
            ) : null}
            <fetcher.Form method="post">
              <input type="hidden" name="intent" value="improve" />
              <input type="hidden" name="promptId" value={prompt?.id ?? ''} />
              <input type="hidden" name="model" value={draft.model} />
              <input type="hidden" name="system" value={draft.system} />
              <input type="hidden" name="user" value={draft.user} />
              <input type="hidden" name="maxOutputTokens" value={draft.maxOutputTokens} />
              <button type="submit" className={buttonClass} disabled={busy || !draft.user.trim() || !canWrite}>
                {busy && fetcher.formData?.get('intent') === 'improve' ? 'Improving…' : 'Improve prompt'}
              </button>
            </fetcher.Form>
            {prompt ? (
              <fetcher.Form
                method="post"
                onSubmit={(e) => {
                  if (!window.confirm(`Delete “${prompt.name}” and its run history?`)) e.preventDefault()
                }}
              >
                <input type="hidden" name="intent" value="delete" />
                <input type="hidden" name="id" value={prompt.id} />
                <button type="submit" className={`${buttonClass} text-red-700`} disabled={busy || !canWrite}>
                  Delete
                </button>
              </fetcher.Form>
            ) : null}
            {fetcher.data?.ok &&
            (fetcher.data.intent === 'save' || fetcher.data.intent === 'rename') &&
            fetcher.state === 'idle' ? (
              <span role="status" className="text-xs text-emerald-700">
                Saved.
              </span>
            ) : null}
          </div>
          {blocked ? (
            <div ref={blockedRef} tabIndex={-1}>
              <BudgetWarning
                budgets={budgets}
                blocked={blocked}
                canEditBudgets={canEditBudgets}
                onDismissBlocked={() => setBlocked(null)}
              />
            </div>
          ) : null}
          {!canWrite ? (
            <p className="text-xs text-gray-500">Viewers can read prompts; running and saving need the member role.</p>
          ) : null}
          {actionError ? (
            <p role="alert" className="text-sm text-red-700 dark:text-red-300">
              {actionError}
            </p>
          ) : null}
        </Card>

        {improve ? (
          <Card className="space-y-2 p-4" data-testid="improve-result">
            <h2 className="text-sm font-medium">Suggested prompt</h2>
            <pre
              tabIndex={0}
              aria-label="Suggested prompt text"
              className="max-h-48 overflow-auto whitespace-pre-wrap rounded bg-gray-50 p-2 text-xs dark:bg-gray-900"
            >
              {improve.improved}
            </pre>
            <p className="text-xs text-gray-600 dark:text-gray-400">
              {formatCount(improve.before.tokens)} → {formatCount(improve.after.tokens)} tokens (
              {improve.tokenDelta > 0 ? '+' : ''}
              {formatCount(improve.tokenDelta)}); input cost per run {formatUsd(usdToNano(improve.before.inputCostUsd))}{' '}
              → {formatUsd(usdToNano(improve.after.inputCostUsd))}. Asking cost{' '}
              {formatUsd(usdToNano(improve.improveCall.costUsd))}.
            </p>
            <button type="button" className={buttonClass} onClick={() => update({ user: improve.improved })}>
              Use this prompt
            </button>
          </Card>
        ) : null}

        {running || output || runError ? (
          <Card className="p-4" data-testid="run-output">
            <h2 className="text-sm font-medium">Answer</h2>
            <div className="mt-2 whitespace-pre-wrap text-sm" aria-live="polite" data-testid="run-answer">
              {output || (running ? 'Waiting for the first token…' : '')}
            </div>
            {runError ? (
              <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-300">
                {runError}
              </p>
            ) : null}
          </Card>
        ) : null}
        {result ? <TokenUsageDisplay result={result} tier={tier} /> : null}
        {prompt ? <RunHistory runs={runs} /> : null}
        {prompt ? <PromptVersions versions={versions} promptId={prompt.id} canWrite={canWrite} /> : null}
      </div>

      <aside className="space-y-4">
        <TokenPreview
          preview={preview}
          tier={tier}
          loading={preview === null}
          source={source}
          stale={deferred !== draft || (source === 'server' && counted.model !== preview?.model)}
          onSwitchModel={(model) => update({ model })}
        />
        <span hidden data-testid="preview-ms">
          {previewMs === null ? '' : previewMs.toFixed(2)}
        </span>
        <TokenHeatMap segments={heat} />
      </aside>
    </div>
  )
}
