import { Link } from '@remix-run/react'
import { buttonClass } from './styles'

/** The team's saved prompts, the open one marked, and a link to start a new one. */
export function PromptList({
  prompts,
  currentId,
}: {
  prompts: { id: string; name: string }[]
  currentId: string | undefined
}) {
  return (
    <nav aria-label="Saved prompts" className="space-y-2">
      <Link to="/lab" className={`${buttonClass} block text-center`}>
        New prompt
      </Link>
      <ul className="space-y-1 text-sm">
        {prompts.map((p) => (
          <li key={p.id}>
            <Link
              to={`/lab/${p.id}`}
              className={`block truncate rounded px-2 py-1 hover:bg-gray-100 dark:hover:bg-gray-800 ${p.id === currentId ? 'bg-gray-100 font-medium dark:bg-gray-800' : ''}`}
              aria-current={p.id === currentId ? 'page' : undefined}
            >
              {p.name}
            </Link>
          </li>
        ))}
        {prompts.length === 0 ? <li className="px-2 text-xs text-gray-500">No saved prompts yet.</li> : null}
      </ul>
    </nav>
  )
}
