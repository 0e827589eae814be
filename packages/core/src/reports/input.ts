import { z } from 'zod'
import { isoDaySchema, refineFromBeforeTo } from '../days'
import { usageFeatureSchema } from '../usage-fields'
import {
  reportDefinitionSchema,
  reportFormatSchema,
  reportFrequencySchema,
  reportGroupBySchema,
  reportMetricSchema,
  reportMetricsSchema,
  reportModelSchema,
  reportProviderSchema,
  reportTagFiltersSchema,
  rollingRangeSchema,
  timeOfDaySchema,
  type ReportDefinition,
  type ReportFormat,
  type ReportFrequency,
} from './schedule'

/** A saved report's name. */
export const reportNameSchema = z
  .string({ error: 'give the report a name.' })
  .trim()
  .min(1, 'give the report a name.')
  .max(200, 'keep the name under 200 characters.')

export const MAX_REPORT_RECIPIENTS = 50
const isEmail = (address: string) => z.email().safeParse(address).success

/** Who a report is emailed to: 1–50 addresses (trimmed, lower-cased); the addresses that are not emails are named. */
export const reportRecipientsSchema = z
  .array(z.string().trim().toLowerCase(), { error: 'recipients must be a list of email addresses' })
  .min(1, 'add at least one recipient, e.g. finance@example.com.')
  .max(MAX_REPORT_RECIPIENTS, `send to at most ${MAX_REPORT_RECIPIENTS} recipients.`)
  .superRefine((list, ctx) => {
    const bad = list.filter((address) => !isEmail(address))
    if (bad.length === 1) ctx.addIssue({ code: 'custom', message: `“${bad[0]}” is not an email address.` })
    else if (bad.length > 1)
      ctx.addIssue({
        code: 'custom',
        message: `these are not email addresses: ${bad.map((b) => `“${b}”`).join(', ')}.`,
      })
  })

const scheduleFields = {
  frequency: reportFrequencySchema.default('weekly'),
  /** Local time in the team's zone, HH:MM. */
  timeOfDay: timeOfDaySchema.default('08:00'),
  /** ISO weekday, 1 = Monday … 7 = Sunday (weekly). */
  dayOfWeek: z.number().int().min(1).max(7).nullish(),
  /** 1–28 (monthly; 28 at most so every month has it). */
  dayOfMonth: z
    .number()
    .int()
    .min(1, 'pick a day of the month from 1 to 28.')
    .max(28, 'pick a day of the month from 1 to 28.')
    .nullish(),
  active: z.boolean().default(true),
}

/** A weekly report names its weekday, a monthly one its day of the month. */
function scheduleDays(
  s: { frequency?: unknown; dayOfWeek?: unknown; dayOfMonth?: unknown },
  ctx: z.RefinementCtx,
): void {
  if (s.frequency === 'weekly' && !s.dayOfWeek)
    ctx.addIssue({ code: 'custom', message: 'pick the day of the week.', path: ['dayOfWeek'] })
  if (s.frequency === 'monthly' && !s.dayOfMonth)
    ctx.addIssue({ code: 'custom', message: 'pick a day of the month from 1 to 28.', path: ['dayOfMonth'] })
}

/** What `reports.preview` takes. */
export const reportPreviewInputSchema = z.object({ definition: reportDefinitionSchema })

/** What `reports.save` takes: a definition, a format, recipients and an optional schedule in the team's zone. */
export const reportScheduleInputSchema = z
  .object({
    id: z.uuid().optional(),
    name: reportNameSchema,
    definition: reportDefinitionSchema,
    format: reportFormatSchema.default('pdf'),
    recipients: reportRecipientsSchema,
    ...scheduleFields,
  })
  .superRefine(scheduleDays)
export type ReportScheduleInput = z.input<typeof reportScheduleInputSchema>

/** What `reports.sendNow` takes: a saved report's id, or a definition with its format and recipients. */
export const reportSendInputSchema = z.union([
  z.object({ scheduleId: z.uuid() }),
  z.object({ definition: reportDefinitionSchema, format: reportFormatSchema, recipients: reportRecipientsSchema }),
])

// ---- The report builder's form ----------------------------------------------------------------------------

/** "a@x.com, b@y.org\nc@z.io" → the addresses, lower-cased, without repeats (commas, semicolons, spaces, new lines). */
const addressList = (v: unknown) =>
  typeof v === 'string'
    ? [
        ...new Set(
          v
            .split(/[\s,;]+/)
            .map((p) => p.trim().toLowerCase())
            .filter(Boolean),
        ),
      ]
    : v

/** "env:prod, customer:acme" → the tag filters (as the usage page's Tag filter takes them). */
const tagList = (v: unknown) =>
  typeof v === 'string'
    ? [
        ...new Set(
          v
            .split(',')
            .map((p) => p.trim())
            .filter(Boolean),
        ),
      ]
    : v

