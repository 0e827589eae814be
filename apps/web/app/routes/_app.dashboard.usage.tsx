import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { requireUser } from '../auth.server'
import { UsageDashboard } from '../components/usage/usage-dashboard'
import { loadUsagePage, usagePageAction } from '../usage-dashboard.server'

export const meta: MetaFunction = () => [{ title: 'Usage · Costwise' }]

export async function loader({ request }: LoaderFunctionArgs) {
  return loadUsagePage(await requireUser(request), new URL(request.url))
}

export async function action({ request }: ActionFunctionArgs) {
  return usagePageAction(await requireUser(request), await request.formData())
}

export default function UsagePage() {
  const view = useLoaderData<typeof loader>()
  return <UsageDashboard view={view} />
}
