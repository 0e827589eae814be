import type { MetaFunction } from '@remix-run/node'
import { useRouteLoaderData } from '@remix-run/react'
import { UsersIcon } from '../components/icons'
import { SectionPage } from '../components/section-page'
import type { loader as appLoader } from './_app'

export const meta: MetaFunction = () => [{ title: 'Team · Costwise' }]

export default function TeamPage() {
  const team = useRouteLoaderData<typeof appLoader>('routes/_app')?.team
  return (
    <SectionPage
      title="Team"
      description={team ? `Who works in ${team.name}.` : 'Who works in your team.'}
      emptyTitle="Members and roles"
      icon={<UsersIcon className="h-6 w-6" />}
    >
      Everyone in {team ? team.name : 'your team'} will be listed here with their role — owner, admin, member or
      viewer. Roles decide who can change budgets, manage API keys and see the whole team’s spending.
    </SectionPage>
  )
}
