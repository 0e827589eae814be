import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { signupAction } from '../auth-actions.server'
import { getViewer } from '../auth.server'
import { AuthCard, FormAlert, SubmitButton } from '../components/auth-card'
import { FormField } from '../components/form-field'
import { DEFAULT_REDIRECT, safeRedirect } from '../lib/safe-redirect'
import { useFocusFirstError } from '../lib/use-focus-first-error'

export const meta: MetaFunction = () => [{ title: 'Create an account · Costwise' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get('redirectTo'))
  if (await getViewer(request)) throw redirect(redirectTo)
  return { redirectTo }
}

export const action = ({ request }: ActionFunctionArgs) => signupAction(request)

const FIELDS = ['name', 'email', 'password', 'teamName'] as const

export default function SignupPage() {
  const { redirectTo } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const navigation = useNavigation()
  const busy =
    navigation.state !== 'idle' &&
    navigation.formMethod === 'POST' &&
    navigation.formAction?.startsWith('/signup') === true
  const failed = result && !result.ok ? result : undefined
  const errors = failed?.fieldErrors
  const fieldRef = useFocusFirstError(FIELDS, errors)
  const loginHref = redirectTo === DEFAULT_REDIRECT ? '/login' : `/login?${new URLSearchParams({ redirectTo })}`

  return (
    <AuthCard
      title="Create your Costwise account"
      subtitle="Track what every prompt costs and keep spending within budget."
      footer={
        <>
          Already have an account?{' '}
          <Link to={loginHref} className="font-semibold text-indigo-600 hover:text-indigo-500 dark:text-indigo-400">
            Log in
          </Link>
        </>
      }
    >
      <FormAlert message={failed?.formError} />
      <Form method="post" noValidate aria-busy={busy} className="space-y-5">
        <FormField
          ref={fieldRef('name')}
          label="Your name"
          name="name"
          autoComplete="name"
          required
          defaultValue={failed?.values.name}
          error={errors?.name}
        />
        <FormField
          ref={fieldRef('email')}
          label="Work email"
          name="email"
          type="email"
          autoComplete="email"
          inputMode="email"
          required
          defaultValue={failed?.values.email}
          error={errors?.email}
        />
        <FormField
          ref={fieldRef('password')}
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={8}
          required
          hint="At least 8 characters."
          error={errors?.password}
        />
        <FormField
          ref={fieldRef('teamName')}
          label="Team name"
          name="teamName"
          autoComplete="organization"
          required
          hint="Usage, budgets and API keys belong to a team."
          defaultValue={failed?.values.teamName}
          error={errors?.teamName}
        />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <SubmitButton busy={busy} busyLabel="Creating account…">
          Create account
        </SubmitButton>
      </Form>
    </AuthCard>
  )
}
