import { reportDefinitionSchema } from '@costwise/core'
import { describe, expect, it } from 'vitest'
import {
  EMPTY_REPORT_FORM,
  buildDefinition,
  describeDefinition,
  describeSchedule,
  fieldOf,
  formValuesOf,
  isIsoDay,
  parseRecipients,
  readReportForm,
  validateReportForm,
  validateSend,
  type ReportFormValues,
} from './report-form'

const form = (changes: Partial<ReportFormValues>): ReportFormValues => ({ ...EMPTY_REPORT_FORM, ...changes })

describe('parseRecipients', () => {
  it('splits on commas, semicolons and new lines, lower-cases and drops repeats', () => {
    expect(parseRecipients(' Ann@Example.com, bob@example.org\ncarol@example.io;ann@example.com ,, ')).toEqual({
      recipients: ['ann@example.com', 'bob@example.org', 'carol@example.io'],
      error: null,
    })
  })

  it('asks for at least one address', () => {
    expect(parseRecipients('  \n ,').error).toMatch(/at least one recipient/)
  })

  it('names the entries that are not addresses', () => {
    expect(parseRecipients('ann@example.com, bob').error).toBe('“bob” is not an email address.')
    expect(parseRecipients('x@, @y.com').error).toBe('These are not email addresses: “x@”, “@y.com”.')
    expect(parseRecipients('ann@example').error).toMatch(/not an email address/)
  })

  it('refuses more than 50 recipients', () => {
    const many = Array.from({ length: 51 }, (_, i) => `u${i}@example.com`).join(',')
    expect(parseRecipients(many).error).toMatch(/at most 50/)
  })
})

describe('buildDefinition', () => {
  it('turns the default fields into a definition the API accepts', () => {
    const { definition, errors } = buildDefinition(EMPTY_REPORT_FORM)
    expect(errors).toEqual({})
    expect(definition).toEqual({
      metrics: ['cost', 'tokens', 'runs'],
      groupBy: 'day',
      range: { kind: 'rolling', preset: 'last-7-days' },
      filters: {},
    })
    expect(reportDefinitionSchema.parse(definition)).toEqual(definition)
  })

  it('keeps metrics in a stable order, ignores unknown ones, and adds chosen filters', () => {
    const { definition } = buildDefinition(
      form({
        metrics: ['latency', 'cost', 'bogus'],
        groupBy: 'model',
        model: 'gpt-4o',
        provider: 'openai',
        feature: 'api',
      }),
    )
    expect(definition).toEqual({
      metrics: ['cost', 'latency'],
      groupBy: 'model',
      range: { kind: 'rolling', preset: 'last-7-days' },
      filters: { model: ['gpt-4o'], provider: ['openai'], feature: ['api'] },
    })
    expect(reportDefinitionSchema.safeParse(definition).success).toBe(true)
  })

  it('builds a custom range and checks its days', () => {
    expect(
      buildDefinition(form({ rangeKind: 'fixed', from: '2026-10-01', to: '2026-10-31' })).definition?.range,
    ).toEqual({
      kind: 'fixed',
      from: '2026-10-01',
      to: '2026-10-31',
    })
    expect(buildDefinition(form({ rangeKind: 'fixed', from: '', to: '2026-02-30' })).errors).toEqual({
      from: 'Pick the first day.',
      to: 'Write the last day as YYYY-MM-DD.',
    })
    expect(buildDefinition(form({ rangeKind: 'fixed', from: '2026-11-02', to: '2026-11-01' })).errors).toEqual({
      from: 'The first day must not be after the last day.',
    })
  })

  it('names each field at fault', () => {
    const { definition, errors } = buildDefinition(
      form({ metrics: [], groupBy: 'hour', preset: 'forever', feature: 'chat' }),
    )
    expect(definition).toBeNull()
    expect(Object.keys(errors).sort()).toEqual(['feature', 'groupBy', 'metrics', 'preset'])
  })
})

