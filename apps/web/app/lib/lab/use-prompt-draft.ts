import type { ModelGroup } from '@costwise/core'
import { templateVariables } from '@costwise/core/prompts/template'
import { useMemo, useState } from 'react'
import { initialDraft, type PromptDraft, type SavedPrompt } from './preview'

export type LabServiceTier = 'default' | 'flex' | 'priority'
export type LabDraft = PromptDraft & { name: string }

export interface PromptDraftState {
  draft: LabDraft
  /** Merges a change into the draft. */
  update: (patch: Partial<LabDraft>) => void
  /** Starts again from a saved prompt's state (or a new prompt's). */
  reset: (prompt: SavedPrompt | null) => void
  /** The processing tiers the draft's model offers besides Standard. */
  tiersOffered: Exclude<LabServiceTier, 'default'>[]
  /** The tier chosen, or Standard when the model does not offer it. */
  activeTier: LabServiceTier
  setServiceTier: (tier: LabServiceTier) => void
  /** The {{variables}} the messages use, in order. */
  variableNames: string[]
}

/** The prompt being edited in the Lab: its fields, its processing tier and the variables it uses. */
export function usePromptDraft(prompt: SavedPrompt | null, models: ModelGroup[]): PromptDraftState {
  const [draft, setDraft] = useState(() => initialDraft(prompt, models))
  const [serviceTier, setServiceTier] = useState<LabServiceTier>('default')
  const tiersOffered = useMemo(
    () => models.flatMap((g) => g.models).find((m) => m.id === draft.model)?.serviceTiers ?? [],
    [models, draft.model],
  )
  const activeTier = serviceTier !== 'default' && tiersOffered.includes(serviceTier) ? serviceTier : 'default'
  const variableNames = useMemo(() => templateVariables(draft.system, draft.user), [draft.system, draft.user])
  return {
    draft,
    update: (patch) => setDraft((d) => ({ ...d, ...patch })),
    reset: (next) => setDraft(initialDraft(next, models)),
    tiersOffered,
    activeTier,
    setServiceTier,
    variableNames,
  }
}
