import type { ModelGroup } from '@costwise/core'
import { useId } from 'react'
import type { LabServiceTier, PromptDraftState } from '../../lib/lab/use-prompt-draft'
import { inputClass } from './styles'

/** The prompt's fields: name, model, processing tier, output limit, the two messages and their {{variables}}. */
export function PromptEditor({
  models,
  editor: { draft, update, tiersOffered, activeTier, setServiceTier, variableNames },
}: {
  models: ModelGroup[]
  editor: PromptDraftState
}) {
  const ids = useId()
  return (
    <>
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
              onChange={(e) => setServiceTier(e.target.value as LabServiceTier)}
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
    </>
  )
}
