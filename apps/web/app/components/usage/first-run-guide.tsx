import { Link, useFetcher, useRevalidator } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { Card } from '../card'

// The usage page of a team with no usage yet: create a key (shown once), copy a snippet that sends one event,
// watch for it to arrive, then the next steps (time zone, a first budget, members).

type KeyResult = { ok: true; created: { key: string; name: string } } | { ok: false; field: string; message: string }

const FIRST_KEY_SCOPES = ['usage:write', 'usage:read', 'budgets:read'] as const
const POLL_MS = 2000
const button =
  'rounded-md border border-gray-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-gray-50 dark:border-gray-700 dark:bg-gray-900 dark:hover:bg-gray-800'
const primary =
  'rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 disabled:opacity-50'

/** The three ways to send a first event, with the key (or a placeholder) and this server's address filled in. */
export function firstEventSnippets(origin: string, key: string | null) {
  const apiKey = key ?? '$COSTWISE_API_KEY'
  const body = '{"model":"gpt-4o-mini","inputTokens":1200,"outputTokens":300,"feature":"api"}'
  return {
    curl: `curl -s ${origin}/api/usage/track \\\n  -H "authorization: Bearer ${apiKey}" \\\n  -H 'content-type: application/json' \\\n  -d '${body}'`,
    typescript: [
      `import { createCostwiseClient } from '@costwise/api/client'`,
      ``,
      `const costwise = createCostwiseClient({ url: '${origin}', apiKey: ${key ? `'${key}'` : 'process.env.COSTWISE_API_KEY!'} })`,
      `const result = await costwise.usage.track.mutate({ model: 'gpt-4o-mini', inputTokens: 1200, outputTokens: 300, feature: 'api' })`,
      `console.log(result.costUsd)`,
    ].join('\n'),
    python: [
      key ? `import requests` : `import os, requests`,
      ``,
      `response = requests.post(`,
      `    "${origin}/api/usage/track",`,
      key
        ? `    headers={"authorization": "Bearer ${key}"},`
        : `    headers={"authorization": "Bearer " + os.environ["COSTWISE_API_KEY"]},`,
      `    json={"model": "gpt-4o-mini", "inputTokens": 1200, "outputTokens": 300, "feature": "api"},`,
      `)`,
      `print(response.json()["costUsd"])`,
    ].join('\n'),
  }
}

function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false)
  return (
    <button
      type="button"
      className={button}
      aria-label={label}
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(
          () => setCopied(true),
          () => setCopied(false),
        )
      }}
    >
      {copied ? 'Copied' : 'Copy'}
    </button>
  )
}

interface FirstEvent {
  model: string
  occurredAt: string
}

/** Polls the newest usage row until there is one (GET usage.history, limit 1). */
function useFirstEvent(): FirstEvent | null {
  const [event, setEvent] = useState<FirstEvent | null>(null)
  useEffect(() => {
    if (event) return
    let live = true
    const check = async () => {
      try {
        const response = await fetch(
          `/api/trpc/usage.history?input=${encodeURIComponent(JSON.stringify({ limit: 1 }))}`,
        )
        const body = (await response.json()) as { result?: { data?: { items?: FirstEvent[] } } }
        const first = body.result?.data?.items?.[0]
        if (live && first) setEvent(first)
      } catch {
        // offline or signed out: try again on the next tick
      }
    }
    void check()
    const timer = setInterval(() => void check(), POLL_MS)
    return () => {
      live = false
      clearInterval(timer)
    }
  }, [event])
  return event
}

