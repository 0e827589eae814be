import { isRouteErrorResponse, Link, useLocation } from '@remix-run/react'
import { Logo } from './logo'

const primary = 'rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500'
const secondary =
  'rounded-md px-4 py-2 text-sm font-semibold text-gray-700 hover:bg-gray-100 dark:text-gray-300 dark:hover:bg-gray-800'

/** A friendly 404, or a generic failure that never shows server internals outside development. */
export function ErrorContent({ error }: { error: unknown }) {
  const location = useLocation()
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <div className="flex flex-col items-center text-center">
        <p className="text-sm font-semibold text-indigo-600 dark:text-indigo-400">404</p>
        <h1 className="mt-2 text-3xl font-semibold tracking-tight text-gray-900 dark:text-gray-50">Page not found</h1>
        <p className="mt-3 max-w-md text-sm leading-6 text-gray-600 dark:text-gray-400">
          There is nothing at{' '}
          <code className="break-all rounded bg-gray-100 px-1 py-0.5 dark:bg-gray-800">{location.pathname}</code>. The
          link may be old, or the address mistyped.
        </p>
        <div className="mt-8">
          <Link to="/" className={primary}>
            Go to the dashboard
          </Link>
        </div>
      </div>
    )
  }

  const status = isRouteErrorResponse(error) ? error.status : null
  const devDetails = import.meta.env.DEV && error instanceof Error ? (error.stack ?? error.message) : null
  return (
    <div className="flex flex-col items-center text-center">
      <p className="text-sm font-semibold text-red-600 dark:text-red-400">{status ?? 'Error'}</p>
      <h1 className="mt-2 text-3xl font-semibold tracking-tight text-gray-900 dark:text-gray-50">
        Something went wrong
      </h1>
      <p className="mt-3 max-w-md text-sm leading-6 text-gray-600 dark:text-gray-400">
        We couldn’t load this page. Try again in a moment; if it keeps happening, the server logs have the details.
      </p>
      <div className="mt-8 flex items-center gap-3">
        {/* A full reload, so a failed client-side navigation gets a clean second attempt. */}
        <a href={`${location.pathname}${location.search}`} className={primary}>
          Try again
        </a>
        <Link to="/" className={secondary}>
          Go home
        </Link>
      </div>
      {devDetails ? (
        <pre className="mt-10 max-w-3xl overflow-auto rounded-lg bg-gray-900 p-4 text-left text-xs text-gray-100">
          {devDetails}
        </pre>
      ) : null}
    </div>
  )
}

/** The whole page, for errors outside the signed-in frame. */
export function ErrorPage({ error }: { error: unknown }) {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-6 py-16">
      <Link to="/" className="mb-10 rounded-md" aria-label="Costwise home">
        <Logo />
      </Link>
      <ErrorContent error={error} />
    </main>
  )
}
