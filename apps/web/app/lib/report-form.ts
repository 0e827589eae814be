// The report builder's fields and their validation, shared by the browser (inline errors) and the action
// (before calling `reports.preview` / `save` / `sendNow`, whose own zod errors are mapped back onto the fields).

import { RANGE_PRESET_LABELS, rangePresetSchema } from '@costwise/core/days'
import {
  reportFormatSchema,
  reportFrequencySchema,
  reportGroupBySchema,
  reportMetricSchema,
  type ReportDefinition,
} from '@costwise/core/reports/schedule'
import { USAGE_FEATURES } from '@costwise/core/usage-fields'
import { formString } from './form-data'

// The choices are core's enumerations (the server's schemas are built from the same ones).
export const METRICS = reportMetricSchema.options
export const GROUP_BYS = reportGroupBySchema.options
export const PRESETS = rangePresetSchema.options
export const FEATURES = USAGE_FEATURES
export const FORMATS = reportFormatSchema.options
export const FREQUENCIES = reportFrequencySchema.options

export type Metric = (typeof METRICS)[number]
export type GroupBy = (typeof GROUP_BYS)[number]
export type Preset = (typeof PRESETS)[number]
export type Feature = (typeof FEATURES)[number]
export type ReportFormat = (typeof FORMATS)[number]
export type Frequency = (typeof FREQUENCIES)[number]

export const METRIC_LABEL: Record<Metric, string> = {
  cost: 'Cost',
  tokens: 'Tokens',
  runs: 'Runs',
  avgCostPerRun: 'Average cost per run',
  errors: 'Errors',
  latency: 'Average latency',
}
export const GROUP_BY_LABEL: Record<GroupBy, string> = {
  day: 'Day',
  week: 'Week',
  month: 'Month',
  model: 'Model',
  provider: 'Provider',
  prompt: 'Prompt',
  user: 'Member',
  feature: 'Feature',
  costCenter: 'Cost centre (allocation report)',
}
export const PRESET_LABEL: Record<Preset, string> = RANGE_PRESET_LABELS
export const FREQUENCY_LABEL: Record<Frequency, string> = {
  none: 'Not scheduled (send on demand)',
  daily: 'Daily',
  weekly: 'Weekly',
  monthly: 'Monthly',
}
export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const

export const REPORT_FIELDS = [
  'name',
  'metrics',
  'groupBy',
  'rangeKind',
  'preset',
  'from',
  'to',
  'model',
  'provider',
  'feature',
  'format',
  'recipients',
  'frequency',
  'timeOfDay',
  'dayOfWeek',
  'dayOfMonth',
] as const
export type ReportField = (typeof REPORT_FIELDS)[number]
export type ReportErrors = Partial<Record<ReportField | 'form', string>>

/** The form's values as typed: strings, and the checked metrics. */
export interface ReportFormValues {
  id: string
  name: string
  metrics: string[]
  groupBy: string
  rangeKind: string
  preset: string
  from: string
  to: string
  model: string
  provider: string
  feature: string
  format: string
  recipients: string
  frequency: string
  timeOfDay: string
  dayOfWeek: string
  dayOfMonth: string
  active: boolean
}

export const EMPTY_REPORT_FORM: ReportFormValues = {
  id: '',
  name: '',
  metrics: ['cost', 'tokens', 'runs'],
  groupBy: 'day',
  rangeKind: 'rolling',
  preset: 'last-7-days',
  from: '',
  to: '',
  model: '',
  provider: '',
  feature: '',
  format: 'pdf',
  recipients: '',
  frequency: 'weekly',
  timeOfDay: '08:00',
  dayOfWeek: '1',
  dayOfMonth: '1',
  active: true,
}

/** What a report shows: core's `reportDefinitionSchema`, parsed. */
export type ReportDefinitionInput = ReportDefinition

/** What `reports.save` takes. */
export interface ReportSaveInput {
  id?: string
  name: string
  definition: ReportDefinitionInput
  format: ReportFormat
  recipients: string[]
  frequency: Frequency
  timeOfDay: string
  dayOfWeek: number | null
  dayOfMonth: number | null
  active: boolean
}

const EMAIL = /^[^\s@,;<>]+@[^\s@,;<>]+\.[^\s@,;<>]+$/
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/
const MAX_RECIPIENTS = 50

const isOneOf = <T extends string>(list: readonly T[], v: string): v is T => (list as readonly string[]).includes(v)

/** Whether "YYYY-MM-DD" names a real calendar day. */
export function isIsoDay(value: string): boolean {
  if (!ISO_DAY.test(value)) return false
  const d = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value
}

/**
 * "a@x.com, b@y.org\nc@z.io" → the addresses (trimmed, lower-cased, without repeats), or what is wrong with
 * them. Commas, semicolons, new lines and spaces all separate addresses.
 */