describe('validateSend and validateReportForm', () => {
  it('a one-off send needs recipients but no name or schedule', () => {
    expect(validateSend(form({ recipients: '' })).errors).toEqual({ recipients: expect.stringMatching(/at least one/) })
    expect(validateSend(form({ recipients: 'a@example.com', format: 'csv' })).input).toMatchObject({
      format: 'csv',
      recipients: ['a@example.com'],
    })
  })

  it('builds the save input for a weekly PDF report', () => {
    const { input, errors } = validateReportForm(
      form({
        name: ' Weekly spend ',
        recipients: 'a@example.com',
        frequency: 'weekly',
        dayOfWeek: '3',
        timeOfDay: '07:30',
      }),
    )
    expect(errors).toEqual({})
    expect(input).toEqual({
      name: 'Weekly spend',
      definition: {
        metrics: ['cost', 'tokens', 'runs'],
        groupBy: 'day',
        range: { kind: 'rolling', preset: 'last-7-days' },
        filters: {},
      },
      format: 'pdf',
      recipients: ['a@example.com'],
      frequency: 'weekly',
      timeOfDay: '07:30',
      dayOfWeek: 3,
      dayOfMonth: null,
      active: true,
    })
  })

  it('keeps the id when editing and only the day the frequency uses', () => {
    const { input } = validateReportForm(
      form({ id: 'abc', name: 'M', recipients: 'a@example.com', frequency: 'monthly', dayOfMonth: '28' }),
    )
    expect(input).toMatchObject({ id: 'abc', frequency: 'monthly', dayOfMonth: 28, dayOfWeek: null })
  })

  it('checks the schedule fields', () => {
    const { errors } = validateReportForm(
      form({ name: '', recipients: 'a@example.com', frequency: 'monthly', dayOfMonth: '31', timeOfDay: '25:00' }),
    )
    expect(errors).toEqual({
      name: 'Give the report a name.',
      dayOfMonth: expect.any(String),
      timeOfDay: expect.any(String),
    })
    expect(
      validateReportForm(form({ name: 'x', recipients: 'a@example.com', frequency: 'none', timeOfDay: '' })).errors,
    ).toEqual({})
  })
})

describe('reading and editing', () => {
  it('reads FormData, with every checked metric', () => {
    const data = new FormData()
    for (const [k, v] of [
      ['name', 'R'],
      ['metrics', 'cost'],
      ['metrics', 'errors'],
      ['rangeKind', 'fixed'],
      ['from', '2026-01-01'],
      ['to', '2026-01-31'],
      ['recipients', 'a@example.com'],
      ['frequency', 'daily'],
      ['timeOfDay', '09:00'],
    ]) {
      data.append(k!, v!)
    }
    const values = readReportForm(data)
    expect(values).toMatchObject({
      name: 'R',
      metrics: ['cost', 'errors'],
      rangeKind: 'fixed',
      format: 'pdf',
      active: true,
    })
    expect(validateReportForm(values).input).toMatchObject({
      frequency: 'daily',
      definition: { range: { kind: 'fixed', from: '2026-01-01', to: '2026-01-31' } },
    })
  })

  it('round-trips a saved report through the form', () => {
    const saved = {
      id: 'id-1',
      name: 'Monthly by model',
      definition: {
        metrics: ['cost' as const],
        groupBy: 'model' as const,
        range: { kind: 'rolling' as const, preset: 'last-month' as const },
        filters: { provider: ['openai'] },
      },
      format: 'csv',
      recipients: ['a@example.com', 'b@example.com'],
      frequency: 'monthly',
      timeOfDay: '06:00:00',
      dayOfWeek: null,
      dayOfMonth: 2,
      active: true,
    }
    const values = formValuesOf(saved)
    expect(values).toMatchObject({
      recipients: 'a@example.com, b@example.com',
      timeOfDay: '06:00',
      dayOfMonth: '2',
      provider: 'openai',
    })
    const { input } = validateReportForm(values)
    expect(input).toMatchObject({
      id: 'id-1',
      definition: saved.definition,
      recipients: saved.recipients,
      dayOfMonth: 2,
    })
  })

  it('maps server error paths onto fields', () => {
    expect(fieldOf('definition.range.from')).toBe('from')
    expect(fieldOf('definition.metrics')).toBe('metrics')
    expect(fieldOf('definition.filters.model.0')).toBe('model')
    expect(fieldOf('recipients.2')).toBe('recipients')
    expect(fieldOf('dayOfWeek')).toBe('dayOfWeek')
    expect(fieldOf('scheduleId')).toBe('form')
    expect(fieldOf(null)).toBe('form')
  })

  it('describes schedules and definitions', () => {
    expect(describeSchedule({ frequency: 'weekly', timeOfDay: '08:00:00', dayOfWeek: 1, dayOfMonth: null })).toBe(
      'Weekly on Monday at 08:00',
    )
    expect(describeSchedule({ frequency: 'none', timeOfDay: '08:00', dayOfWeek: null, dayOfMonth: null })).toBe(
      'Not scheduled',
    )
    expect(describeDefinition(buildDefinition(form({ model: 'gpt-4o' })).definition!)).toBe(
      'Cost, tokens and runs · by day · last 7 days · only gpt-4o',
    )
    expect(isIsoDay('2026-02-29')).toBe(false)
    expect(isIsoDay('2028-02-29')).toBe(true)
  })
})
