import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { requireUser } from '../auth.server'
import { PageHeader } from '../components/page-header'
import { Reconciliation } from '../components/reconciliation/reconciliation'
import { loadReconciliationPage, reconciliationAction } from '../reconciliation.server'

export const meta: MetaFunction = () => [{ title: 'Reconciliation · Costwise' }]

export async function loader({ request }: LoaderFunctionArgs) {
  return loadReconciliationPage(await requireUser(request), new URL(request.url))
}

export async function action({ request }: ActionFunctionArgs) {
  return reconciliationAction(await requireUser(request), request)
}

export default function ReconciliationPage() {
  const view = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader
        title="Reconciliation"
        description="Your provider's bill against what Costwise tracked: what share it saw, and exactly what bypassed it."
      />
      <Reconciliation {...view} />
    </>
  )
}
