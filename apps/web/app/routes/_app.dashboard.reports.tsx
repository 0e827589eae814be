import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { requireUser } from '../auth.server'
import { ReportsPage } from '../components/reports/reports-page'
import { loadReportsPage, reportsAction } from '../reports.server'

export const meta: MetaFunction = () => [{ title: 'Reports · Costwise' }]

export async function loader({ request }: LoaderFunctionArgs) {
  return loadReportsPage(await requireUser(request))
}

export async function action({ request }: ActionFunctionArgs) {
  return reportsAction(await requireUser(request), await request.formData())
}

export default function ReportsRoute() {
  return <ReportsPage data={useLoaderData<typeof loader>()} />
}
