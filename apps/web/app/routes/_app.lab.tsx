import type { MetaFunction } from '@remix-run/node'
import { FlaskIcon } from '../components/icons'
import { SectionPage } from '../components/section-page'

export const meta: MetaFunction = () => [{ title: 'Prompt Lab · Costwise' }]

export default function LabPage() {
  return (
    <SectionPage
      title="Prompt Lab"
      description="Try prompts against models and see what they cost."
      emptyTitle="Write a prompt, see its cost first"
      icon={<FlaskIcon className="h-6 w-6" />}
    >
      The Prompt Lab counts a prompt’s tokens as you type and estimates what a run would cost on each model before
      you send it. Every run is checked against your team’s budgets and recorded, so it shows up on the usage page.
    </SectionPage>
  )
}
