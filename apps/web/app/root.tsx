import type { LinksFunction, MetaFunction } from '@remix-run/node'
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError } from '@remix-run/react'
import type { ReactNode } from 'react'
import { ErrorPage } from './components/error-page'
import { useNonce } from './lib/nonce'
import stylesheet from './tailwind.css?url'
import { z } from 'zod'

// In the browser, zod must not probe for eval (`new Function`) to compile parsers: the Content-Security-Policy
// forbids it, and the probe shows up as a violation. The server keeps zod's compiled parsers.
if (typeof document !== 'undefined') z.config({ jitless: true })

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesheet },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

export const meta: MetaFunction = () => [
  { title: 'Costwise' },
  { name: 'description', content: 'Track LLM tokens and spending, and keep them within budget.' },
]

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce()
  return (
    <html lang="en" className="h-full">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <Meta />
        <Links />
      </head>
      <body className="h-full">
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

export default function App() {
  return <Outlet />
}

export function ErrorBoundary() {
  return <ErrorPage error={useRouteError()} />
}
