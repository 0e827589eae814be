import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { requireUser } from '../auth.server'
import { OutboxPage } from '../components/reports/outbox'
import { loadOutboxPage } from '../reports.server'

export const meta: MetaFunction = () => [{ title: 'Outbox · Costwise' }]

export async function loader({ request }: LoaderFunctionArgs) {
  return loadOutboxPage(await requireUser(request))
}

export default function OutboxRoute() {
  return <OutboxPage data={useLoaderData<typeof loader>()} />
}
