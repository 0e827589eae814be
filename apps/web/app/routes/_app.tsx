import type { LoaderFunctionArgs } from '@remix-run/node'
import { Outlet, useLoaderData, useRouteError, useRouteLoaderData } from '@remix-run/react'
import { requireUser } from '../auth.server'
import { AppShell } from '../components/app-shell'
import { ErrorContent, ErrorPage } from '../components/error-page'
import { teamDisplay } from '../lib/format'
import { TimeDisplayProvider } from '../lib/use-time-display'
import { loadHeaderStatus } from '../shell.server'

export async function loader({ request }: LoaderFunctionArgs) {
  const { me, caller } = await requireUser(request)
  return {
    status: await loadHeaderStatus(caller, Boolean(me.activeTeam)),
    user: { email: me.user.email, name: me.user.name },
    team: me.activeTeam ? { name: me.activeTeam.name, slug: me.activeTeam.slug } : null,
    // Every page shows times in the team's zone and clock (core formatDateTime; lib/use-time-display.ts).
    display: teamDisplay(me.activeTeam),
  }
}

export default function AppLayout() {
  const { user, team, status, display } = useLoaderData<typeof loader>()
  return (
    <AppShell user={user} team={team} status={status}>
      <TimeDisplayProvider value={display}>
        <Outlet />
      </TimeDisplayProvider>
    </AppShell>
  )
}

// A page that fails keeps the navigation around it; if the frame itself failed, the whole page explains.
export function ErrorBoundary() {
  const error = useRouteError()
  const frame = useRouteLoaderData<typeof loader>('routes/_app')
  if (!frame) return <ErrorPage error={error} />
  return (
    <AppShell user={frame.user} team={frame.team} status={frame.status}>
      <div className="py-12">
        <ErrorContent error={error} />
      </div>
    </AppShell>
  )
}
