import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { requireUser } from '../auth.server'
import { EmptyState } from '../components/empty-state'
import { PageHeader } from '../components/page-header'
import { TeamPrices } from '../components/prices/team-prices'
import { loadPricesPage, pricesAction } from '../prices.server'

export const meta: MetaFunction = () => [{ title: 'Prices · Costwise' }]

export async function loader({ request }: LoaderFunctionArgs) {
  return loadPricesPage(await requireUser(request))
}

export async function action({ request }: ActionFunctionArgs) {
  return pricesAction(await requireUser(request), await request.formData())
}

export default function PricesPage() {
  const { table, canEdit, models, unpriced } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader
        title="Prices"
        description="What your team pays: negotiated discounts, custom prices and your own model names, on top of list prices."
      />
      {table ? (
        <TeamPrices table={table} canEdit={canEdit} models={models} unpriced={unpriced} />
      ) : (
        <EmptyState title="No team yet">Join or create a team to set its prices.</EmptyState>
      )}
    </>
  )
}
