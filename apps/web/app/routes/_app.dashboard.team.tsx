import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { requireUser } from '../auth.server'
import { TeamPage } from '../components/team/team-page'
import { loadTeamPage, teamAction } from '../team.server'

export const meta: MetaFunction = () => [{ title: 'Team · Costwise' }]

export async function loader({ request }: LoaderFunctionArgs) {
  return loadTeamPage(await requireUser(request))
}

export async function action({ request }: ActionFunctionArgs) {
  return teamAction(await requireUser(request), await request.formData())
}

export default function Page() {
  return <TeamPage data={useLoaderData<typeof loader>()} />
}
