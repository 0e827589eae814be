import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { requireUser } from '../auth.server'
import { TeamUsagePage } from '../components/team/team-usage'
import { loadTeamUsagePage } from '../team-usage.server'

export const meta: MetaFunction = () => [{ title: 'Team usage · Costwise' }]

export async function loader({ request }: LoaderFunctionArgs) {
  return loadTeamUsagePage(await requireUser(request), new URL(request.url))
}

export default function Page() {
  return <TeamUsagePage data={useLoaderData<typeof loader>()} />
}
