import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { requireUser } from '../auth.server'
import { CostCentersPage } from '../components/team/cost-centers'
import { costCentersAction, loadCostCentersPage } from '../cost-centers.server'

export const meta: MetaFunction = () => [{ title: 'Cost centres · Costwise' }]

export async function loader({ request }: LoaderFunctionArgs) {
  return loadCostCentersPage(await requireUser(request))
}

export async function action({ request }: ActionFunctionArgs) {
  return costCentersAction(await requireUser(request), await request.formData())
}

export default function Page() {
  return <CostCentersPage data={useLoaderData<typeof loader>()} />
}
