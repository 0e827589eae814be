import { Link } from '@remix-run/react'
import type { ReactNode } from 'react'
import { Logo } from './logo'

/** The frame of the signed-out pages: wordmark, a card with the form, and a line below it. */
export function AuthCard({
  title,
  subtitle,
  children,
  footer,
}: {
  title: string
  subtitle: string
  children: ReactNode
  footer: ReactNode
}) {
  return (
    <main className="flex min-h-screen flex-col justify-center px-4 py-12 sm:px-6">
      <div className="mx-auto w-full max-w-sm">
        <Link to="/" className="flex justify-center rounded-md" aria-label="Costwise home">
          <Logo />
        </Link>
        <h1 className="mt-8 text-center text-2xl font-semibold tracking-tight text-gray-900 dark:text-gray-50">
          {title}
        </h1>
        <p className="mt-2 text-center text-sm text-gray-600 dark:text-gray-400">{subtitle}</p>
      </div>
      <div className="mx-auto mt-8 w-full max-w-sm rounded-xl border border-gray-200 bg-white p-6 shadow-sm dark:border-gray-800 dark:bg-gray-900 sm:p-8">
        {children}
      </div>
      <p className="mx-auto mt-6 max-w-sm text-center text-sm text-gray-600 dark:text-gray-400">{footer}</p>
    </main>
  )
}

export function FormAlert({ message }: { message: string | null | undefined }) {
  // Always rendered so screen readers announce the message when it appears.
  return (
    <div role="alert" aria-live="assertive" className={message ? 'mb-5' : 'sr-only'}>
      {message ? (
        <p className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-300">
          {message}
        </p>
      ) : null}
    </div>
  )
}

export function SubmitButton({ busy, children, busyLabel }: { busy: boolean; children: ReactNode; busyLabel: string }) {
  return (
    <button
      type="submit"
      disabled={busy}
      aria-disabled={busy}
      className="flex w-full items-center justify-center gap-2 rounded-md bg-indigo-600 px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 focus-visible:ring-2 focus-visible:ring-indigo-500 disabled:cursor-wait disabled:opacity-70"
    >
      {busy ? (
        <svg className="h-4 w-4 animate-spin" viewBox="0 0 24 24" fill="none" aria-hidden="true">
          <circle cx="12" cy="12" r="9" stroke="currentColor" strokeOpacity="0.3" strokeWidth="3" />
          <path d="M21 12a9 9 0 0 0-9-9" stroke="currentColor" strokeWidth="3" strokeLinecap="round" />
        </svg>
      ) : null}
      {busy ? busyLabel : children}
    </button>
  )
}