export function FirstRunGuide({ canCreateKey, origin }: { canCreateKey: boolean; origin: string }) {
  const create = useFetcher<KeyResult>()
  const created = create.data?.ok ? create.data.created : null
  const keyError = create.data && !create.data.ok ? create.data.message : null
  const snippets = firstEventSnippets(origin, created?.key ?? null)
  const event = useFirstEvent()
  const revalidator = useRevalidator()
  const [tab, setTab] = useState<keyof typeof snippets>('curl')

  return (
    <section className="space-y-4" data-testid="first-run-guide" aria-labelledby="first-run-title">
      <div>
        <h2 id="first-run-title" className="text-base font-semibold text-gray-900 dark:text-gray-100">
          Send your first event
        </h2>
        <p className="text-sm text-gray-600 dark:text-gray-400">
          No usage yet. Record calls with an API key — three steps — or run a prompt in the Prompt Lab.
        </p>
      </div>

      <Card className="space-y-3 p-4">
        <h3 className="text-sm font-semibold">1. Create an API key</h3>
        {created ? (
          <div className="space-y-2" data-testid="first-key">
            <p className="text-sm">Your key “{created.name}” — copy it now: it is shown only once.</p>
            <div className="flex flex-wrap items-center gap-2">
              <code
                className="min-w-0 max-w-full break-all rounded bg-gray-100 px-2 py-1 text-xs dark:bg-gray-800"
                data-testid="first-key-value"
              >
                {created.key}
              </code>
              <CopyButton text={created.key} label="Copy the API key" />
            </div>
          </div>
        ) : canCreateKey ? (
          <create.Form method="post" action="/settings" className="flex flex-wrap items-end gap-2">
            <input type="hidden" name="intent" value="create-key" />
            {FIRST_KEY_SCOPES.map((scope) => (
              <input key={scope} type="hidden" name="scopes" value={scope} />
            ))}
            <input type="hidden" name="expiresInDays" value="" />
            <input type="hidden" name="allowedModels" value="" />
            <label className="text-sm font-medium">
              Key name
              <input
                name="name"
                defaultValue="first-key"
                maxLength={100}
                className="mt-1 block w-48 rounded-md border border-gray-300 bg-white px-3 py-1.5 text-sm dark:border-gray-700 dark:bg-gray-900"
              />
            </label>
            <button type="submit" className={primary} disabled={create.state !== 'idle'}>
              {create.state !== 'idle' ? 'Creating…' : 'Create API key'}
            </button>
            {keyError ? (
              <p role="alert" className="w-full text-sm text-red-700 dark:text-red-300">
                {keyError}
              </p>
            ) : null}
            <p className="w-full text-xs text-gray-500">
              Scopes: {FIRST_KEY_SCOPES.join(', ')}. Manage keys in Settings.
            </p>
          </create.Form>
        ) : (
          <p className="text-sm text-gray-600 dark:text-gray-400">
            Ask an owner or admin of your team for an API key (Settings → API keys).
          </p>
        )}
      </Card>

      <Card className="space-y-3 p-4">
        <h3 className="text-sm font-semibold">2. Send one event</h3>
        <div role="tablist" aria-label="Snippet language" className="flex gap-1">
          {(['curl', 'typescript', 'python'] as const).map((t) => (
            <button
              key={t}
              type="button"
              role="tab"
              aria-selected={tab === t}
              className={`rounded px-3 py-1 text-sm ${tab === t ? 'bg-gray-900 text-white dark:bg-gray-100 dark:text-gray-900' : 'hover:bg-gray-100 dark:hover:bg-gray-800'}`}
              onClick={() => setTab(t)}
            >
              {t === 'curl' ? 'curl' : t === 'typescript' ? 'TypeScript' : 'Python'}
            </button>
          ))}
        </div>
        <div role="tabpanel" className="space-y-2">
          <pre
            tabIndex={0}
            aria-label={`${tab} snippet`}
            className="max-w-full overflow-x-auto whitespace-pre-wrap break-all rounded bg-gray-50 p-3 text-xs dark:bg-gray-900"
            data-testid={`snippet-${tab}`}
          >
            {snippets[tab]}
          </pre>
          <CopyButton text={snippets[tab]} label={`Copy the ${tab} snippet`} />
        </div>
      </Card>

      <Card className="space-y-3 p-4">
        <h3 className="text-sm font-semibold">3. See it arrive</h3>
        {event ? (
          <div className="flex flex-wrap items-center gap-3">
            <p
              role="status"
              className="text-sm font-medium text-emerald-700 dark:text-emerald-300"
              data-testid="first-event"
              data-state="received"
            >
              ✓ First event received: {event.model}.
            </p>
            <button type="button" className={primary} onClick={() => revalidator.revalidate()}>
              Show my usage
            </button>
          </div>
        ) : (
          <p
            role="status"
            className="text-sm text-gray-600 dark:text-gray-400"
            data-testid="first-event"
            data-state="waiting"
          >
            <span className="mr-2 inline-block h-2 w-2 animate-pulse rounded-full bg-amber-500" aria-hidden="true" />
            Waiting for your first event…
          </p>
        )}
        <p className="text-sm text-gray-600 dark:text-gray-400">
          Then:{' '}
          <Link to="/settings/team" className="underline">
            set your team’s time zone
          </Link>
          ,{' '}
          <Link to="/dashboard/budget-settings" className="underline">
            add a first budget
          </Link>{' '}
          and{' '}
          <Link to="/dashboard/team" className="underline">
            invite members
          </Link>
          . Or try a prompt in the{' '}
          <Link to="/lab" className="underline">
            Prompt Lab
          </Link>
          .
        </p>
      </Card>
    </section>
  )
}
