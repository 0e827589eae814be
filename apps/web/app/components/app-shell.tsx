import { Form, Link, useLocation, useNavigation } from '@remix-run/react'
import { useEffect, useId, useState, type ReactNode } from 'react'
import { AppNav } from './app-nav'
import { HeaderStatus, type HeaderStatusData } from './header-status'
import { CloseIcon, LogoutIcon, MenuIcon } from './icons'
import { Logo } from './logo'

export interface ShellUser {
  email: string
  name: string
}

export interface ShellTeam {
  name: string
  slug: string
}

function TeamBadge({ team }: { team: ShellTeam | null }) {
  if (!team) return null
  return (
    <div className="rounded-lg border border-gray-200 bg-gray-50 px-3 py-2 dark:border-gray-800 dark:bg-gray-800/40">
      <p className="text-xs font-medium uppercase tracking-wide text-gray-500 dark:text-gray-400">Team</p>
      <p className="truncate text-sm font-semibold text-gray-900 dark:text-gray-100" data-testid="active-team">
        {team.name}
      </p>
    </div>
  )
}

function Account({ user }: { user: ShellUser }) {
  const navigation = useNavigation()
  const leaving = navigation.state !== 'idle' && navigation.formAction === '/logout'
  return (
    <div className="space-y-3">
      <div className="flex items-center gap-3">
        <span
          aria-hidden="true"
          className="flex h-8 w-8 shrink-0 items-center justify-center rounded-full bg-indigo-100 text-sm font-semibold uppercase text-indigo-700 dark:bg-indigo-500/20 dark:text-indigo-300"
        >
          {(user.name || user.email).slice(0, 1)}
        </span>
        <div className="min-w-0 flex-1">
          <p className="truncate text-sm font-medium text-gray-900 dark:text-gray-100">{user.name}</p>
          <p className="truncate text-xs text-gray-500 dark:text-gray-400" data-testid="user-email" title={user.email}>
            {user.email}
          </p>
        </div>
      </div>
      <Form method="post" action="/logout">
        <button
          type="submit"
          disabled={leaving}
          className="flex w-full items-center justify-center gap-2 rounded-md border border-gray-200 px-3 py-1.5 text-sm font-medium text-gray-700 hover:bg-gray-50 hover:text-gray-900 disabled:opacity-60 dark:border-gray-700 dark:text-gray-300 dark:hover:bg-gray-800 dark:hover:text-white"
        >
          <LogoutIcon className="h-4 w-4" />
          {leaving ? 'Logging out…' : 'Log out'}
        </button>
      </Form>
    </div>
  )
}

/** The signed-in frame: a sidebar on wide screens, a header with a collapsible menu on narrow ones. */
export function AppShell({
  user,
  team,
  status = { budget: null, unreadAlerts: 0 },
  children,
}: {
  user: ShellUser
  team: ShellTeam | null
  /** The header's budget gauge and unread alert count. */
  status?: HeaderStatusData
  children: ReactNode
}) {
  const [menuOpen, setMenuOpen] = useState(false)
  const menuId = useId()
  const location = useLocation()
  const navigation = useNavigation()

  // Close the menu after any navigation, and on Escape.
  useEffect(() => setMenuOpen(false), [location.pathname])
  useEffect(() => {
    if (!menuOpen) return
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setMenuOpen(false)
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [menuOpen])

  return (
    <div className="min-h-screen">
      {navigation.state !== 'idle' ? (
        <div aria-hidden="true" className="fixed inset-x-0 top-0 z-50 h-0.5 animate-pulse bg-indigo-500" />
      ) : null}
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:left-4 focus:top-4 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:shadow dark:focus:bg-gray-900"
      >
        Skip to content
      </a>

      {/* Wide screens: fixed sidebar */}
      <aside className="hidden border-r border-gray-200 bg-white dark:border-gray-800 dark:bg-gray-900 lg:fixed lg:inset-y-0 lg:flex lg:w-64 lg:flex-col">
        <div className="flex h-16 items-center px-5">
          <Link to="/dashboard/usage" className="rounded-md" aria-label="Costwise home">
            <Logo />
          </Link>
        </div>
        <div className="flex flex-1 flex-col gap-6 overflow-y-auto px-3 pb-4">
          <div className="px-2">
            <TeamBadge team={team} />
          </div>
          <AppNav />
        </div>
        <div className="border-t border-gray-200 p-4 dark:border-gray-800">
          <Account user={user} />
        </div>
      </aside>

      {/* Narrow screens: header and a menu that folds open */}
      <header className="sticky top-0 z-30 border-b border-gray-200 bg-white/90 backdrop-blur dark:border-gray-800 dark:bg-gray-900/90 lg:hidden">
        <div className="flex h-14 items-center justify-between px-4">
          <Link to="/dashboard/usage" className="rounded-md" aria-label="Costwise home">
            <Logo />
          </Link>
          <div className="flex items-center gap-1">
            <HeaderStatus status={status} compact />
            <button
              type="button"
              aria-expanded={menuOpen}
              aria-controls={menuId}
              onClick={() => setMenuOpen((open) => !open)}
              className="inline-flex items-center gap-2 rounded-md p-2 text-gray-600 hover:bg-gray-100 hover:text-gray-900 dark:text-gray-300 dark:hover:bg-gray-800"
            >
              {menuOpen ? <CloseIcon className="h-6 w-6" /> : <MenuIcon className="h-6 w-6" />}
              <span className="sr-only">{menuOpen ? 'Close menu' : 'Open menu'}</span>
            </button>
          </div>
        </div>
        <div id={menuId} hidden={!menuOpen} className="border-t border-gray-200 px-3 pb-4 pt-3 dark:border-gray-800">
          <div className="mb-3 px-2">
            <TeamBadge team={team} />
          </div>
          <AppNav onNavigate={() => setMenuOpen(false)} />
          <div className="mt-4 border-t border-gray-200 px-2 pt-4 dark:border-gray-800">
            <Account user={user} />
          </div>
        </div>
      </header>

      <main id="main" tabIndex={-1} className="outline-none lg:pl-64">
        {/* Wide screens: a header strip with the budget gauge and the alert bell */}
        <div className="hidden h-14 items-center justify-end border-b border-gray-200 bg-white/90 px-8 dark:border-gray-800 dark:bg-gray-900/90 lg:flex">
          <HeaderStatus status={status} />
        </div>
        <div
          className={`mx-auto max-w-6xl px-4 py-6 transition-opacity sm:px-6 lg:px-8 lg:py-10 ${
            navigation.state === 'loading' ? 'opacity-60' : ''
          }`}
          aria-busy={navigation.state === 'loading'}
        >
          {children}
        </div>
      </main>
    </div>
  )
}
