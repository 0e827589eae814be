import { Form, Link, useActionData } from '@remix-run/react'
import { useId } from 'react'
import type { loadRoutingPage } from '../../alert-routing.server'
import { Card } from '../card'
import { PageHeader } from '../page-header'
import {
  buttonDanger,
  buttonPrimary,
  buttonSecondary,
  cardSubtitle,
  cardTitle,
  linkClass,
  selectClass,
  td,
} from '../usage/styles'
import { ActionNotice, type Answer } from './action-notice'
import { TableHead } from '../ui/table-head'

type Data = Extract<Awaited<ReturnType<typeof loadRoutingPage>>, { canEdit: true }>
type Route = Data['teamDefault']
type Channel = Data['channels'][number]

const errorText = 'mt-1 text-sm text-red-700 dark:text-red-300'

export function AlertRoutingPage({ data }: { data: Awaited<ReturnType<typeof loadRoutingPage>> }) {
  const answer = useActionData<Answer & { secret?: string | null }>()
  const header = (
    <PageHeader
      title="Alert routing"
      description="Who hears about budget alerts and how: email, in-app notices, signed webhooks and Slack. Each person or channel is told once per budget, period and threshold."
      actions={
        <Link to="/dashboard/alerts" className={linkClass}>
          Back to alerts
        </Link>
      }
    />
  )
  if (!data.canEdit) {
    return (
      <>
        {header}
        <p className="text-sm text-gray-700 dark:text-gray-300" data-testid="routing-locked">
          Only owners and admins choose where alerts go. Ask one of them to add you to a budget’s route.
        </p>
      </>
    )
  }
  return (
    <>
      {header}
      <ActionNotice answer={answer} testId="routing-notice" />
      {answer?.ok && answer.secret ? (
        <p className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-500/15 dark:text-amber-100">
          Signing secret: <code data-testid="channel-secret">{answer.secret}</code> — check the{' '}
          <code>X-Costwise-Signature</code> header (v1=HMAC-SHA256 of “timestamp.body”, see the README) with it.
        </p>
      ) : null}
      <div className="space-y-6">
        <ChannelsCard channels={data.channels} answer={answer} />
        <RouteCard
          title="Team default"
          subtitle="Applies to every budget without its own route."
          route={data.teamDefault}
          channels={data.channels}
          answer={answer}
        />
        {data.budgets.map((b) => (
          <RouteCard
            key={b.budgetId}
            budgetId={b.budgetId}
            title={b.name}
            subtitle={b.route ? 'Its own route.' : 'Uses the team default.'}
            route={b.route ?? data.teamDefault}
            inherits={!b.route}
            channels={data.channels}
            answer={answer}
          />
        ))}
        <DeliveriesCard deliveries={data.deliveries} timeZone={data.teamTimeZone} />
      </div>
    </>
  )
}

