import { getInputProps } from '@conform-to/react'
import { Link } from '@remix-run/react'
import type { ReportFormValues } from '../../lib/report-form'
import { useHydrated } from '../../lib/use-hydrated'
import { Card } from '../card'
import { buttonPrimary, buttonSecondary, cardSubtitle, cardTitle } from '../usage/styles'
import { ReportDefinitionFields } from './report-definition-fields'
import { ReportDeliveryFields } from './report-delivery-fields'
import { ReportPreview } from './report-preview'
import { useReportBuilder } from './use-report-builder'

/** Builds a report: what it measures (and a preview of it), then who gets it and when; saves it or sends it once. */
export function ReportBuilder({
  initial,
  initialNotice,
  editingName,
  canSchedule,
  canEdit,
  timeZone,
  options,
}: {
  initial: ReportFormValues
  initialNotice?: string | null
  editingName: string | null
  canSchedule: boolean
  canEdit: boolean
  timeZone: string
  options: { models: string[]; providers: string[] }
}) {
  const hydrated = useHydrated()
  const { fetcher, form, fields, formProps, busy, pending, notice, preview } = useReportBuilder({
    initial,
    initialNotice,
    editing: editingName !== null,
  })
  const locked = !canSchedule || !canEdit
  const lockReason = !canSchedule
    ? 'Saving and sending reports needs the Enterprise plan.'
    : !canEdit
      ? 'Only owners and admins can save and send reports.'
      : undefined

  return (
    <Card className="p-5" id="report-builder">
      <h2 id="report-builder-title" className={cardTitle}>
        {editingName ? `Edit “${editingName}”` : 'Build a report'}
      </h2>
      <p className={cardSubtitle}>Pick what to measure, preview it, then save it on a schedule or send it once.</p>
      {!canSchedule ? (
        <p
          role="note"
          data-testid="enterprise-notice"
          className="mt-4 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-amber-100"
        >
          <strong className="font-semibold">Enterprise plan.</strong> Scheduled and emailed reports are part of the
          Enterprise plan. You can build and preview a report here; to save or send it, ask your instance operator to
          move the team to Enterprise (<code>pnpm cli team set-plan</code>).
        </p>
      ) : null}
      {notice ? (
        <p
          role="status"
          data-testid="report-notice"
          className="mt-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:bg-emerald-500/15 dark:text-emerald-100"
        >
          {notice}
        </p>
      ) : null}
      <fetcher.Form method="post" {...formProps} className="mt-4" aria-labelledby="report-builder-title">
        {/* Until the page is hydrated a submit would skip the checks and the fetcher, so the fields wait for it. */}
        <fieldset disabled={!hydrated} className="min-w-0 space-y-5">
          <input {...getInputProps(fields.id, { type: 'hidden' })} />
          {form.errors?.[0] ? (
            <p
              role="alert"
              id={form.errorId}
              className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-500/15 dark:text-red-200"
            >
              {form.errors[0]}
            </p>
          ) : null}

          <ReportDefinitionFields fields={fields} options={options} />

          <div className="flex flex-wrap items-center gap-2">
            <button type="submit" name="intent" value="preview" className={buttonSecondary} disabled={busy}>
              {pending === 'preview' ? 'Building preview…' : 'Preview'}
            </button>
          </div>

          {preview ? <ReportPreview view={preview.view} stale={preview.stale} /> : null}

          <hr className="border-gray-200 dark:border-gray-800" />

          <ReportDeliveryFields form={form} fields={fields} timeZone={timeZone} />

          <div className="flex flex-wrap items-center gap-2 pt-1">
            <button
              type="submit"
              name="intent"
              value="save"
              className={buttonPrimary}
              disabled={busy || locked}
              title={lockReason}
            >
              {pending === 'save' ? 'Saving…' : editingName ? 'Save changes' : 'Save report'}
            </button>
            <button
              type="submit"
              name="intent"
              value="send"
              className={buttonSecondary}
              disabled={busy || locked}
              title={lockReason}
            >
              {pending === 'send' ? 'Queueing…' : 'Send now'}
            </button>
            {editingName ? (
              <Link to="?" className={buttonSecondary}>
                Cancel
              </Link>
            ) : null}
            {locked ? <span className="text-xs text-gray-600 dark:text-gray-400">{lockReason}</span> : null}
          </div>
        </fieldset>
      </fetcher.Form>
    </Card>
  )
}
