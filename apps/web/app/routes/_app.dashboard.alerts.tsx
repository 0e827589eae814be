import type { MetaFunction } from '@remix-run/node'
import { BellIcon } from '../components/icons'
import { SectionPage } from '../components/section-page'

export const meta: MetaFunction = () => [{ title: 'Alerts · Costwise' }]

export default function AlertsPage() {
  return (
    <SectionPage
      title="Alerts"
      description="Notices sent when spending crosses a budget threshold."
      emptyTitle="No alerts yet"
      icon={<BellIcon className="h-6 w-6" />}
    >
      An alert is raised when spending crosses one of a budget’s thresholds — 50%, 80% and 100% unless you choose
      others — and is emailed to the team. Alerts will be listed here, newest first, with the email that went out.
    </SectionPage>
  )
}
