import type { ActionFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { endSession } from '../auth.server'

export async function action({ request }: ActionFunctionArgs) {
  return redirect('/login', { headers: await endSession(request) })
}

// Logging out changes state, so it is a POST; a visit by address just goes home.
export const loader = () => redirect('/')
