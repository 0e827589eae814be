import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { requireUser } from '../auth.server'
import { budgetsAction, loadBudgetsPage } from '../budgets.server'
import { BudgetSettings } from '../components/budget-settings'

export const meta: MetaFunction = () => [{ title: 'Budgets · Costwise' }]

export async function loader({ request }: LoaderFunctionArgs) {
  return loadBudgetsPage(await requireUser(request))
}

export async function action({ request }: ActionFunctionArgs) {
  return budgetsAction(await requireUser(request), await request.formData())
}

export default function BudgetsPage() {
  return <BudgetSettings data={useLoaderData<typeof loader>()} />
}