function RouteCard({
  budgetId,
  title,
  subtitle,
  route,
  inherits = false,
  channels,
  answer,
}: {
  budgetId?: string
  title: string
  subtitle: string
  route: Route
  inherits?: boolean
  channels: Channel[]
  answer?: Answer
}) {
  const id = useId()
  const mine =
    answer && !answer.ok && answer.intent === 'saveRoute' && (answer.target ?? '') === (budgetId ?? '') ? answer : null
  const box = (name: string, label: string, checked: boolean) => (
    <label className="flex items-center gap-1.5 text-sm">
      <input type="checkbox" name={name} defaultChecked={checked} /> {label}
    </label>
  )
  return (
    <Card className="p-5" data-testid="route-card" data-budget={budgetId ?? 'team'}>
      <h2 className={cardTitle}>{title}</h2>
      <p className={cardSubtitle}>{subtitle}</p>
      <Form method="post" className="mt-4 space-y-3" aria-label={`Alert route of ${title}`}>
        <input type="hidden" name="intent" value="saveRoute" />
        {budgetId ? <input type="hidden" name="budgetId" value={budgetId} /> : null}
        {mine ? (
          <p role="alert" className={errorText}>
            {mine.message}
          </p>
        ) : null}
        {budgetId ? box('inherit', 'Use the team default (the settings below are ignored)', inherits) : null}
        <fieldset>
          <legend className="text-sm font-medium text-gray-800 dark:text-gray-200">Who</legend>
          <div className="mt-1 flex flex-wrap gap-4">
            {box('notifyOwners', 'Owners', route.notifyOwners)}
            {box('notifyAdmins', 'Admins', route.notifyAdmins)}
            {box('notifyMember', 'The member concerned', route.notifyMember)}
          </div>
        </fieldset>
        <fieldset>
          <legend className="text-sm font-medium text-gray-800 dark:text-gray-200">How</legend>
          <div className="mt-1 flex flex-wrap gap-4">
            {box('viaEmail', 'Email', route.viaEmail)}
            {box('viaInApp', 'In-app notice', route.viaInApp)}
            {channels.map((c) => (
              <label key={c.id} className="flex items-center gap-1.5 text-sm">
                <input
                  type="checkbox"
                  name="channelIds"
                  value={c.id}
                  defaultChecked={route.channelIds.includes(c.id)}
                />{' '}
                {c.name} ({c.kind === 'slack' ? 'Slack' : 'webhook'})
              </label>
            ))}
          </div>
        </fieldset>
        <div>
          <label htmlFor={`${id}-addresses`} className="block text-sm font-medium text-gray-800 dark:text-gray-200">
            Also email these addresses
          </label>
          <textarea
            id={`${id}-addresses`}
            name="addresses"
            rows={2}
            defaultValue={route.addresses.join(', ')}
            placeholder="finance@example.com, cto@example.com"
            aria-invalid={mine?.field?.startsWith('addresses') ? true : undefined}
            className={`${selectClass} mt-1`}
          />
        </div>
        <button type="submit" className={buttonPrimary}>
          Save route
        </button>
      </Form>
    </Card>
  )
}

