import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { requireUser } from '../auth.server'
import { CogIcon } from '../components/icons'
import { ProfileSummary } from '../components/profile-summary'
import { SectionPage } from '../components/section-page'
import { TierSwitcher } from '../components/tier-switcher'
import { setTierAction } from '../settings.server'

export const meta: MetaFunction = () => [{ title: 'Settings · Costwise' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const { me } = await requireUser(request)
  return { user: me.user, team: me.activeTeam }
}

export const action = ({ request }: ActionFunctionArgs) => setTierAction(request)

export default function SettingsPage() {
  const { user, team } = useLoaderData<typeof loader>()
  return (
    <SectionPage
      title="Settings"
      description="Your profile, your plan and your team’s preferences."
      emptyTitle="API keys"
      icon={<CogIcon className="h-6 w-6" />}
      extra={
        <>
          <ProfileSummary user={user} team={team} />
          <TierSwitcher tier={user.tier} />
        </>
      }
    >
      API keys let your own services send usage to Costwise and call its API for {team ? team.name : 'your team'}.
      Keys you create will be listed here, with when each was last used.
    </SectionPage>
  )
}