export function parseRecipients(raw: string): { recipients: string[]; error: string | null } {
  const parts = raw
    .split(/[\s,;]+/)
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean)
  if (parts.length === 0) return { recipients: [], error: 'Add at least one recipient, e.g. finance@example.com.' }
  const bad = parts.filter((p) => !EMAIL.test(p))
  if (bad.length === 1) return { recipients: [], error: `“${bad[0]}” is not an email address.` }
  if (bad.length > 1)
    return { recipients: [], error: `These are not email addresses: ${bad.map((b) => `“${b}”`).join(', ')}.` }
  const recipients = [...new Set(parts)]
  if (recipients.length > MAX_RECIPIENTS)
    return { recipients: [], error: `Send to at most ${MAX_RECIPIENTS} recipients.` }
  return { recipients, error: null }
}

/** The report definition the fields describe, or an error per field. */
export function buildDefinition(values: ReportFormValues): {
  definition: ReportDefinitionInput | null
  errors: ReportErrors
} {
  const errors: ReportErrors = {}
  const metrics = METRICS.filter((m) => values.metrics.includes(m))
  if (metrics.length === 0) errors.metrics = 'Pick at least one metric.'
  const groupBy = isOneOf(GROUP_BYS, values.groupBy) ? values.groupBy : null
  if (!groupBy) errors.groupBy = 'Choose how to group the figures.'
  let range: ReportDefinitionInput['range'] | null = null
  if (values.rangeKind === 'fixed') {
    const from = values.from.trim()
    const to = values.to.trim()
    if (!isIsoDay(from)) errors.from = from ? 'Write the first day as YYYY-MM-DD.' : 'Pick the first day.'
    if (!isIsoDay(to)) errors.to = to ? 'Write the last day as YYYY-MM-DD.' : 'Pick the last day.'
    if (!errors.from && !errors.to) {
      if (from > to) errors.from = 'The first day must not be after the last day.'
      else range = { kind: 'fixed', from, to }
    }
  } else if (isOneOf(PRESETS, values.preset)) {
    range = { kind: 'rolling', preset: values.preset }
  } else {
    errors.preset = 'Choose a period.'
  }
  const filters: ReportDefinitionInput['filters'] = {}
  const model = values.model.trim()
  if (model) filters.model = [model]
  const provider = values.provider.trim()
  if (provider) filters.provider = [provider]
  if (values.feature) {
    if (isOneOf(FEATURES, values.feature)) filters.feature = [values.feature]
    else errors.feature = 'Choose a feature from the list.'
  }
  if (Object.keys(errors).length > 0 || !groupBy || !range) return { definition: null, errors }
  return { definition: { metrics, groupBy, range, filters }, errors: {} }
}

/** Checks the fields a one-off send needs: the definition, the format and the recipients. */
export function validateSend(values: ReportFormValues): {
  input: { definition: ReportDefinitionInput; format: ReportFormat; recipients: string[] } | null
  errors: ReportErrors
} {
  const { definition, errors } = buildDefinition(values)
  const format = isOneOf(FORMATS, values.format) ? values.format : null
  if (!format) errors.format = 'Choose CSV or PDF.'
  const { recipients, error } = parseRecipients(values.recipients)
  if (error) errors.recipients = error
  if (!definition || !format || Object.keys(errors).length > 0) return { input: null, errors }
  return { input: { definition, format, recipients }, errors: {} }
}

/** Checks everything `reports.save` needs; returns its input when valid. */
export function validateReportForm(values: ReportFormValues): { input: ReportSaveInput | null; errors: ReportErrors } {
  const { input: send, errors } = validateSend(values)
  const name = values.name.trim()
  if (!name) errors.name = 'Give the report a name.'
  else if (name.length > 200) errors.name = 'Keep the name under 200 characters.'
  const frequency = isOneOf(FREQUENCIES, values.frequency) ? values.frequency : null
  if (!frequency) errors.frequency = 'Choose how often to send the report.'
  const timeOfDay = values.timeOfDay.trim()
  if (frequency && frequency !== 'none' && !TIME.test(timeOfDay))
    errors.timeOfDay = 'Write the time as HH:MM (24-hour), e.g. 08:00.'
  const dayOfWeek = Number(values.dayOfWeek)
  if (frequency === 'weekly' && !(Number.isInteger(dayOfWeek) && dayOfWeek >= 1 && dayOfWeek <= 7))
    errors.dayOfWeek = 'Pick the day of the week.'
  const dayOfMonth = Number(values.dayOfMonth)
  if (frequency === 'monthly' && !(Number.isInteger(dayOfMonth) && dayOfMonth >= 1 && dayOfMonth <= 28)) {
    errors.dayOfMonth = 'Pick a day of the month from 1 to 28.'
  }
  if (!send || !frequency || Object.keys(errors).length > 0) return { input: null, errors }
  return {
    input: {
      ...(values.id ? { id: values.id } : {}),
      name,
      ...send,
      frequency,
      timeOfDay: TIME.test(timeOfDay) ? timeOfDay : '08:00',
      dayOfWeek: frequency === 'weekly' ? dayOfWeek : null,
      dayOfMonth: frequency === 'monthly' ? dayOfMonth : null,
      active: values.active,
    },
    errors: {},
  }
}

