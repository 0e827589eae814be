import { Link, useFetcher, useNavigate } from '@remix-run/react'
import { useEffect, useId, useMemo, useState, type ReactNode } from 'react'
import {
  EMPTY_REPORT_FORM,
  FEATURES,
  FORMATS,
  FREQUENCIES,
  FREQUENCY_LABEL,
  GROUP_BYS,
  GROUP_BY_LABEL,
  METRICS,
  METRIC_LABEL,
  PRESETS,
  PRESET_LABEL,
  REPORT_FIELDS,
  WEEKDAYS,
  buildDefinition,
  parseRecipients,
  validateReportForm,
  validateSend,
  type ReportErrors,
  type ReportField,
  type ReportFormValues,
} from '../../lib/report-form'
import { useHydrated } from '../../lib/use-hydrated'
import type { ReportActionData } from '../../reports.server'
import { Card } from '../card'
import { buttonPrimary, buttonSecondary, cardSubtitle, cardTitle, linkClass, selectClass } from '../usage/styles'
import { ReportPreview } from './report-preview'
import { controlClass, Field, fieldErrorClass, type FieldMeta } from '../ui/field'

type Intent = 'preview' | 'save' | 'send'

const inputClass = (error?: string) => controlClass(Boolean(error))

/** Which fields each button checks before it submits. */
function check(intent: Intent, values: ReportFormValues): ReportErrors {
  if (intent === 'save') return validateReportForm(values).errors
  if (intent === 'send') return validateSend(values).errors
  return buildDefinition(values).errors
}

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
  const fetcher = useFetcher<ReportActionData>()
  const hydrated = useHydrated()
  const navigate = useNavigate()
  const [values, setValues] = useState<ReportFormValues>(initial)
  const [touched, setTouched] = useState<Set<ReportField>>(new Set())
  const [lastIntent, setLastIntent] = useState<Intent | null>(null)
  const id = useId()
  const fid = (f: ReportField) => `${id}-${f}`
  const meta = (f: ReportField): FieldMeta => ({
    id: fid(f),
    name: f,
    errorId: `${fid(f)}-error`,
    descriptionId: `${fid(f)}-hint`,
    errors: errors[f] ? [errors[f]] : undefined,
  })

  const result = fetcher.data
  const serverErrors: ReportErrors = result && !result.ok ? result.errors : {}
  const clientErrors = useMemo(() => {
    const found = lastIntent ? check(lastIntent, values) : {}
    // Recipients are checked as soon as something is typed, whatever the button.
    const recipientsError = values.recipients.trim() ? parseRecipients(values.recipients).error : found.recipients
    return { ...found, recipients: recipientsError ?? undefined }
  }, [lastIntent, values])
  const errors: ReportErrors = {}
  for (const f of REPORT_FIELDS) {
    if (touched.has(f) && clientErrors[f]) errors[f] = clientErrors[f]
    else if (!touched.has(f) && serverErrors[f]) errors[f] = serverErrors[f]
  }

  // The preview stays on screen until the definition changes; then it says it is out of date.
  const definitionKey = JSON.stringify(buildDefinition(values).definition)
  const [preview, setPreview] = useState<{
    key: string
    view: Extract<ReportActionData, { intent: 'preview'; ok: true }>['preview']
  } | null>(null)
  const [notice, setNotice] = useState<string | null>(initialNotice ?? null)
  const [submittedKey, setSubmittedKey] = useState('')
  useEffect(() => {
    if (!result) return
    if (result.ok && result.intent === 'preview') setPreview({ key: submittedKey, view: result.preview })
    if (result.ok && result.intent === 'save') {
      setNotice(`Saved “${result.savedName}”.`)
      if (values.id) navigate(`?${new URLSearchParams({ saved: result.savedName })}`, { preventScrollReset: true })
      else {
        // A new report is in the list now; start the next one afresh (saving again would make a copy).
        setValues(EMPTY_REPORT_FORM)
        setPreview(null)
        setLastIntent(null)
        setTouched(new Set())
      }
    }
    if (result.ok && result.intent === 'send')
      setNotice('Report queued — it appears in the run history below and in the outbox once sent.')
    if (!result.ok) {
      setTouched(new Set())
      const first = REPORT_FIELDS.find((f) => result.errors[f])
      if (first) document.getElementById(fid(first))?.focus()
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- react once per action result; the setters and field ids are stable
  }, [result])

  const busy = fetcher.state !== 'idle'
  const pending = busy ? (fetcher.formData?.get('intent') as Intent | null) : null

  const set = (field: ReportField) => (e: { currentTarget: { value: string } }) => {
    const value = e.currentTarget.value
    setValues((v) => ({ ...v, [field]: value }))
  }
  const blur = (field: ReportField) => () => setTouched((t) => new Set(t).add(field))
  const describedBy = (f: ReportField, hint = false) =>
    errors[f] ? `${fid(f)}-error` : hint ? `${fid(f)}-hint` : undefined
  const common = (f: Exclude<ReportField, 'metrics'>, hint = false) => ({
    id: fid(f),
    name: f,
    value: values[f],
    onChange: set(f),
    onBlur: blur(f),
    'aria-invalid': errors[f] ? true : undefined,
    'aria-describedby': describedBy(f, hint),
  })
  const toggleMetric = (metric: string, on: boolean) => {
    setValues((v) => ({ ...v, metrics: on ? [...v.metrics, metric] : v.metrics.filter((m) => m !== metric) }))
    setTouched((t) => new Set(t).add('metrics'))
  }
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
      <fetcher.Form
        method="post"
        noValidate
        className="mt-4"
        aria-labelledby="report-builder-title"
        onSubmit={(e) => {
          const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null
          const intent = (submitter?.value ?? 'preview') as Intent
          setLastIntent(intent)
          setNotice(null)
          setSubmittedKey(definitionKey)
          const all = check(intent, values)
          if (Object.keys(all).length > 0) {
            e.preventDefault()
            setTouched(new Set(REPORT_FIELDS))
            const first = REPORT_FIELDS.find((f) => all[f])
            if (first) document.getElementById(fid(first))?.focus()
          }
        }}
      >
        {/* Controlled fields: until the page is hydrated, a change would be lost, so they wait for it. */}
        <fieldset disabled={!hydrated} className="min-w-0 space-y-5">
          <input type="hidden" name="id" value={values.id} />
          <input type="hidden" name="active" value={String(values.active)} />
          {serverErrors.form ? (
            <p
              role="alert"
              className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-500/15 dark:text-red-200"
            >
              {serverErrors.form}
            </p>
          ) : null}

          <fieldset aria-describedby={errors.metrics ? `${fid('metrics')}-error` : undefined}>
            <legend className="text-sm font-medium text-gray-800 dark:text-gray-200">Metrics</legend>
            <div className="mt-2 grid grid-cols-2 gap-2 sm:grid-cols-3" id={fid('metrics')} tabIndex={-1}>
              {METRICS.map((m) => (
                <label key={m} className="flex items-center gap-2 text-sm text-gray-800 dark:text-gray-200">
                  <input
                    type="checkbox"
                    name="metrics"
                    value={m}
                    checked={values.metrics.includes(m)}
                    onChange={(e) => toggleMetric(m, e.currentTarget.checked)}
                    className="h-4 w-4 rounded border-gray-300 text-indigo-600 focus:ring-indigo-500"
                  />
                  {METRIC_LABEL[m]}
                </label>
              ))}
            </div>
            {errors.metrics ? (
              <p id={`${fid('metrics')}-error`} className={fieldErrorClass} data-field-error="metrics">
                {errors.metrics}
              </p>
            ) : null}
          </fieldset>

          <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
            <Field meta={meta('groupBy')} label="Group by">
              <select {...common('groupBy')} className={inputClass(errors.groupBy)}>
                {GROUP_BYS.map((g) => (
                  <option key={g} value={g}>
                    {GROUP_BY_LABEL[g]}
                  </option>
                ))}
              </select>
            </Field>
            <Field meta={meta('rangeKind')} label="Period">
              <select {...common('rangeKind')} className={inputClass()}>
                <option value="rolling">A rolling period</option>
                <option value="fixed">Custom dates</option>
              </select>
            </Field>
          </div>
          {values.rangeKind === 'fixed' ? (
            <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
              <Field meta={meta('from')} label="From">
                <input {...common('from')} type="date" className={inputClass(errors.from)} />
              </Field>
              <Field meta={meta('to')} label="To">
                <input {...common('to')} type="date" className={inputClass(errors.to)} />
              </Field>
            </div>
          ) : (
            <Field
              meta={meta('preset')}
              label="Rolling period"
              description="Rolling periods end with the last complete day when the report runs."
            >
              <select {...common('preset', true)} className={inputClass(errors.preset)}>
                {PRESETS.map((p) => (
                  <option key={p} value={p}>
                    {PRESET_LABEL[p]}
                  </option>
                ))}
              </select>
            </Field>
          )}

          <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
            <Field meta={meta('model')} label="Model">
              <select {...common('model')} className={inputClass(errors.model)}>
                <option value="">All models</option>
                {withCurrent(options.models, values.model).map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
            </Field>
            <Field meta={meta('provider')} label="Provider">
              <select {...common('provider')} className={inputClass(errors.provider)}>
                <option value="">All providers</option>
                {withCurrent(options.providers, values.provider).map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
            </Field>
            <Field meta={meta('feature')} label="Feature">
              <select {...common('feature')} className={inputClass(errors.feature)}>
                <option value="">All features</option>
                {FEATURES.map((f) => (
                  <option key={f} value={f}>
                    {f}
                  </option>
                ))}
              </select>
            </Field>
          </div>

          <div className="flex flex-wrap items-center gap-2">
            <button type="submit" name="intent" value="preview" className={buttonSecondary} disabled={busy}>
              {pending === 'preview' ? 'Building preview…' : 'Preview'}
            </button>
          </div>

          {preview ? <ReportPreview view={preview.view} stale={preview.key !== definitionKey} /> : null}

          <hr className="border-gray-200 dark:border-gray-800" />

          <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
            <Field meta={meta('name')} label="Report name">
              <input
                {...common('name')}
                type="text"
                autoComplete="off"
                maxLength={200}
                placeholder="Weekly spend"
                className={inputClass(errors.name)}
              />
            </Field>
            <fieldset>
              <legend className="block text-sm font-medium text-gray-800 dark:text-gray-200">Format</legend>
              <div className="mt-2 flex gap-4">
                {FORMATS.map((f) => (
                  <label key={f} className="flex items-center gap-2 text-sm text-gray-800 dark:text-gray-200">
                    <input
                      type="radio"
                      name="format"
                      value={f}
                      checked={values.format === f}
                      onChange={set('format')}
                      className="h-4 w-4 text-indigo-600 focus:ring-indigo-500"
                    />
                    {f.toUpperCase()}
                  </label>
                ))}
              </div>
              {errors.format ? <p className="mt-1.5 text-sm text-red-700 dark:text-red-300">{errors.format}</p> : null}
            </fieldset>
          </div>
          <Field
            meta={meta('recipients')}
            label="Recipients"
            description="Email addresses, separated by commas or new lines."
          >
            <textarea
              {...common('recipients', true)}
              rows={2}
              placeholder="finance@example.com, cto@example.com"
              className={inputClass(errors.recipients)}
            />
          </Field>
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
            <Field meta={meta('frequency')} label="Schedule">
              <select {...common('frequency')} className={inputClass(errors.frequency)}>
                {FREQUENCIES.map((f) => (
                  <option key={f} value={f}>
                    {FREQUENCY_LABEL[f]}
                  </option>
                ))}
              </select>
            </Field>
            {values.frequency !== 'none' ? (
              <Field
                meta={meta('timeOfDay')}
                label="Time of day"
                description={`In the team’s time zone (${timeZone}).`}
              >
                <input {...common('timeOfDay', true)} type="time" className={inputClass(errors.timeOfDay)} />
              </Field>
            ) : null}
            {values.frequency === 'weekly' ? (
              <Field meta={meta('dayOfWeek')} label="Day of the week">
                <select {...common('dayOfWeek')} className={inputClass(errors.dayOfWeek)}>
                  {WEEKDAYS.map((d, i) => (
                    <option key={d} value={String(i + 1)}>
                      {d}
                    </option>
                  ))}
                </select>
              </Field>
            ) : null}
            {values.frequency === 'monthly' ? (
              <Field meta={meta('dayOfMonth')} label="Day of the month" description="1 to 28, so every month has it.">
                <select {...common('dayOfMonth', true)} className={inputClass(errors.dayOfMonth)}>
                  {Array.from({ length: 28 }, (_, i) => String(i + 1)).map((d) => (
                    <option key={d} value={d}>
                      {d}
                    </option>
                  ))}
                </select>
              </Field>
            ) : null}
          </div>

          {values.frequency !== 'none' ? (
            <label className="flex items-center gap-2 text-sm text-gray-800 dark:text-gray-200">
              <input
                type="checkbox"
                checked={values.active}
                onChange={(e) => {
                  const active = e.currentTarget.checked
                  setValues((v) => ({ ...v, active }))
                }}
                className="h-4 w-4 rounded border-gray-300 text-indigo-600 focus:ring-indigo-500"
              />
              Active (untick to pause sending)
            </label>
          ) : null}

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

function withCurrent(list: string[], current: string): string[] {
  return current && !list.includes(current) ? [...list, current] : list
}
