import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { requireUser } from '../auth.server'
import { loadRequestsPage, requestsAction } from '../budget-requests.server'
import { BudgetRequestsPage } from '../components/team/budget-requests'

export const meta: MetaFunction = () => [{ title: 'Budget requests · Costwise' }]

export async function loader({ request }: LoaderFunctionArgs) {
  return loadRequestsPage(await requireUser(request), new URL(request.url))
}

export async function action({ request }: ActionFunctionArgs) {
  return requestsAction(await requireUser(request), await request.formData())
}

export default function Page() {
  return <BudgetRequestsPage data={useLoaderData<typeof loader>()} />
}