function ChannelsCard({ channels, answer }: { channels: Channel[]; answer?: Answer }) {
  const id = useId()
  const refused = answer && !answer.ok && answer.intent === 'saveChannel' && !answer.target ? answer : null
  const errorOf = (f: string) => (refused?.field === f ? refused.message : null)
  return (
    <Card className="p-5">
      <h2 className={cardTitle}>Channels</h2>
      <p className={cardSubtitle}>
        Webhooks get a JSON body signed with HMAC-SHA256; failed deliveries are retried with backoff. Slack channels
        take an incoming-webhook URL.
      </p>
      {channels.length === 0 ? (
        <p className="mt-3 text-sm text-gray-600 dark:text-gray-400" data-testid="channels-empty">
          No channels yet: alerts go by email and in-app notice only.
        </p>
      ) : (
        <ul className="mt-3 divide-y divide-gray-100 dark:divide-gray-800">
          {channels.map((c) => (
            <li
              key={c.id}
              className="flex flex-wrap items-center justify-between gap-3 py-2 text-sm"
              data-testid="channel-row"
              data-name={c.name}
            >
              <span>
                <span className="font-medium text-gray-900 dark:text-gray-100">{c.name}</span> ·{' '}
                {c.kind === 'slack' ? 'Slack' : 'webhook'} ·{' '}
                <span className="break-all text-gray-600 dark:text-gray-400">{c.url}</span>
                {c.active ? null : ' · paused'}
                {c.kind === 'webhook' ? <span className="text-gray-500"> · secret {c.secretHint}</span> : null}
              </span>
              <span className="flex gap-2">
                <Form method="post">
                  <input type="hidden" name="intent" value="testChannel" />
                  <input type="hidden" name="id" value={c.id} />
                  <button type="submit" className={buttonSecondary}>
                    Send test
                  </button>
                </Form>
                <Form method="post" aria-label={`Delete ${c.name}`}>
                  <input type="hidden" name="intent" value="deleteChannel" />
                  <input type="hidden" name="id" value={c.id} />
                  <button
                    type="submit"
                    className={buttonDanger}
                    onClick={(e) => {
                      if (!window.confirm(`Delete the channel “${c.name}”?`)) e.preventDefault()
                    }}
                  >
                    Delete
                  </button>
                </Form>
              </span>
            </li>
          ))}
        </ul>
      )}
      <Form method="post" className="mt-4 flex flex-wrap items-start gap-3" aria-label="Add a channel" noValidate>
        <input type="hidden" name="intent" value="saveChannel" />
        <div>
          <label htmlFor={`${id}-kind`} className="block text-sm font-medium text-gray-800 dark:text-gray-200">
            Kind
          </label>
          <select id={`${id}-kind`} name="kind" className={`${selectClass} mt-1 w-36`}>
            <option value="webhook">Webhook</option>
            <option value="slack">Slack</option>
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-name`} className="block text-sm font-medium text-gray-800 dark:text-gray-200">
            Name
          </label>
          <input
            id={`${id}-name`}
            name="name"
            autoComplete="off"
            aria-invalid={errorOf('name') ? true : undefined}
            className={`${selectClass} mt-1 w-48`}
          />
          {errorOf('name') ? <p className={errorText}>{errorOf('name')}</p> : null}
        </div>
        <div className="min-w-[18rem] flex-1">
          <label htmlFor={`${id}-url`} className="block text-sm font-medium text-gray-800 dark:text-gray-200">
            URL
          </label>
          <input
            id={`${id}-url`}
            name="url"
            type="url"
            autoComplete="off"
            placeholder="https://"
            aria-invalid={errorOf('url') ? true : undefined}
            className={`${selectClass} mt-1`}
          />
          {errorOf('url') ? <p className={errorText}>{errorOf('url')}</p> : null}
        </div>
        <button type="submit" className={`${buttonPrimary} mt-6`}>
          Add channel
        </button>
      </Form>
      {refused && refused.field !== 'name' && refused.field !== 'url' ? (
        <p role="alert" className={errorText}>
          {refused.message}
        </p>
      ) : null}
    </Card>
  )
}

function DeliveriesCard({ deliveries, timeZone }: { deliveries: Data['deliveries']; timeZone: string }) {
  const when = new Intl.DateTimeFormat('en-US', { timeZone, dateStyle: 'medium', timeStyle: 'medium' })
  return (
    <Card className="overflow-hidden">
      <div className="p-5 pb-3">
        <h2 className={cardTitle}>Delivery log</h2>
        <p className={cardSubtitle}>The latest 50 webhook and Slack deliveries, newest first.</p>
      </div>
      {deliveries.length === 0 ? (
        <p className="px-5 pb-5 text-sm text-gray-600 dark:text-gray-400" data-testid="deliveries-empty">
          Nothing sent yet. Use “Send test” on a channel to try it.
        </p>
      ) : (
        <div className="overflow-x-auto">
          <table className="min-w-full divide-y divide-gray-200 dark:divide-gray-800" data-testid="deliveries-table">
            <TableHead columns={['Channel', 'Event', 'Status', 'Attempts', 'Last answer', 'Queued']} />
            <tbody className="divide-y divide-gray-100 dark:divide-gray-800">
              {deliveries.map((d) => (
                <tr key={d.id} data-testid="delivery-row" data-status={d.status}>
                  <td className={td}>{d.channelName}</td>
                  <td className={td}>{d.event}</td>
                  <td className={td}>{d.status}</td>
                  <td className={`${td} tabular-nums`}>{d.attempts}</td>
                  <td className={td}>{d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : (d.lastError ?? '—')}</td>
                  <td className={td}>{when.format(new Date(d.createdAt))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  )
}
