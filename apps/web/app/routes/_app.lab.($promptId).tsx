import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { PageHeader } from '../components/page-header'
import { PromptLab } from '../components/lab/prompt-lab'
import { labAction, labLoader } from '../lab.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.prompt?.name ?? 'Prompt Lab'} · Costwise` },
]

export const loader = ({ request, params }: LoaderFunctionArgs) => labLoader(request, params.promptId)

export const action = ({ request }: ActionFunctionArgs) => labAction(request)

export default function LabPage() {
  const data = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader
        title="Prompt Lab"
        description="See what a prompt costs before you run it, and what it really used after."
      />
      <PromptLab
        // A new version (a save, a restore, an Apply) shows the prompt as saved.
        key={data.prompt ? `${data.prompt.id}:${data.prompt.version}` : 'new'}
        tier={data.tier}
        canWrite={data.role !== null && data.role !== 'viewer'}
        canEditBudgets={data.role === 'owner' || data.role === 'admin'}
        models={data.models}
        prompts={data.prompts}
        prompt={data.prompt}
        runs={data.runs}
        versions={data.versions}
        budgets={data.budgets.budgets}
        pricing={data.pricing}
        estimate={data.estimate}
      />
    </>
  )
}
