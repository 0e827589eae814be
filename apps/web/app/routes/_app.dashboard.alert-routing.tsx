import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { loadRoutingPage, routingAction } from '../alert-routing.server'
import { requireUser } from '../auth.server'
import { AlertRoutingPage } from '../components/team/alert-routing'

export const meta: MetaFunction = () => [{ title: 'Alert routing · Costwise' }]

export async function loader({ request }: LoaderFunctionArgs) {
  return loadRoutingPage(await requireUser(request))
}

export async function action({ request }: ActionFunctionArgs) {
  return routingAction(await requireUser(request), await request.formData())
}

export default function Page() {
  return <AlertRoutingPage data={useLoaderData<typeof loader>()} />
}
