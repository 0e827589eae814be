import { TIERS, type Tier } from '@costwise/core'
import { useFetcher } from '@remix-run/react'
import { Card } from './card'

const LABEL: Record<Tier, string> = { free: 'Free', pro: 'Pro', enterprise: 'Enterprise' }
const WHAT: Record<Tier, string> = {
  free: 'Totals: tokens and estimated cost.',
  pro: 'Adds the input/output split, per-message counts and cheaper models.',
  enterprise: 'Adds team analytics and scheduled reports.',
}

/** Development setting: billing is out of scope, so the plan is switched by hand to try what each tier shows. */
export function TierSwitcher({ tier }: { tier: Tier }) {
  const fetcher = useFetcher<{ ok: boolean; tier?: Tier; message?: string }>()
  return (
    <Card className="mb-6 p-5" data-testid="tier-switcher">
      <h2 className="text-base font-semibold">Plan (development setting)</h2>
      <p className="mt-1 text-sm text-gray-600 dark:text-gray-400">
        There is no billing yet: switch your plan here to see what each tier shows in the Prompt Lab and the dashboard.
      </p>
      <fetcher.Form method="post" className="mt-4" key={tier}>
        <fieldset className="space-y-2">
          <legend className="sr-only">Plan</legend>
          {TIERS.map((t) => (
            <label key={t} className="flex items-start gap-2 text-sm">
              <input
                type="radio"
                name="tier"
                value={t}
                defaultChecked={tier === t}
                className="mt-1"
              />
              <span>
                <span className="font-medium">{LABEL[t]}</span> — {WHAT[t]}
              </span>
            </label>
          ))}
        </fieldset>
        <button type="submit" className="mt-3 rounded-md border border-gray-300 px-3 py-1.5 text-sm font-medium hover:bg-gray-50 disabled:opacity-50 dark:border-gray-700 dark:hover:bg-gray-800" disabled={fetcher.state !== 'idle'}>
          {fetcher.state !== 'idle' ? 'Changing…' : 'Change plan'}
        </button>
      </fetcher.Form>
      {fetcher.data?.ok && fetcher.state === 'idle' ? (
        <p role="status" className="mt-2 text-sm text-emerald-700 dark:text-emerald-300">
          Your plan is now {LABEL[fetcher.data.tier ?? tier]}.
        </p>
      ) : null}
      {fetcher.data && !fetcher.data.ok ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {fetcher.data.message}
        </p>
      ) : null}
    </Card>
  )
}
