import { describe, expect, it } from 'vitest'
import { reportRecipientsSchema, reportScheduleInputSchema, reportSendInputSchema } from './input'
import { reportDefinitionSchema } from './schedule'

const messages = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (r.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`)

describe('report definitions', () => {
  it('take any feature name a caller records and tag filters in the usage page’s syntax', () => {
    const d = reportDefinitionSchema.parse({
      filters: { feature: ['support-bot/summary', 'api'], tag: ['env:prod', 'url:https://x'] },
    })
    expect(d.filters).toEqual({ feature: ['support-bot/summary', 'api'], tag: ['env:prod', 'url:https://x'] })
  })

  it('refuse a malformed feature or tag, naming the rule', () => {
    const r = reportDefinitionSchema.safeParse({ filters: { feature: ['bad name'], tag: ['nocolon'] } })
    expect(messages(r)).toEqual([
      expect.stringMatching(/^filters\.feature\.0: feature must be 1–64 characters/),
      'filters.tag.0: tag must be key:value, e.g. env:prod',
    ])
    const many = Array.from({ length: 11 }, (_, i) => `k${i}:v`)
    expect(messages(reportDefinitionSchema.safeParse({ filters: { tag: many } }))).toEqual([
      'filters.tag: at most 10 tag filters',
    ])
  })

  it('need at least one metric when metrics are given', () => {
    expect(messages(reportDefinitionSchema.safeParse({ metrics: [] }))).toEqual(['metrics: pick at least one metric.'])
    expect(reportDefinitionSchema.parse({}).metrics).toEqual(['cost', 'tokens', 'runs'])
  })
})

describe('report recipients', () => {
  it('are trimmed and lower-cased, and the addresses that are not emails are named', () => {
    expect(reportRecipientsSchema.parse([' Ann@Example.com '])).toEqual(['ann@example.com'])
    expect(messages(reportRecipientsSchema.safeParse(['a@example.com', 'bob']))).toEqual([
      ': “bob” is not an email address.',
    ])
    expect(messages(reportRecipientsSchema.safeParse(['x@', '@y.com']))).toEqual([
      ': these are not email addresses: “x@”, “@y.com”.',
    ])
    expect(messages(reportRecipientsSchema.safeParse([]))).toEqual([
      ': add at least one recipient, e.g. finance@example.com.',
    ])
  })
})

describe('reports.save and reports.sendNow inputs', () => {
  const base = { name: 'Weekly', definition: {}, recipients: ['a@example.com'] }

  it('a weekly report names its weekday and a monthly one its day', () => {
    expect(messages(reportScheduleInputSchema.safeParse({ ...base, frequency: 'weekly' }))).toEqual([
      'dayOfWeek: pick the day of the week.',
    ])
    expect(messages(reportScheduleInputSchema.safeParse({ ...base, frequency: 'monthly' }))).toEqual([
      'dayOfMonth: pick a day of the month from 1 to 28.',
    ])
    expect(reportScheduleInputSchema.parse({ ...base, frequency: 'weekly', dayOfWeek: 1 })).toMatchObject({
      format: 'pdf',
      timeOfDay: '08:00',
      active: true,
    })
  })

  it('a report needs a name', () => {
    expect(messages(reportScheduleInputSchema.safeParse({ ...base, name: ' ', frequency: 'none' }))).toEqual([
      'name: give the report a name.',
    ])
  })

  it('send now takes a saved report or a definition with format and recipients', () => {
    expect(reportSendInputSchema.safeParse({ scheduleId: '6f1c1f5e-4a8e-4b7e-9a53-0c2f1d3e4b5a' }).success).toBe(true)
    expect(
      reportSendInputSchema.safeParse({
        definition: { filters: { tag: ['env:prod'] } },
        format: 'csv',
        recipients: ['a@example.com'],
      }).success,
    ).toBe(true)
    expect(reportSendInputSchema.safeParse({ definition: {}, format: 'csv', recipients: [] }).success).toBe(false)
  })
})
