import { DateTime } from 'luxon'
import { z } from 'zod'
import { AppError } from '../errors'
import { tagFilterSchema, usageFeatureSchema } from '../usage-fields'
import { isoDaySchema, localDayOf, presetRange, rangePresetSchema, refineFromBeforeTo, type RangePreset } from '../days'

export const reportFrequencySchema = z.enum(['none', 'daily', 'weekly', 'monthly'])

/** A report's file: a PDF summary or the CSV of its groups. */
export const reportFormatSchema = z.enum(['pdf', 'csv'])
export type ReportFormat = z.infer<typeof reportFormatSchema>

export const reportGroupBySchema = z.enum([
  'day',
  'week',
  'month',
  'model',
  'provider',
  'prompt',
  'user',
  'feature',
  'costCenter',
])
export type ReportGroupBy = z.infer<typeof reportGroupBySchema>
export type ReportFrequency = z.infer<typeof reportFrequencySchema>

export const timeOfDaySchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time written HH:MM (24-hour), e.g. 08:00')

export interface ReportSchedule {
  frequency: ReportFrequency
  /** Local time in the team's zone, HH:MM. */
  timeOfDay: string
  /** ISO weekday, 1 = Monday … 7 = Sunday (weekly). */
  dayOfWeek?: number | null
  /** 1–28 (monthly; 28 at most so every month has it). */
  dayOfMonth?: number | null
}

/**
 * The first moment after `after` when a schedule is due, in its zone: e.g. weekly on Monday at 08:00
 * Europe/Berlin. Across DST changes the local time is kept (08:00 stays 08:00); a local time that does not
 * exist that day (skipped by a spring-forward) runs at the first valid instant after it. `none` → null.
 */
export function nextRunAt(schedule: ReportSchedule, after: Date, timeZone: string): Date | null {
  if (schedule.frequency === 'none') return null
  const [hour, minute] = timeOfDaySchema.parse(schedule.timeOfDay).split(':').map(Number) as [number, number]
  const base = DateTime.fromJSDate(after, { zone: timeZone })
  if (!base.isValid) throw new AppError('BAD_INPUT', `"${timeZone}" is not a time zone.`, { field: 'timeZone' })
  const at = (d: DateTime) => d.set({ hour, minute, second: 0, millisecond: 0 })
  let candidate: DateTime
  switch (schedule.frequency) {
    case 'daily':
      candidate = at(base)
      if (candidate <= base) candidate = at(base.plus({ days: 1 }))
      break
    case 'weekly': {
      const dow = schedule.dayOfWeek
      if (!dow || dow < 1 || dow > 7)
        throw new AppError('BAD_INPUT', 'A weekly report needs dayOfWeek from 1 (Monday) to 7 (Sunday).', {
          field: 'dayOfWeek',
        })
      candidate = at(base.plus({ days: (dow - base.weekday + 7) % 7 }))
      if (candidate <= base) candidate = at(candidate.plus({ weeks: 1 }))
      break
    }
    case 'monthly': {
      const dom = schedule.dayOfMonth
      if (!dom || dom < 1 || dom > 28)
        throw new AppError('BAD_INPUT', 'A monthly report needs dayOfMonth from 1 to 28.', { field: 'dayOfMonth' })
      candidate = at(base.set({ day: dom }))
      if (candidate <= base) candidate = at(base.plus({ months: 1 }).set({ day: dom }))
      break
    }
  }
  return candidate.toJSDate()
}

/** A report's rolling range: one of core's named ranges (see ../days: "last N days" ends today, as on the dashboard). */
export const rollingRangeSchema = rangePresetSchema
export type RollingRange = RangePreset

export const reportRangeSchema = z.union([
  z.object({ kind: z.literal('rolling'), preset: rollingRangeSchema }),
  z.object({ kind: z.literal('fixed'), from: isoDaySchema, to: isoDaySchema }).superRefine(refineFromBeforeTo),
])
export type ReportRange = z.infer<typeof reportRangeSchema>

/** The local days [from, to] a report covers when it runs at `now` in `timeZone`. */
export function resolveReportRange(range: ReportRange, now: Date, timeZone: string): { from: string; to: string } {
  if (range.kind === 'fixed') return { from: range.from, to: range.to }
  return presetRange(range.preset, localDayOf(timeZone, now))
}

export const reportMetricSchema = z.enum(['cost', 'tokens', 'runs', 'avgCostPerRun', 'errors', 'latency'])
export type ReportMetric = z.infer<typeof reportMetricSchema>

const idList = z.array(z.uuid()).max(50).optional()

/** The metrics a report shows: at least one (a form with none checked is told so). */
export const reportMetricsSchema = z.array(reportMetricSchema).min(1, 'pick at least one metric.').max(6)
/** One model or provider a report is narrowed to (filters take lists of these). */
export const reportModelSchema = z.string().min(1).max(200)
export const reportProviderSchema = z.string().min(1).max(50)
/** `key:value` tags a row must all carry (core's tag filter, as on the usage page and in exports). */
export const reportTagFiltersSchema = z.array(tagFilterSchema).max(10, 'at most 10 tag filters')

/** What a report shows: metrics, filters, grouping and range. */
export const reportDefinitionSchema = z.object({
  metrics: reportMetricsSchema.default(['cost', 'tokens', 'runs']),
  /** `costCenter`: the cost allocation report (one line per cost centre and one for "unallocated"). */
  groupBy: reportGroupBySchema.default('day'),
  range: reportRangeSchema.default({ kind: 'rolling', preset: 'last-7-days' }),
  /** The usage filters (core's `USAGE_FILTER_KEYS`, as the dashboard and exports take them). */
  filters: z
    .object({
      model: z.array(reportModelSchema).max(50).optional(),
      provider: z.array(reportProviderSchema).max(10).optional(),
      promptId: idList,
      userId: idList,
      apiKeyId: idList,
      /** Any feature name a caller of track may record (built-in or free-form, e.g. "support-bot/summary"). */
      feature: z.array(usageFeatureSchema).max(5).optional(),
      tag: reportTagFiltersSchema.optional(),
    })
    .default({}),
})
export type ReportDefinition = z.infer<typeof reportDefinitionSchema>

/**
 * What a report's filters keep, for its summary (the builder, the saved report, the PDF and the email): models and
 * providers by name, then "feature search" and "tag env:prod". Empty when the report covers all usage.
 */
export function reportFilterLabels(filters: ReportDefinition['filters']): string[] {
  return [
    ...(filters.model ?? []),
    ...(filters.provider ?? []),
    ...(filters.feature ?? []).map((f) => `feature ${f}`),
    ...(filters.tag ?? []).map((t) => `tag ${t}`),
  ]
}
