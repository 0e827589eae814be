import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { auditLoader } from '../audit.server'
import { PageHeader } from '../components/page-header'
import { formatDateTime } from '../lib/format'
import { useTimeDisplay } from '../lib/use-time-display'

export const meta: MetaFunction = () => [{ title: 'Audit log · Costwise' }]

export const loader = ({ request }: LoaderFunctionArgs) => auditLoader(request)

const field = 'mt-1 rounded-md border border-gray-300 px-2 py-1.5 text-sm dark:border-gray-700 dark:bg-gray-950'

function change(before: unknown, after: unknown): string {
  const show = (v: unknown) => (v === null || v === undefined ? '—' : JSON.stringify(v))
  return before === null || before === undefined ? show(after) : `${show(before)} → ${show(after)}`
}

export default function AuditLogPage() {
  const display = useTimeDisplay()
  const when = (iso: string) => formatDateTime(iso, display, 'datetime-seconds')
  const { filters, page, actions, actorKinds } = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const next = new URLSearchParams(params)
  if (page.nextCursor) next.set('cursor', page.nextCursor)
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every administrative change in the team: who (person, API key or the operator’s CLI), what, before and after, when and from where. Rows cannot be changed or removed."
        actions={
          <Link to="/settings" className="text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400">
            Back to settings
          </Link>
        }
      />
      <Form method="get" className="mb-6 flex flex-wrap items-end gap-3" aria-label="Filter the audit log">
        <label className="text-sm font-medium">
          Action
          <select name="action" defaultValue={filters.action ?? ''} className={`${field} block`}>
            <option value="">All actions</option>
            {actions.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium">
          Who
          <select name="actorKind" defaultValue={filters.actorKind ?? ''} className={`${field} block`}>
            <option value="">Anyone</option>
            {actorKinds.map((k) => (
              <option key={k} value={k}>
                {k === 'api_key' ? 'API key' : k === 'cli' ? 'operator (CLI)' : k}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium">
          From
          <input type="date" name="from" defaultValue={filters.from ?? ''} className={`${field} block`} />
        </label>
        <label className="text-sm font-medium">
          To
          <input type="date" name="to" defaultValue={filters.to ?? ''} className={`${field} block`} />
        </label>
        <button
          type="submit"
          className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500"
        >
          Filter
        </button>
      </Form>
      {page.items.length === 0 ? (
        <p data-testid="audit-empty" className="text-sm text-gray-600 dark:text-gray-400">
          {filters.cursor ? 'No older changes.' : 'No changes match these filters yet.'}
        </p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-gray-200 dark:border-gray-800">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Audit log, newest first</caption>
            <thead className="bg-gray-50 text-xs uppercase text-gray-500 dark:bg-gray-900">
              <tr>
                <th className="px-3 py-2">When</th>
                <th className="px-3 py-2">Who</th>
                <th className="px-3 py-2">Action</th>
                <th className="px-3 py-2">Target</th>
                <th className="px-3 py-2">Change</th>
                <th className="px-3 py-2">IP</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((row) => (
                <tr
                  key={row.id}
                  data-testid="audit-row"
                  className="border-t border-gray-100 align-top dark:border-gray-800"
                >
                  <td className="whitespace-nowrap px-3 py-2">{when(row.occurredAt)}</td>
                  <td className="px-3 py-2">
                    {row.actorKind === 'cli'
                      ? 'operator (CLI)'
                      : row.actorKind === 'system'
                        ? 'system'
                        : (row.actorLabel ?? row.actorKind)}
                    {row.actorKind === 'api_key' ? <span className="text-gray-500"> (API key)</span> : null}
                  </td>
                  <td className="px-3 py-2 font-mono">{row.action}</td>
                  <td className="px-3 py-2 font-mono text-xs">
                    {row.targetType}
                    {row.targetId ? ` ${row.targetId.slice(0, 8)}` : ''}
                  </td>
                  <td className="max-w-md break-words px-3 py-2 font-mono text-xs">{change(row.before, row.after)}</td>
                  <td className="px-3 py-2 font-mono text-xs">{row.ip ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page.nextCursor ? (
        <p className="mt-4">
          <Link to={`?${next}`} className="text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400">
            Older changes →
          </Link>
        </p>
      ) : null}
    </>
  )
}
