import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { Card } from '../components/card'
import { FormField } from '../components/form-field'
import { PageHeader } from '../components/page-header'
import { formatDateTime, formatTimeZone } from '../lib/format'
import { loadTeamSettings, teamSettingsAction, type TeamSettingsResult } from '../team-settings.server'

export const meta: MetaFunction = () => [{ title: 'Team settings · Costwise' }]

export const loader = ({ request }: LoaderFunctionArgs) => loadTeamSettings(request)

export const action = ({ request }: ActionFunctionArgs) => teamSettingsAction(request)

const SAMPLE = '2026-12-02T14:05:00Z'

export default function TeamSettingsPage() {
  const { team, canEdit, timeZones } = useLoaderData<typeof loader>()
  const result = useActionData<TeamSettingsResult>()
  const saving = useNavigation().state === 'submitting'
  const error = result && !result.ok ? result : null
  const fieldError = (field: string) => (error && error.field === field ? error.message : null)
  return (
    <>
      <PageHeader title="Team settings" description={`How ${team.name} reads times and keeps its usage.`} />
      <Card className="max-w-2xl p-5">
        <Form method="post" className="space-y-5" aria-describedby={error ? 'team-settings-error' : undefined}>
          <fieldset disabled={!canEdit || saving} className="space-y-5">
            <FormField
              label="Team name"
              name="name"
              defaultValue={team.name}
              required
              maxLength={100}
              error={fieldError('name')}
            />
            <FormField
              label="Time zone"
              name="timeZone"
              list="time-zones"
              defaultValue={team.timeZone}
              autoComplete="off"
              required
              error={fieldError('timeZone')}
              hint={`Type to search the list. Budgets, dashboards and reports count days here; now ${formatTimeZone(team.timeZone)}.`}
            />
            <datalist id="time-zones">
              {['UTC', ...timeZones.filter((z) => z !== 'UTC')].map((zone) => (
                <option key={zone} value={zone} />
              ))}
            </datalist>
            <fieldset>
              <legend className="block text-sm font-medium text-gray-800 dark:text-gray-200">Clock</legend>
              <div className="mt-1.5 flex flex-wrap gap-4 text-sm">
                {(['h12', 'h23'] as const).map((cycle) => {
                  const label = `${cycle === 'h12' ? '12-hour' : '24-hour'} (${formatDateTime(SAMPLE, { timeZone: 'UTC', hourCycle: cycle }, 'time')})`
                  return (
                    <label key={cycle} className="flex items-center gap-2">
                      <input type="radio" name="hourCycle" value={cycle} defaultChecked={team.hourCycle === cycle} />
                      {label}
                    </label>
                  )
                })}
              </div>
            </fieldset>
            <FormField
              label="Keep usage rows for (months)"
              name="retentionMonths"
              type="number"
              min={1}
              max={120}
              defaultValue={team.retentionMonths}
              error={fieldError('retentionMonths')}
              hint="Older months are archived to compressed CSV and can be restored."
            />
            <p className="text-sm text-gray-600 dark:text-gray-400">
              Currency: amounts are shown in US dollars, as providers bill them.
            </p>
          </fieldset>
          {error && !['name', 'timeZone', 'retentionMonths'].includes(error.field) ? (
            <p id="team-settings-error" role="alert" className="text-sm text-red-700 dark:text-red-300">
              {error.message}
            </p>
          ) : null}
          {error && ['name', 'timeZone', 'retentionMonths'].includes(error.field) ? (
            <p role="alert" className="sr-only">
              {error.message}
            </p>
          ) : null}
          {canEdit ? (
            <div className="flex items-center gap-3">
              <button
                type="submit"
                className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 disabled:opacity-50"
                disabled={saving}
              >
                {saving ? 'Saving…' : 'Save team settings'}
              </button>
              {result?.ok && !saving ? (
                <span
                  role="status"
                  className="text-sm text-emerald-700 dark:text-emerald-300"
                  data-testid="team-settings-saved"
                >
                  Saved.
                </span>
              ) : null}
            </div>
          ) : (
            <p className="text-sm text-gray-600 dark:text-gray-400">Owners and admins change these settings.</p>
          )}
        </Form>
      </Card>
      <p className="mt-4 text-sm">
        <Link to="/settings" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          Back to settings
        </Link>
      </p>
    </>
  )
}
