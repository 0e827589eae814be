import type { ModelGroup, Tier } from '@costwise/core'
import { useEffect } from 'react'
import {
  filledVariables as filled,
  type LabPricing,
  type SavedPrompt,
  type ServerEstimate,
} from '../../lib/lab/preview'
import { useDraftPreview } from '../../lib/lab/use-lab-preview'
import { useLabRun } from '../../lib/lab/use-lab-run'
import { usePromptActions } from '../../lib/lab/use-prompt-actions'
import { usePromptDraft } from '../../lib/lab/use-prompt-draft'
import { Card } from '../card'
import { BudgetWarning, type BudgetInfo } from './budget-warning'
import { PromptActions } from './prompt-actions'
import { PromptEditor } from './prompt-editor'
import { PromptFacts } from './prompt-facts'
import { PromptList } from './prompt-list'
import { PromptVersions, type PromptVersionRow } from './prompt-versions'
import { RunHistory, type RunRow } from './run-history'
import { BlockedRun, ImproveSuggestion, RunOutput } from './run-output'
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
  const editor = usePromptDraft(prompt, models)
  const { draft, update } = editor
  const lab = useLabRun()
  const actions = usePromptActions(prompt?.id)
  const { preview, heat, source, ms: previewMs, stale } = useDraftPreview(draft, pricing, editor.activeTier, estimate)

  // A different prompt opened: start from its saved state.
  useEffect(() => {
    editor.reset(prompt)
    lab.reset()
  }, [prompt?.id]) // eslint-disable-line react-hooks/exhaustive-deps -- reset only when another prompt opens, not when the same prompt's data or the model list refreshes

  const filledVariables = filled(draft)
  const run = () =>
    void lab.run({
      promptId: prompt?.id,
      model: draft.model,
      system: draft.system,
      user: draft.user,
      variables: filledVariables,
      maxOutputTokens: draft.maxOutputTokens,
    })

  return (
    <div className="grid gap-6 lg:grid-cols-[14rem_1fr_22rem]">
      <PromptList prompts={prompts} currentId={prompt?.id} />

      <div className="min-w-0 space-y-4">
        {lab.blocked ? null : <BudgetWarning budgets={budgets} canEditBudgets={canEditBudgets} />}
        {prompt ? <PromptFacts prompt={prompt} /> : null}
        <Card className="space-y-4 p-4">
          <PromptEditor models={models} editor={editor} />
          <PromptActions
            prompt={prompt}
            draft={draft}
            filledVariables={filledVariables}
            canWrite={canWrite}
            onRun={run}
            running={lab.running}
            onStop={lab.stop}
            actions={actions}
          />
          {lab.blocked ? (
            <BlockedRun
              blocked={lab.blocked}
              budgets={budgets}
              canEditBudgets={canEditBudgets}
              onDismiss={lab.dismissBlocked}
            />
          ) : null}
          {!canWrite ? (
            <p className="text-xs text-gray-500">Viewers can read prompts; running and saving need the member role.</p>
          ) : null}
          {actions.actionError ? (
            <p role="alert" className="text-sm text-red-700 dark:text-red-300">
              {actions.actionError}
            </p>
          ) : null}
        </Card>

        {actions.improve ? (
          <ImproveSuggestion improve={actions.improve} onUse={(improved) => update({ user: improved })} />
        ) : null}

        {lab.running || lab.output || lab.runError ? (
          <RunOutput output={lab.output} running={lab.running} runError={lab.runError} />
        ) : null}
        {lab.result ? <TokenUsageDisplay result={lab.result} tier={tier} /> : null}
        {prompt ? <RunHistory runs={runs} /> : null}
        {prompt ? <PromptVersions versions={versions} promptId={prompt.id} canWrite={canWrite} /> : null}
      </div>

      <aside className="space-y-4">
        <TokenPreview
          preview={preview}
          tier={tier}
          loading={preview === null}
          source={source}
          stale={stale}
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
