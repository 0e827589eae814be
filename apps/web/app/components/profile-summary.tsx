import { TIER_LABEL, type Tier } from '@costwise/core'
import { Card } from './card'

export function ProfileSummary({
  user,
  team,
}: {
  user: { name: string; email: string }
  team: { name: string; slug: string; role: string; timeZone: string; plan: Tier } | null
}) {
  const rows: Array<[string, string]> = [
    ['Name', user.name],
    ['Email', user.email],
  ]
  if (team) {
    rows.push(
      ['Team', team.name],
      ['Plan', `${TIER_LABEL[team.plan]} — the team’s plan, set by the instance operator`],
      ['Your role', team.role.charAt(0).toUpperCase() + team.role.slice(1)],
      ['Time zone', team.timeZone],
    )
  }
  return (
    <Card className="mb-6 p-0">
      <h2 className="border-b border-tremor-border px-5 py-4 text-base font-semibold text-tremor-content-strong dark:border-dark-tremor-border dark:text-dark-tremor-content-strong">
        Profile
      </h2>
      <dl className="divide-y divide-tremor-border dark:divide-dark-tremor-border">
        {rows.map(([label, value]) => (
          <div key={label} className="grid grid-cols-1 gap-1 px-5 py-3 sm:grid-cols-3 sm:gap-4">
            <dt className="text-sm font-medium text-tremor-content dark:text-dark-tremor-content">{label}</dt>
            <dd
              data-testid={`profile-${label.toLowerCase().replace(/\s+/g, '-')}`}
              className="text-sm text-tremor-content-strong dark:text-dark-tremor-content-strong sm:col-span-2"
            >
              {value}
            </dd>
          </div>
        ))}
      </dl>
    </Card>
  )
}
