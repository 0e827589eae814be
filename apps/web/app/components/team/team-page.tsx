import { formatUsd, usdToNano } from '@costwise/core'
import { Form, useActionData, useNavigation } from '@remix-run/react'
import { useId } from 'react'
import type { loadTeamPage, TeamActionData } from '../../team.server'
import { Card } from '../card'
import { PageHeader } from '../page-header'
import { buttonDanger, buttonPrimary, buttonSecondary, cardSubtitle, cardTitle, selectClass, td } from '../usage/styles'
import { ActionNotice, type Answer } from './action-notice'
import { AllocationsSection } from './allocations'
import { TableHead } from '../ui/table-head'

export type TeamPageData = Awaited<ReturnType<typeof loadTeamPage>>
type Data = TeamPageData
type Member = Data['members'][number]

const ROLE_HELP: Record<string, string> = {
  owner: 'everything, including ownership',
  admin: 'budgets, keys, members',
  member: 'runs prompts, sees the team’s usage',
  viewer: 'reads only',
}
const money = (usd: string) => formatUsd(usdToNano(usd))
const errorText = 'mt-1 text-sm text-red-700 dark:text-red-300'

export function TeamPage({ data }: { data: Data }) {
  const posted = useActionData<TeamActionData>()
  // A refused allocation shows its errors in its budget's form; every other answer at the top.
  const allocation = posted && 'reply' in posted ? posted : undefined
  const answer = allocation ? undefined : posted
  const when = new Intl.DateTimeFormat('en-US', {
    timeZone: data.team.timeZone,
    dateStyle: 'medium',
    timeStyle: 'short',
  })
  return (
    <>
      <PageHeader
        title="Team"
        description={`Who works in ${data.team.name}, their roles, and how team budgets are split among them. Roles decide who can change budgets, manage keys and members.`}
      />
      <ActionNotice answer={answer} testId="team-notice" />
      <div className="space-y-6">
        {data.isAdmin ? <InviteForm isOwner={data.isOwner} answer={answer} /> : null}
        <MembersCard data={data} />
        {data.isAdmin ? <InvitesCard invites={data.invites} when={when} /> : null}
        <AllocationsSection data={data} refused={allocation} />
      </div>
    </>
  )
}

function InviteForm({ isOwner, answer }: { isOwner: boolean; answer?: Answer }) {
  const id = useId()
  const navigation = useNavigation()
  const busy = navigation.state !== 'idle' && navigation.formData?.get('intent') === 'invite'
  const emailError =
    answer && !answer.ok && answer.intent === 'invite' && answer.field === 'email' ? answer.message : null
  const roleError =
    answer && !answer.ok && answer.intent === 'invite' && answer.field === 'role' ? answer.message : null
  return (
    <Card className="p-5">
      <h2 className={cardTitle}>Invite someone</h2>
      <p className={cardSubtitle}>They get an email with a link that works once and expires in 7 days.</p>
      <Form method="post" className="mt-4 flex flex-wrap items-start gap-3" aria-label="Invite a member" noValidate>
        <input type="hidden" name="intent" value="invite" />
        <div className="min-w-[16rem] flex-1">
          <label htmlFor={`${id}-email`} className="block text-sm font-medium text-gray-800 dark:text-gray-200">
            Email address
          </label>
          <input
            id={`${id}-email`}
            name="email"
            type="email"
            autoComplete="off"
            required
            aria-invalid={emailError ? true : undefined}
            aria-describedby={emailError ? `${id}-email-error` : undefined}
            className={`${selectClass} mt-1`}
          />
          {emailError ? (
            <p id={`${id}-email-error`} className={errorText}>
              {emailError}
            </p>
          ) : null}
        </div>
        <div>
          <label htmlFor={`${id}-role`} className="block text-sm font-medium text-gray-800 dark:text-gray-200">
            Role
          </label>
          <select
            id={`${id}-role`}
            name="role"
            defaultValue="member"
            className={`${selectClass} mt-1 w-40`}
            aria-invalid={roleError ? true : undefined}
          >
            {isOwner ? <option value="admin">Admin</option> : null}
            <option value="member">Member</option>
            <option value="viewer">Viewer</option>
          </select>
          {roleError ? <p className={errorText}>{roleError}</p> : null}
        </div>
        <button type="submit" className={`${buttonPrimary} mt-6`} disabled={busy}>
          {busy ? 'Sending…' : 'Send invitation'}
        </button>
      </Form>
    </Card>
  )
}

