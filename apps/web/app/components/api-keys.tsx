import { useFetcher } from '@remix-run/react'
import { useId } from 'react'
import { formatDateTime } from '../lib/format'
import { useTimeDisplay } from '../lib/use-time-display'

export interface ApiKeyView {
  id: string
  name: string
  prefix: string
  scopes: string[]
  expiresAt: string | null
  allowedModels: string[] | null
  createdAt: string
  lastUsedAt: string | null
  revokedAt: string | null
}

export interface ScopeOption {
  name: string
  description: string
  byDefault: boolean
}

type ActionData =
  | { ok: true; created?: { key: string; name: string }; revoked?: string }
  | { ok: false; field?: string; message: string }

/**
 * The team's API keys: create one with its scopes, an optional expiry and model list (its secret shown once),
 * see what each may do and when it was last used, revoke.
 */
/** The actions column stays in view while the table scrolls sideways (a 375 px phone still reaches Revoke). */
const stickyAction = 'sticky right-0 bg-white py-2 pl-3 dark:bg-gray-900'

export function ApiKeys({ keys, scopes }: { keys: ApiKeyView[]; scopes: ScopeOption[] }) {
  const display = useTimeDisplay()
  const when = (iso: string | null) => (iso ? formatDateTime(iso, display) : 'never')
  const create = useFetcher<ActionData>()
  const revoke = useFetcher<ActionData>()
  const nameId = useId()
  const expiryId = useId()
  const modelsId = useId()
  const failedField = create.data && !create.data.ok ? create.data.field : undefined
  const created = create.data?.ok ? create.data.created : undefined
  const error = create.data && !create.data.ok ? create.data.message : null
  return (
    <section
      aria-labelledby="api-keys-heading"
      className="mt-6 rounded-lg border border-gray-200 bg-white p-5 dark:border-gray-800 dark:bg-gray-900"
    >
      <h2 id="api-keys-heading" className="text-base font-semibold">
        API keys
      </h2>
      <p className="mt-1 text-sm text-gray-600 dark:text-gray-400">
        Internal tools send usage and call the API with a key (<code>Authorization: Bearer …</code>). Only a hash is
        stored: a new key is shown once. A key does only what its scopes allow, and never manages keys, members or the
        plan.
      </p>
      <create.Form method="post" className="mt-4 flex flex-wrap items-end gap-2">
        <input type="hidden" name="intent" value="create-key" />
        <div>
          <label htmlFor={nameId} className="block text-sm font-medium">
            Name
          </label>
          <input
            id={nameId}
            name="name"
            required
            maxLength={100}
            placeholder="e.g. billing-service"
            aria-invalid={failedField === 'name' ? true : undefined}
            aria-describedby={error ? `${nameId}-error` : undefined}
            className="mt-1 rounded-md border border-gray-300 px-3 py-1.5 text-sm dark:border-gray-700 dark:bg-gray-950"
          />
        </div>
        <div>
          <label htmlFor={expiryId} className="block text-sm font-medium">
            Expires after (days)
          </label>
          <input
            id={expiryId}
            name="expiresInDays"
            type="number"
            min={1}
            max={3650}
            placeholder="never"
            aria-invalid={failedField === 'expiresInDays' ? true : undefined}
            className="mt-1 w-32 rounded-md border border-gray-300 px-3 py-1.5 text-sm dark:border-gray-700 dark:bg-gray-950"
          />
        </div>
        <div className="min-w-[16rem] flex-1">
          <label htmlFor={modelsId} className="block text-sm font-medium">
            Only these models (comma-separated)
          </label>
          <input
            id={modelsId}
            name="allowedModels"
            placeholder="any model"
            aria-invalid={failedField === 'allowedModels' ? true : undefined}
            className="mt-1 w-full rounded-md border border-gray-300 px-3 py-1.5 text-sm dark:border-gray-700 dark:bg-gray-950"
          />
        </div>
        <fieldset className="w-full" aria-invalid={failedField === 'scopes' ? true : undefined}>
          <legend className="text-sm font-medium">Scopes</legend>
          <div className="mt-1 grid gap-1 sm:grid-cols-2">
            {scopes.map((scope) => (
              <label key={scope.name} className="flex items-start gap-2 text-sm">
                <input
                  type="checkbox"
                  name="scopes"
                  value={scope.name}
                  defaultChecked={scope.byDefault}
                  className="mt-1"
                />
                <span>
                  <code>{scope.name}</code>{' '}
                  <span className="text-gray-600 dark:text-gray-400">— {scope.description}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <button
          type="submit"
          disabled={create.state !== 'idle'}
          className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-50"
        >
          {create.state !== 'idle' ? 'Creating…' : 'Create key'}
        </button>
      </create.Form>
      {error ? (
        <p id={`${nameId}-error`} role="alert" className="mt-2 text-sm text-red-600">
          {error}
        </p>
      ) : null}
      {created ? (
        <div
          role="status"
          className="mt-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-700 dark:bg-amber-950"
        >
          <p className="font-medium">Key “{created.name}” created. Copy it now: it won’t be shown again.</p>
          <code data-testid="new-api-key" className="mt-2 block break-all font-mono">
            {created.key}
          </code>
        </div>
      ) : null}
      {keys.length === 0 ? (
        <p className="mt-4 text-sm text-gray-600 dark:text-gray-400">No API keys yet.</p>
      ) : (
        <div className="mt-4 overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="text-xs uppercase text-gray-500">
              <tr>
                <th className="py-2 pr-4">Name</th>
                <th className="py-2 pr-4">Key</th>
                <th className="py-2 pr-4">Scopes</th>
                <th className="py-2 pr-4">Models</th>
                <th className="py-2 pr-4">Expires</th>
                <th className="py-2 pr-4">Created</th>
                <th className="py-2 pr-4">Last used</th>
                <th className={stickyAction}>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id} className="border-t border-gray-100 dark:border-gray-800">
                  <td className="py-2 pr-4">{k.name}</td>
                  <td className="py-2 pr-4 font-mono">{k.prefix}…</td>
                  <td className="py-2 pr-4" data-testid="key-scopes">
                    {k.scopes.join(', ')}
                  </td>
                  <td className="py-2 pr-4">{k.allowedModels ? k.allowedModels.join(', ') : 'any'}</td>
                  <td className="py-2 pr-4">{k.expiresAt ? when(k.expiresAt) : 'never'}</td>
                  <td className="py-2 pr-4">{when(k.createdAt)}</td>
                  <td className="py-2 pr-4">{when(k.lastUsedAt)}</td>
                  <td className={`${stickyAction} text-right`} data-testid="key-actions">
                    {k.revokedAt ? (
                      <span className="text-gray-500">Revoked {when(k.revokedAt)}</span>
                    ) : (
                      <revoke.Form method="post">
                        <input type="hidden" name="intent" value="revoke-key" />
                        <input type="hidden" name="id" value={k.id} />
                        <button
                          type="submit"
                          className="text-red-600 hover:underline"
                          aria-label={`Revoke key ${k.name}`}
                        >
                          Revoke
                        </button>
                      </revoke.Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
