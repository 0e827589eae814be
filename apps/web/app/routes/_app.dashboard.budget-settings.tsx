import type { MetaFunction } from '@remix-run/node'
import { WalletIcon } from '../components/icons'
import { SectionPage } from '../components/section-page'

export const meta: MetaFunction = () => [{ title: 'Budgets · Costwise' }]

export default function BudgetsPage() {
  return (
    <SectionPage
      title="Budgets"
      description="Spending limits and how they are enforced."
      emptyTitle="No budgets set"
      icon={<WalletIcon className="h-6 w-6" />}
    >
      A budget caps spending for the whole team, one member, an API key or a single prompt — per day, week, month
      or in total, in your team’s time zone. A hard budget blocks calls that would go over it; a soft budget lets
      them through and sends a warning. Budgets you set will be listed here with what has been spent against each.
    </SectionPage>
  )
}