function MembersCard({ data }: { data: Data }) {
  return (
    <Card className="overflow-hidden">
      <div className="p-5 pb-3">
        <h2 className={cardTitle}>Members</h2>
        <p className={cardSubtitle}>
          {data.members.length} {data.members.length === 1 ? 'person' : 'people'}. Removing someone returns their
          allocations to the team and ends their sessions.
        </p>
      </div>
      <div className="overflow-x-auto">
        <table className="min-w-full divide-y divide-gray-200 dark:divide-gray-800" data-testid="members-table">
          <TableHead columns={['Member', 'Role', '[Actions]']} />
          <tbody className="divide-y divide-gray-100 dark:divide-gray-800">
            {data.members.map((m) => (
              <MemberRow key={m.userId} member={m} data={data} />
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  )
}

function MemberRow({ member: m, data }: { member: Member; data: Data }) {
  const id = useId()
  const label = m.name || m.email
  // Admins manage members and viewers; only owners touch the admin and owner roles.
  const canManage = !m.you && data.isAdmin && (data.isOwner || (m.role !== 'owner' && m.role !== 'admin'))
  const roles = data.isOwner ? ['owner', 'admin', 'member', 'viewer'] : ['member', 'viewer']
  return (
    <tr data-testid="member-row" data-email={m.email}>
      <td className={td}>
        <div className="font-medium text-gray-900 dark:text-gray-100">
          {label}
          {m.you ? <span className="ml-1 text-xs text-gray-500 dark:text-gray-400">(you)</span> : null}
        </div>
        {m.name ? <div className="text-xs text-gray-500 dark:text-gray-400">{m.email}</div> : null}
      </td>
      <td className={td}>
        {canManage ? (
          <Form method="post" className="flex items-center gap-2" aria-label={`Role of ${label}`}>
            <input type="hidden" name="intent" value="changeRole" />
            <input type="hidden" name="userId" value={m.userId} />
            <label htmlFor={`${id}-role`} className="sr-only">
              Role of {label}
            </label>
            <select id={`${id}-role`} name="role" defaultValue={m.role} className={`${selectClass} w-32`}>
              {roles.map((r) => (
                <option key={r} value={r}>
                  {r.charAt(0).toUpperCase() + r.slice(1)}
                </option>
              ))}
            </select>
            <button type="submit" className={buttonSecondary}>
              Save
            </button>
          </Form>
        ) : (
          <span data-testid="member-role" title={ROLE_HELP[m.role]}>
            {m.role.charAt(0).toUpperCase() + m.role.slice(1)}
          </span>
        )}
      </td>
      <td className={`${td} text-right`}>
        <div className="flex justify-end gap-2">
          {data.isOwner && !m.you ? (
            <Form method="post" aria-label={`Make ${label} the owner`}>
              <input type="hidden" name="intent" value="transfer" />
              <input type="hidden" name="userId" value={m.userId} />
              <input type="hidden" name="label" value={label} />
              <button
                type="submit"
                className={buttonSecondary}
                onClick={(e) => {
                  if (!window.confirm(`Make ${label} the owner? You become an admin.`)) e.preventDefault()
                }}
              >
                Transfer ownership
              </button>
            </Form>
          ) : null}
          {canManage ? (
            <Form method="post" aria-label={`Remove ${label}`}>
              <input type="hidden" name="intent" value="remove" />
              <input type="hidden" name="userId" value={m.userId} />
              <input type="hidden" name="label" value={label} />
              <button
                type="submit"
                className={buttonDanger}
                onClick={(e) => {
                  if (!window.confirm(`Remove ${label} from the team? Their sessions end at once.`)) e.preventDefault()
                }}
              >
                Remove
              </button>
            </Form>
          ) : null}
          {m.you ? (
            <Form method="post" aria-label="Leave the team">
              <input type="hidden" name="intent" value="leave" />
              <button
                type="submit"
                className={buttonDanger}
                onClick={(e) => {
                  if (!window.confirm(`Leave ${data.team.name}?`)) e.preventDefault()
                }}
              >
                Leave team
              </button>
            </Form>
          ) : null}
        </div>
      </td>
    </tr>
  )
}

function InvitesCard({ invites, when }: { invites: Data['invites']; when: Intl.DateTimeFormat }) {
  return (
    <Card className="p-5">
      <h2 className={cardTitle}>Open invitations</h2>
      {invites.length === 0 ? (
        <p className={cardSubtitle} data-testid="invites-empty">
          No invitations waiting. Invite someone above; their invitation shows here until they accept or it expires.
        </p>
      ) : (
        <ul className="mt-3 divide-y divide-gray-100 dark:divide-gray-800">
          {invites.map((i) => (
            <li
              key={i.id}
              className="flex flex-wrap items-center justify-between gap-3 py-2 text-sm"
              data-testid="invite-row"
              data-email={i.email}
            >
              <span>
                <span className="font-medium text-gray-900 dark:text-gray-100">{i.email}</span> as {i.role}
                <span className="text-gray-500 dark:text-gray-400">
                  {' '}
                  · {i.invitedBy ? `by ${i.invitedBy} · ` : ''}expires {when.format(new Date(i.expiresAt))}
                </span>
              </span>
              <Form method="post" aria-label={`Withdraw the invitation to ${i.email}`}>
                <input type="hidden" name="intent" value="revokeInvite" />
                <input type="hidden" name="id" value={i.id} />
                <button type="submit" className={buttonSecondary}>
                  Withdraw
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
    </Card>
  )
}
