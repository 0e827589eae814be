import { useFetcher } from '@remix-run/react'
import type { RouterOutputs } from '../../lib/api-types'
import { Card } from '../card'
import { buttonSecondary } from '../usage/styles'

type PromptVersion = RouterOutputs['prompts']['versions']['items'][number]
/** A version as the list shows it (from `prompts.versions`). */
export type PromptVersionRow = Pick<PromptVersion, 'version' | 'source' | 'revertedTo' | 'changed' | 'createdAt'> & {
  changedBy: Pick<PromptVersion['changedBy'], 'kind' | 'name'>
}

const SOURCE: Record<PromptVersionRow['source'], string> = {
  create: 'created',
  edit: 'edited',
  apply: 'applied a recommendation',
  revert: 'restored',
}
const when = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })

/** A saved prompt's versions: who changed what and when; any older version can be restored (as a new version). */
export function PromptVersions({
  versions,
  promptId,
  canWrite,
}: {
  versions: PromptVersionRow[]
  promptId: string
  canWrite: boolean
}) {
  const fetcher = useFetcher<{ ok: boolean; message?: string }>()
  const current = versions[0]?.version
  if (versions.length === 0) return null
  return (
    <Card className="p-4" data-testid="prompt-versions">
      <h2 className="text-sm font-semibold">Versions</h2>
      <ol className="mt-2 divide-y divide-gray-100 text-sm dark:divide-gray-800">
        {versions.map((v) => (
          <li key={v.version} className="flex flex-wrap items-center justify-between gap-2 py-2">
            <span>
              <strong className="font-semibold">v{v.version}</strong>{' '}
              <span className="text-gray-700 dark:text-gray-300">
                {v.changedBy.kind === 'api_key' ? 'an API key' : (v.changedBy.name ?? 'someone')} {SOURCE[v.source]}
                {v.source === 'revert' && v.revertedTo ? ` v${v.revertedTo}` : ''}
                {v.source !== 'create' && v.changed.length ? ` (${v.changed.join(', ')})` : ''}
              </span>{' '}
              <time className="text-gray-500 dark:text-gray-400" dateTime={v.createdAt}>
                {when.format(new Date(v.createdAt))} UTC
              </time>
            </span>
            {canWrite && v.version !== current ? (
              <fetcher.Form method="post">
                <input type="hidden" name="intent" value="revert" />
                <input type="hidden" name="id" value={promptId} />
                <input type="hidden" name="version" value={v.version} />
                <button type="submit" className={buttonSecondary} disabled={fetcher.state !== 'idle'}>
                  Restore<span className="sr-only"> version {v.version}</span>
                </button>
              </fetcher.Form>
            ) : v.version === current ? (
              <span className="text-xs text-gray-500 dark:text-gray-400">current</span>
            ) : null}
          </li>
        ))}
      </ol>
      {fetcher.data && !fetcher.data.ok ? (
        <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-300">
          {fetcher.data.message}
        </p>
      ) : null}
    </Card>
  )
}