/** The definition as the builder posts it: checked metrics, a rolling period or two days, one value per filter. */
const definitionFields = {
  metrics: reportMetricsSchema,
  groupBy: reportGroupBySchema.default('day'),
  rangeKind: z.enum(['rolling', 'fixed']).default('rolling'),
  preset: rollingRangeSchema.default('last-7-days'),
  from: isoDaySchema.optional(),
  to: isoDaySchema.optional(),
  model: reportModelSchema.optional(),
  provider: reportProviderSchema.optional(),
  feature: usageFeatureSchema.optional(),
  tags: z.preprocess(tagList, reportTagFiltersSchema).optional(),
}
const sendFields = {
  format: reportFormatSchema.default('pdf'),
  recipients: z.preprocess(addressList, reportRecipientsSchema),
}
const saveFields = {
  id: z.uuid().optional(),
  name: reportNameSchema,
  ...scheduleFields,
  /** A hidden input: "true" or "false". */
  active: z.stringbool().default(true),
}

/** A custom period names both days, the first not after the last; a schedule names its day. */
function formChecks(v: Record<string, unknown>, ctx: z.RefinementCtx): void {
  if (v.rangeKind === 'fixed') {
    if (!v.from) ctx.addIssue({ code: 'custom', message: 'pick the first day.', path: ['from'] })
    if (!v.to) ctx.addIssue({ code: 'custom', message: 'pick the last day.', path: ['to'] })
    if (typeof v.from === 'string' && typeof v.to === 'string') refineFromBeforeTo({ from: v.from, to: v.to }, ctx)
  }
  if (v.intent !== 'preview' && v.intent !== 'send') scheduleDays(v, ctx)
}
// Run even when another field is wrong, so a submit shows every error at once.
const always = { when: () => true }

type FormDefinition = z.output<z.ZodObject<typeof definitionFields>>

function definitionOf(v: FormDefinition): ReportDefinition {
  const filters: ReportDefinition['filters'] = {}
  if (v.model) filters.model = [v.model]
  if (v.provider) filters.provider = [v.provider]
  if (v.feature) filters.feature = [v.feature]
  if (v.tags?.length) filters.tag = v.tags
  return {
    // In the order the builder shows them, whatever order they were posted in.
    metrics: reportMetricSchema.options.filter((m) => v.metrics.includes(m)),
    groupBy: v.groupBy,
    range:
      v.rangeKind === 'fixed' && v.from && v.to
        ? { kind: 'fixed', from: v.from, to: v.to }
        : { kind: 'rolling', preset: v.preset },
    filters,
  }
}

/** What each of the builder's buttons leads to: the input of `reports.preview`, `reports.sendNow` or `reports.save`. */
export type ReportFormOutput =
  | { intent: 'preview'; definition: ReportDefinition }
  | { intent: 'send'; definition: ReportDefinition; format: ReportFormat; recipients: string[] }
  | {
      intent: 'save'
      id?: string
      name: string
      definition: ReportDefinition
      format: ReportFormat
      recipients: string[]
      frequency: ReportFrequency
      timeOfDay: string
      dayOfWeek: number | null
      dayOfMonth: number | null
      active: boolean
    }

/**
 * The report builder as the browser posts it (every value a string, the checked metrics repeated, recipients and
 * tags as typed), checked by the same field schemas as `reports.preview`, `sendNow` and `save` — the browser
 * validates with it as you type, the Remix action parses the posted form with it. `intent` is the button pressed:
 * Preview checks the definition, Send now also the format and recipients, Save everything (and is what a field is
 * checked against as you leave it: the button is not posted then). Its output is the procedure's input, with the intent.
 */
export const reportFormSchema = z
  .discriminatedUnion('intent', [
    z.object({ intent: z.literal('preview'), ...definitionFields }).superRefine(formChecks, always),
    z.object({ intent: z.literal('send'), ...definitionFields, ...sendFields }).superRefine(formChecks, always),
    z
      .object({ intent: z.literal('save').optional(), ...definitionFields, ...sendFields, ...saveFields })
      .superRefine(formChecks, always),
  ])
  .transform((v): ReportFormOutput => {
    const definition = definitionOf(v)
    if (v.intent === 'preview') return { intent: v.intent, definition }
    if (v.intent === 'send') return { intent: v.intent, definition, format: v.format, recipients: v.recipients }
    return {
      intent: 'save',
      ...(v.id ? { id: v.id } : {}),
      name: v.name,
      definition,
      format: v.format,
      recipients: v.recipients,
      frequency: v.frequency,
      timeOfDay: v.timeOfDay,
      dayOfWeek: v.frequency === 'weekly' ? (v.dayOfWeek ?? null) : null,
      dayOfMonth: v.frequency === 'monthly' ? (v.dayOfMonth ?? null) : null,
      active: v.active,
    }
  })
