import type { SavedPrompt } from '../../lib/lab/preview'
import type { LabRunState } from '../../lib/lab/use-lab-run'
import type { PromptActions as Actions } from '../../lib/lab/use-prompt-actions'
import type { LabDraft } from '../../lib/lab/use-prompt-draft'
import { buttonClass, primaryClass } from './styles'

/**
 * The buttons under the editor: Run (and Stop while running), Save, Rename, Improve prompt and Delete. The posts
 * carry the draft in hidden fields, under the names the Lab's action reads.
 */
export function PromptActions({
  prompt,
  draft,
  filledVariables,
  canWrite,
  onRun,
  running,
  onStop,
  actions: { fetcher, busy, improving, saved },
}: {
  prompt: SavedPrompt | null
  draft: LabDraft
  filledVariables: Record<string, string>
  canWrite: boolean
  onRun: () => void
  running: LabRunState['running']
  onStop: () => void
  actions: Actions
}) {
  return (
    <div className="flex flex-wrap items-center gap-2">
      <button
        type="button"
        className={primaryClass}
        onClick={onRun}
        disabled={running || !draft.user.trim() || !canWrite}
      >
        {running ? 'Running…' : 'Run'}
      </button>
      {running ? (
        <button type="button" className={buttonClass} onClick={onStop}>
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
          <button type="submit" className={buttonClass} disabled={busy || !canWrite || draft.name === prompt.name}>
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
          {improving ? 'Improving…' : 'Improve prompt'}
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
      {saved ? (
        <span role="status" className="text-xs text-emerald-700">
          Saved.
        </span>
      ) : null}
    </div>
  )
}
