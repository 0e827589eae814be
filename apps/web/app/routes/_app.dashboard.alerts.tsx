import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { alertsAction, loadAlertsPage } from '../alerts.server'
import { requireUser } from '../auth.server'
import { AlertsList } from '../components/alerts-list'

export const meta: MetaFunction = () => [{ title: 'Alerts · Costwise' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireUser(request)
  if (!viewer.me.activeTeam)
    return { status: 'active' as const, cursor: null, timeZone: 'UTC', alerts: [], nextCursor: null }
  return loadAlertsPage(viewer, new URL(request.url))
}

export async function action({ request }: ActionFunctionArgs) {
  return alertsAction(await requireUser(request), await request.formData())
}

export default function AlertsPage() {
  const { alerts, status, nextCursor, cursor } = useLoaderData<typeof loader>()
  return <AlertsList alerts={alerts} status={status} nextCursor={nextCursor} cursor={cursor} />
}
