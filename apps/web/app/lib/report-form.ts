// The report builder: core's `reportFormSchema` validates it in the browser (through Conform, as you type and on
// submit) and in the action, so both check exactly what `reports.preview`, `sendNow` and `save` check. This file only
// holds the choices and their labels, the starting values, and how a saved report reads in the form and in a list.

import { RANGE_PRESET_LABELS, rangePresetSchema } from '@costwise/core/days'
import {
  reportFormatSchema,
  reportFrequencySchema,
  reportGroupBySchema,
  reportFilterLabels,
  reportMetricSchema,
  type ReportDefinition,
} from '@costwise/core/reports/schedule'
import { USAGE_FEATURES } from '@costwise/core/usage-fields'

export { reportFormSchema, type ReportFormOutput } from '@costwise/core/reports/input'

// The choices are core's enumerations (the server's schemas are built from the same ones).
export const METRICS = reportMetricSchema.options
export const GROUP_BYS = reportGroupBySchema.options
export const PRESETS = rangePresetSchema.options
/** The built-in features, offered as suggestions (any feature name a caller records is valid). */
export const FEATURES = USAGE_FEATURES
export const FORMATS = reportFormatSchema.options
export const FREQUENCIES = reportFrequencySchema.options

export type Metric = (typeof METRICS)[number]
export type GroupBy = (typeof GROUP_BYS)[number]
export type Preset = (typeof PRESETS)[number]
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

/** The builder's fields in the order they are shown (a server error on a field not posted goes to the form). */
export const REPORT_FIELDS = [
  'metrics',
  'groupBy',
  'rangeKind',
  'preset',
  'from',
  'to',
  'model',
  'provider',
  'feature',
  'tags',
  'name',
  'format',
  'recipients',
  'frequency',
  'timeOfDay',
  'dayOfWeek',
  'dayOfMonth',
] as const
export type ReportField = (typeof REPORT_FIELDS)[number]

/** The form's values as the inputs hold them: strings, and the checked metrics (e.g. a saved report to edit). */
export type ReportFormValues = {
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
  /** `key:value` tag filters, comma-separated. */
  tags: string
  format: string
  recipients: string
  frequency: string
  timeOfDay: string
  dayOfWeek: string
  dayOfMonth: string
  /** "true" or "false" (a hidden input). */
  active: string
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
  tags: '',
  format: 'pdf',
  recipients: '',
  frequency: 'weekly',
  timeOfDay: '08:00',
  dayOfWeek: '1',
  dayOfMonth: '1',
  active: 'true',
}

/** A saved report's values, to edit it in the builder. */
export function formValuesOf(s: {
  id: string
  name: string
  definition: ReportDefinition
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
    tags: (d.filters.tag ?? []).join(', '),
    format: s.format,
    recipients: s.recipients.join(', '),
    frequency: s.frequency,
    timeOfDay: s.timeOfDay.slice(0, 5),
    dayOfWeek: String(s.dayOfWeek ?? 1),
    dayOfMonth: String(s.dayOfMonth ?? 1),
    active: String(s.active),
  }
}

/**
 * The builder's field a procedure's error path names (e.g. "definition.range.from" → from, "definition.filters.tag.0"
 * → tags, "recipients.1" → recipients), or null for the form as a whole.
 */
export function reportFieldOf(path: string): ReportField | null {
  const parts = path.split('.')
  let field = parts[0]
  if (parts[0] === 'definition') {
    field =
      parts[1] === 'range'
        ? (parts[2] ?? 'preset')
        : parts[1] === 'filters'
          ? parts[2] === 'tag'
            ? 'tags'
            : parts[2]
          : parts[1]
    if (field === 'kind') field = 'rangeKind'
  }
  return (REPORT_FIELDS as readonly string[]).includes(field ?? '') ? (field as ReportField) : null
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

/** "Cost, tokens and runs · by day · last 7 days · only gpt-4o, feature search, tag env:prod". */
export function describeDefinition(d: ReportDefinition): string {
  const metrics = d.metrics.map((m) => METRIC_LABEL[m].toLowerCase())
  const list = metrics.length > 1 ? `${metrics.slice(0, -1).join(', ')} and ${metrics.at(-1)}` : (metrics[0] ?? '')
  const range =
    d.range.kind === 'rolling' ? PRESET_LABEL[d.range.preset].toLowerCase() : `${d.range.from} to ${d.range.to}`
  const filters = reportFilterLabels(d.filters)
  return [
    list.charAt(0).toUpperCase() + list.slice(1),
    `by ${GROUP_BY_LABEL[d.groupBy].toLowerCase()}`,
    range,
    ...(filters.length ? [`only ${filters.join(', ')}`] : []),
  ].join(' · ')
}
