import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { loginAction } from '../auth-actions.server'
import { getViewer } from '../auth.server'
import { AuthCard, FormAlert, SubmitButton } from '../components/auth-card'
import { FormField } from '../components/form-field'
import { DEFAULT_REDIRECT, safeRedirect } from '../lib/safe-redirect'
import { useFocusFirstError } from '../lib/use-focus-first-error'

export const meta: MetaFunction = () => [{ title: 'Log in · Costwise' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const search = new URL(request.url).searchParams
  const redirectTo = safeRedirect(search.get('redirectTo'))
  if (await getViewer(request)) throw redirect(redirectTo)
  return { redirectTo, signedUp: search.get('signedUp') === '1' }
}

export const action = ({ request }: ActionFunctionArgs) => loginAction(request)

const FIELDS = ['email', 'password'] as const

export default function LoginPage() {
  const { redirectTo, signedUp } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const navigation = useNavigation()
  const busy =
    navigation.state !== 'idle' &&
    navigation.formMethod === 'POST' &&
    navigation.formAction?.startsWith('/login') === true
  const errors = result && !result.ok ? result.fieldErrors : undefined
  const fieldRef = useFocusFirstError(FIELDS, errors)
  const signupHref = redirectTo === DEFAULT_REDIRECT ? '/signup' : `/signup?${new URLSearchParams({ redirectTo })}`

  return (
    <AuthCard
      title="Log in to Costwise"
      subtitle="See what your prompts cost, and keep spending within budget."
      footer={
        <>
          New to Costwise?{' '}
          <Link to={signupHref} className="font-semibold text-indigo-600 hover:text-indigo-500 dark:text-indigo-400">
            Create an account
          </Link>
        </>
      }
    >
      {signedUp && !result ? (
        <p
          role="status"
          data-testid="signed-up"
          className="mb-5 rounded-md bg-emerald-50 p-3 text-sm text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200"
        >
          Your account is ready: log in with the email and password you chose. (If this email already had an account,
          use that account’s password.)
        </p>
      ) : null}
      <FormAlert message={result && !result.ok ? result.formError : null} />
      <Form method="post" noValidate aria-busy={busy} className="space-y-5">
        <FormField
          ref={fieldRef('email')}
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          inputMode="email"
          required
          defaultValue={result && !result.ok ? result.values.email : undefined}
          error={errors?.email}
        />
        <FormField
          ref={fieldRef('password')}
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          error={errors?.password}
        />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <SubmitButton busy={busy} busyLabel="Logging in…">
          Log in
        </SubmitButton>
      </Form>
    </AuthCard>
  )
}
