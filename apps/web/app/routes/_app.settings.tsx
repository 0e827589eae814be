import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { API_KEY_SCOPES, API_KEY_SCOPE_DESCRIPTIONS, DEFAULT_API_KEY_SCOPES } from '@costwise/core'
import { requireUser } from '../auth.server'
import { CogIcon } from '../components/icons'
import { ProfileSummary } from '../components/profile-summary'
import { SectionPage } from '../components/section-page'
import { loadApiKeys, settingsAction } from '../settings.server'
import { ApiKeys } from '../components/api-keys'

export const meta: MetaFunction = () => [{ title: 'Settings · Costwise' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const { me } = await requireUser(request)
  return {
    user: me.user,
    team: me.activeTeam,
    apiKeys: await loadApiKeys(request),
    scopes: API_KEY_SCOPES.map((name) => ({
      name,
      description: API_KEY_SCOPE_DESCRIPTIONS[name],
      byDefault: DEFAULT_API_KEY_SCOPES.includes(name),
    })),
  }
}

export const action = ({ request }: ActionFunctionArgs) => settingsAction(request)

export default function SettingsPage() {
  const { user, team, apiKeys, scopes } = useLoaderData<typeof loader>()
  const admin = team?.role === 'owner' || team?.role === 'admin'
  return (
    <SectionPage
      title="Settings"
      description="Your profile, your team’s plan and its API keys."
      emptyTitle="Team"
      icon={<CogIcon className="h-6 w-6" />}
      extra={
        <>
          <ProfileSummary user={user} team={team} />
          {team ? (
            <p className="mb-6 mt-2 text-sm">
              <Link to="/settings/team" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
                Team settings
              </Link>{' '}
              — name, time zone, 12/24-hour clock and how long usage is kept.
            </p>
          ) : null}
          {apiKeys ? <ApiKeys keys={apiKeys} scopes={scopes} /> : null}
          {admin ? (
            <p className="mb-6 mt-6 text-sm">
              <Link to="/settings/audit" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
                Audit log
              </Link>{' '}
              — who changed keys, budgets, members, reports and the plan, and when.
            </p>
          ) : null}
        </>
      }
    >
      {team
        ? `${team.name} works in the ${team.timeZone} time zone: budgets, dashboards and reports count days there. `
        : ''}
      {apiKeys ? '' : 'API keys and the audit log are for the team’s owners and admins.'}
    </SectionPage>
  )
}
