import type { MetaFunction } from '@remix-run/node'
import { DocumentIcon } from '../components/icons'
import { SectionPage } from '../components/section-page'

export const meta: MetaFunction = () => [{ title: 'Reports · Costwise' }]

export default function ReportsPage() {
  return (
    <SectionPage
      title="Reports"
      description="Summaries of spending, on a schedule or on demand."
      emptyTitle="No reports yet"
      icon={<DocumentIcon className="h-6 w-6" />}
    >
      A report summarises spending by model, prompt and member for a week or a month. Reports can be emailed on a
      schedule or downloaded as CSV; the ones generated for your team will be kept here.
    </SectionPage>
  )
}
