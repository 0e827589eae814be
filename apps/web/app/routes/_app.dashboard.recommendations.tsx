import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { requireUser } from '../auth.server'
import { RecommendationsPage } from '../components/recommendations/recommendations-page'
import { loadRecommendationsPage, recommendationsAction } from '../recommendations.server'

export const meta: MetaFunction = () => [{ title: 'Recommendations · Costwise' }]

export async function loader({ request }: LoaderFunctionArgs) {
  return loadRecommendationsPage(await requireUser(request), new URL(request.url))
}

export async function action({ request }: ActionFunctionArgs) {
  return recommendationsAction(await requireUser(request), await request.formData())
}

export default function RecommendationsRoute() {
  return <RecommendationsPage data={useLoaderData<typeof loader>()} />
}
