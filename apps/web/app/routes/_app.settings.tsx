import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { requireUser } from '../auth.server'
import { CogIcon } from '../components/icons'
import { ProfileSummary } from '../components/profile-summary'
import { SectionPage } from '../components/section-page'
import { TierSwitcher } from '../components/tier-switcher'
import { loadApiKeys, settingsAction } from '../settings.server'
import { ApiKeys } from '../components/api-keys'

export const meta: MetaFunction = () => [{ title: 'Settings · Costwise' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const { me } = await requireUser(request)
  return { user: me.user, team: me.activeTeam, apiKeys: await loadApiKeys(request) }
}

export const action = ({ request }: ActionFunctionArgs) => settingsAction(request)

export default function SettingsPage() {
  const { user, team, apiKeys } = useLoaderData<typeof loader>()
  return (
    <SectionPage
      title="Settings"
      description="Your profile, your plan and your team’s preferences."
      emptyTitle="Team"
      icon={<CogIcon className="h-6 w-6" />}
      extra={
        <>
          <ProfileSummary user={user} team={team} />
          <TierSwitcher tier={user.tier} />
          {apiKeys ? <ApiKeys keys={apiKeys} /> : null}
        </>
      }
    >
      {team ? `${team.name} works in the ${team.timeZone} time zone: budgets, dashboards and reports count days there. ` : ''}
      {apiKeys ? '' : 'API keys are managed by the team’s owners and admins.'}
    </SectionPage>
  )
}
