import type { LoaderFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { getViewer } from '../auth.server'
import { DEFAULT_REDIRECT } from '../lib/safe-redirect'

export async function loader({ request }: LoaderFunctionArgs) {
  throw redirect((await getViewer(request)) ? DEFAULT_REDIRECT : '/login')
}