export function readReportForm(data: FormData | URLSearchParams): ReportFormValues {
  const get = (k: string) => formString(data, k)
  return {
    id: get('id'),
    name: get('name'),
    metrics: data.getAll('metrics').filter((v): v is string => typeof v === 'string'),
    groupBy: get('groupBy') || 'day',
    rangeKind: get('rangeKind') === 'fixed' ? 'fixed' : 'rolling',
    preset: get('preset'),
    from: get('from'),
    to: get('to'),
    model: get('model'),
    provider: get('provider'),
    feature: get('feature'),
    format: get('format') || 'pdf',
    recipients: get('recipients'),
    frequency: get('frequency') || 'none',
    timeOfDay: get('timeOfDay'),
    dayOfWeek: get('dayOfWeek'),
    dayOfMonth: get('dayOfMonth'),
    active: get('active') !== 'false',
  }
}

/** A saved report's values, to edit it in the builder. */
export function formValuesOf(s: {
  id: string
  name: string
  definition: ReportDefinitionInput
  format: string
  recipients: string[]
  frequency: string
  timeOfDay: string
  dayOfWeek: number | null
  dayOfMonth: number | null
  active: boolean
}): ReportFormValues {
  const d = s.definition
  return {
    id: s.id,
    name: s.name,
    metrics: [...d.metrics],
    groupBy: d.groupBy,
    rangeKind: d.range.kind,
    preset: d.range.kind === 'rolling' ? d.range.preset : 'last-7-days',
    from: d.range.kind === 'fixed' ? d.range.from : '',
    to: d.range.kind === 'fixed' ? d.range.to : '',
    model: d.filters.model?.[0] ?? '',
    provider: d.filters.provider?.[0] ?? '',
    feature: d.filters.feature?.[0] ?? '',
    format: s.format,
    recipients: s.recipients.join(', '),
    frequency: s.frequency,
    timeOfDay: s.timeOfDay.slice(0, 5),
    dayOfWeek: String(s.dayOfWeek ?? 1),
    dayOfMonth: String(s.dayOfMonth ?? 1),
    active: s.active,
  }
}

/** Maps a field path from the server's error (e.g. "definition.range.from", "recipients.1") onto a form field. */
export function fieldOf(path: string | null | undefined): ReportField | 'form' {
  const parts = (path ?? '').split('.')
  if (parts[0] === 'definition') {
    if (parts[1] === 'range')
      return parts[2] === 'from' || parts[2] === 'to' || parts[2] === 'preset' ? parts[2] : 'preset'
    if (parts[1] === 'filters')
      return parts[2] === 'model' || parts[2] === 'provider' || parts[2] === 'feature' ? parts[2] : 'form'
    return parts[1] === 'metrics' || parts[1] === 'groupBy' ? parts[1] : 'form'
  }
  const head = parts[0] ?? ''
  return isOneOf(REPORT_FIELDS, head) ? head : 'form'
}

/** "Weekly on Monday at 08:00" / "Monthly on day 1 at 08:00" / "Not scheduled". */
export function describeSchedule(s: {
  frequency: string
  timeOfDay: string
  dayOfWeek: number | null
  dayOfMonth: number | null
}): string {
  const at = s.timeOfDay.slice(0, 5)
  switch (s.frequency) {
    case 'daily':
      return `Daily at ${at}`
    case 'weekly':
      return `Weekly on ${WEEKDAYS[(s.dayOfWeek ?? 1) - 1] ?? 'Monday'} at ${at}`
    case 'monthly':
      return `Monthly on day ${s.dayOfMonth ?? 1} at ${at}`
    default:
      return 'Not scheduled'
  }
}

/** "Cost, tokens and runs · by day · last 7 days". */
export function describeDefinition(d: ReportDefinitionInput): string {
  const metrics = d.metrics.map((m) => METRIC_LABEL[m].toLowerCase())
  const list = metrics.length > 1 ? `${metrics.slice(0, -1).join(', ')} and ${metrics.at(-1)}` : (metrics[0] ?? '')
  const range =
    d.range.kind === 'rolling' ? PRESET_LABEL[d.range.preset].toLowerCase() : `${d.range.from} to ${d.range.to}`
  const filters = [...(d.filters.model ?? []), ...(d.filters.provider ?? []), ...(d.filters.feature ?? [])]
  return [
    list.charAt(0).toUpperCase() + list.slice(1),
    `by ${GROUP_BY_LABEL[d.groupBy].toLowerCase()}`,
    range,
    ...(filters.length ? [`only ${filters.join(', ')}`] : []),
  ].join(' · ')
}
