import { NavLink } from '@remix-run/react'
import { NAV_ITEMS, type NavItem } from './nav-items'

const base =
  'group flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium transition-colors focus-visible:ring-2 focus-visible:ring-indigo-500'
const idle =
  'text-gray-600 hover:bg-gray-100 hover:text-gray-900 dark:text-gray-400 dark:hover:bg-gray-800/70 dark:hover:text-gray-100'
const active = 'bg-indigo-50 text-indigo-700 dark:bg-indigo-500/15 dark:text-indigo-300'

/**
 * The main navigation. NavLink marks the current section with `aria-current="page"`; a section stays
 * current on its sub-pages.
 */
export function AppNav({
  items = NAV_ITEMS,
  onNavigate,
  id,
}: {
  items?: readonly NavItem[]
  onNavigate?: () => void
  id?: string
}) {
  return (
    <nav aria-label="Main" id={id}>
      <ul className="flex flex-col gap-1">
        {items.map(({ to, label, icon: Icon }) => (
          <li key={to}>
            <NavLink
              to={to}
              prefetch="intent"
              onClick={onNavigate}
              className={({ isActive }) => `${base} ${isActive ? active : idle}`}
            >
              {({ isActive }) => (
                <>
                  <Icon
                    className={`h-5 w-5 shrink-0 ${
                      isActive
                        ? 'text-indigo-600 dark:text-indigo-300'
                        : 'text-gray-400 group-hover:text-gray-600 dark:text-gray-500 dark:group-hover:text-gray-300'
                    }`}
                  />
                  {label}
                </>
              )}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  )
}
