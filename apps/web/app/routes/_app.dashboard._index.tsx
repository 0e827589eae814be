import { redirect } from '@remix-run/node'

// /dashboard on its own opens the usage page.
export const loader = () => redirect('/dashboard/usage')
