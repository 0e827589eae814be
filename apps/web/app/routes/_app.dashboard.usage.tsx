import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { requireUser } from '../auth.server'
import { UsageOverview } from '../components/usage-overview'
import { emptyUsageView, toUsageView } from '../usage.server'

export const meta: MetaFunction = () => [{ title: 'Usage · Costwise' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const { me, caller } = await requireUser(request)
  if (!me.activeTeam) return { teamName: null, usage: emptyUsageView() }
  const daily = await caller.analytics.daily({ days: 30 })
  return { teamName: me.activeTeam.name, usage: toUsageView(daily) }
}

export default function UsagePage() {
  const { teamName, usage } = useLoaderData<typeof loader>()
  return <UsageOverview teamName={teamName} usage={usage} />
}
