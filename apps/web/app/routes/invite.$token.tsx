import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { AuthCard, FormAlert, SubmitButton } from '../components/auth-card'
import { FormField } from '../components/form-field'
import type { Answer } from '../components/team/action-notice'
import { inviteAction, loadInvitePage } from '../invite.server'

export const meta: MetaFunction = () => [{ title: 'Invitation · Costwise' }]

export const loader = ({ request, params }: LoaderFunctionArgs) => loadInvitePage(request, params.token ?? '')

export const action = ({ request, params }: ActionFunctionArgs) => inviteAction(request, params.token ?? '')

const STATE_TEXT = {
  accepted: 'This invitation has been accepted already.',
  revoked: 'This invitation was withdrawn.',
  expired: 'This invitation has expired.',
} as const

export default function InvitePage() {
  const { info, signedInAs, path } = useLoaderData<typeof loader>()
  const answer = useActionData<Answer>()
  const navigation = useNavigation()
  const busy = navigation.state !== 'idle' && navigation.formMethod === 'POST'
  const refused = answer && !answer.ok ? answer : null

  if (!info || info.state !== 'open') {
    return (
      <AuthCard
        title="Invitation"
        subtitle={info ? `To ${info.teamName} on Costwise` : 'Costwise'}
        footer={<Link to="/login">Log in</Link>}
      >
        <p className="text-sm text-gray-700 dark:text-gray-300" data-testid="invite-state">
          {info ? STATE_TEXT[info.state as keyof typeof STATE_TEXT] : 'This invitation link is not valid.'} Ask a team
          admin for a new one.
        </p>
      </AuthCard>
    )
  }
  const role = info.role === 'admin' ? 'an admin' : `a ${info.role}`
  const title = `Join ${info.teamName}`
  const subtitle = `You were invited to ${info.teamName} as ${role}, at ${info.email}.`
  if (signedInAs) {
    const same = signedInAs.toLowerCase() === info.email
    return (
      <AuthCard title={title} subtitle={subtitle} footer={<>Signed in as {signedInAs}.</>}>
        <FormAlert
          message={
            refused?.message ??
            (same
              ? null
              : `This invitation is for ${info.email}; you are signed in as ${signedInAs}. Log out and open the link again.`)
          }
        />
        {same ? (
          <Form method="post">
            <input type="hidden" name="intent" value="accept" />
            <SubmitButton busy={busy} busyLabel="Joining…">
              Accept and join {info.teamName}
            </SubmitButton>
          </Form>
        ) : (
          <Form method="post" action="/logout">
            <button
              type="submit"
              className="w-full rounded-md border border-gray-300 px-4 py-2 text-sm font-medium dark:border-gray-700"
            >
              Log out
            </button>
          </Form>
        )}
      </AuthCard>
    )
  }
  if (info.accountExists) {
    const back = `/login?${new URLSearchParams({ redirectTo: path })}`
    return (
      <AuthCard
        title={title}
        subtitle={subtitle}
        footer={<>The link works once, until {new Date(info.expiresAt).toUTCString()}.</>}
      >
        <p className="mb-4 text-sm text-gray-700 dark:text-gray-300">
          {info.email} has a Costwise account: log in, then accept here.
        </p>
        <Link
          to={back}
          className="block w-full rounded-md bg-indigo-600 px-4 py-2.5 text-center text-sm font-semibold text-white hover:bg-indigo-500"
          data-testid="invite-login"
        >
          Log in to accept
        </Link>
      </AuthCard>
    )
  }
  return (
    <AuthCard title={title} subtitle={subtitle} footer={<>Your account will use {info.email}.</>}>
      <FormAlert
        message={refused && refused.field !== 'name' && refused.field !== 'password' ? refused.message : null}
      />
      <Form method="post" noValidate className="space-y-5" aria-label="Create your account and join">
        <input type="hidden" name="intent" value="create" />
        <FormField
          label="Your name"
          name="name"
          autoComplete="name"
          required
          error={refused?.field === 'name' ? refused.message : null}
        />
        <FormField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={8}
          required
          hint="At least 8 characters."
          error={refused?.field === 'password' ? refused.message : null}
        />
        <SubmitButton busy={busy} busyLabel="Joining…">
          Create account and join
        </SubmitButton>
      </Form>
    </AuthCard>
  )
}
