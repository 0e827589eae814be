import { parseWithZod } from '@conform-to/zod/v4'
import { reportDefinitionSchema, reportPreviewInputSchema, reportScheduleInputSchema } from '@costwise/core'
import { describe, expect, it } from 'vitest'
import {
  EMPTY_REPORT_FORM,
  describeDefinition,
  describeSchedule,
  formValuesOf,
  reportFieldOf,
  reportFormSchema,
  type ReportFormValues,
} from './report-form'

const ID = '6f1c1f5e-4a8e-4b7e-9a53-0c2f1d3e4b5a'

/** The builder as the browser posts it (the checked metrics repeated, empty inputs posted empty), with its button. */
function post(changes: Partial<ReportFormValues>, intent?: 'preview' | 'send' | 'save') {
  const data = new FormData()
  for (const [k, v] of Object.entries({ ...EMPTY_REPORT_FORM, ...changes })) {
    if (Array.isArray(v)) for (const item of v) data.append(k, item)
    else data.set(k, v)
  }
  if (intent) data.set('intent', intent)
  return data
}
/** Parsed the way both the browser and the action parse it. */
const submit = (changes: Partial<ReportFormValues>, intent?: 'preview' | 'send' | 'save') =>
  parseWithZod(post(changes, intent), { schema: reportFormSchema })
const errorsOf = (s: ReturnType<typeof submit>) => (s.status === 'error' ? s.error : {})
const valueOf = (s: ReturnType<typeof submit>) => (s.status === 'success' ? s.value : null)
const firstError = (s: ReturnType<typeof submit>, field: string) => errorsOf(s)?.[field]?.[0]

describe('recipients as typed', () => {
  it('splits on commas, semicolons and new lines, lower-cases and drops repeats', () => {
    const s = submit({ recipients: ' Ann@Example.com, bob@example.org\ncarol@example.io;ann@example.com ,, ' }, 'send')
    expect(valueOf(s)).toMatchObject({ recipients: ['ann@example.com', 'bob@example.org', 'carol@example.io'] })
  })

  it('asks for at least one address', () => {
    expect(firstError(submit({ recipients: '  \n ,' }, 'send'), 'recipients')).toMatch(/at least one recipient/)
    expect(firstError(submit({ recipients: '' }, 'send'), 'recipients')).toMatch(/at least one recipient/)
  })

  it('names the entries that are not addresses', () => {
    expect(firstError(submit({ recipients: 'ann@example.com, bob' }, 'send'), 'recipients')).toBe(
      '“bob” is not an email address.',
    )
    expect(firstError(submit({ recipients: 'x@, @y.com' }, 'send'), 'recipients')).toBe(
      'these are not email addresses: “x@”, “@y.com”.',
    )
    expect(firstError(submit({ recipients: 'ann@example' }, 'send'), 'recipients')).toMatch(/not an email address/)
  })

  it('refuses more than 50 recipients', () => {
    const many = Array.from({ length: 51 }, (_, i) => `u${i}@example.com`).join(',')
    expect(firstError(submit({ recipients: many }, 'send'), 'recipients')).toMatch(/at most 50/)
  })
})

describe('the definition (Preview)', () => {
  it('turns the default fields into a definition the API accepts', () => {
    const s = submit({}, 'preview')
    expect(errorsOf(s)).toEqual({})
    const value = valueOf(s)
    expect(value).toEqual({
      intent: 'preview',
      definition: {
        metrics: ['cost', 'tokens', 'runs'],
        groupBy: 'day',
        range: { kind: 'rolling', preset: 'last-7-days' },
        filters: {},
      },
    })
    expect(reportPreviewInputSchema.parse({ definition: value!.definition })).toEqual({
      definition: value!.definition,
    })
  })

  it('keeps metrics in a stable order and adds chosen filters, a free-form feature and tags', () => {
    const s = submit(
      {
        metrics: ['latency', 'cost'],
        groupBy: 'model',
        model: 'gpt-4o',
        provider: 'openai',
        feature: 'support-bot/summary',
        tags: 'env:prod, customer:acme,env:prod',
      },
      'preview',
    )
    const definition = valueOf(s)?.definition
    expect(definition).toEqual({
      metrics: ['cost', 'latency'],
      groupBy: 'model',
      range: { kind: 'rolling', preset: 'last-7-days' },
      filters: {
        model: ['gpt-4o'],
        provider: ['openai'],
        feature: ['support-bot/summary'],
        tag: ['env:prod', 'customer:acme'],
      },
    })
    expect(reportDefinitionSchema.safeParse(definition).success).toBe(true)
  })

  it('refuses a malformed feature name or tag with the rule the API uses', () => {
    expect(firstError(submit({ feature: 'not a feature!' }, 'preview'), 'feature')).toMatch(/^feature must be 1–64/)
    const tags = submit({ tags: 'env:prod, nocolon' }, 'preview')
    expect(tags.status).toBe('error')
    expect(Object.values(errorsOf(tags) ?? {}).flat()).toContain('tag must be key:value, e.g. env:prod')
    const many = Array.from({ length: 11 }, (_, i) => `k${i}:v`).join(',')
    expect(firstError(submit({ tags: many }, 'preview'), 'tags')).toBe('at most 10 tag filters')
  })

  it('builds a custom range and checks its days', () => {
    expect(
      valueOf(submit({ rangeKind: 'fixed', from: '2026-10-01', to: '2026-10-31' }, 'preview'))?.definition.range,
    ).toEqual({ kind: 'fixed', from: '2026-10-01', to: '2026-10-31' })
    expect(errorsOf(submit({ rangeKind: 'fixed', from: '', to: '2026-02-30' }, 'preview'))).toEqual({
      from: ['pick the first day.'],
      to: ['must be a date written YYYY-MM-DD'],
    })
    expect(errorsOf(submit({ rangeKind: 'fixed', from: '2026-11-02', to: '2026-11-01' }, 'preview'))).toEqual({
      from: ['must not be after "to"'],
    })
  })

  it('names each field at fault, and only checks what the button needs', () => {
    const s = submit({ metrics: [], groupBy: 'hour', preset: 'forever', feature: 'not a feature!' }, 'preview')
    expect(s.status).toBe('error')
    expect(Object.keys(errorsOf(s) ?? {}).sort()).toEqual(['feature', 'groupBy', 'metrics', 'preset'])
    expect(firstError(s, 'metrics')).toBe('pick at least one metric.')
    // Preview needs no name or recipients.
    expect(submit({ name: '', recipients: '' }, 'preview').status).toBe('success')
  })
})

describe('Send now and Save', () => {
  it('a one-off send needs recipients but no name or schedule', () => {
    expect(Object.keys(errorsOf(submit({ recipients: '' }, 'send')) ?? {})).toEqual(['recipients'])
    expect(valueOf(submit({ recipients: 'a@example.com', format: 'csv' }, 'send'))).toMatchObject({
      intent: 'send',
      format: 'csv',
      recipients: ['a@example.com'],
    })
  })

  it('builds the save input for a weekly PDF report, which reports.save accepts', () => {
    const s = submit(
      { name: ' Weekly spend ', recipients: 'a@example.com', frequency: 'weekly', dayOfWeek: '3', timeOfDay: '07:30' },
      'save',
    )
    expect(errorsOf(s)).toEqual({})
    const { intent, ...input } = valueOf(s)!
    expect(intent).toBe('save')
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
    expect(reportScheduleInputSchema.safeParse(input).success).toBe(true)
  })

  it('keeps the id when editing and only the day the frequency uses', () => {
    const s = submit(
      { id: ID, name: 'M', recipients: 'a@example.com', frequency: 'monthly', dayOfMonth: '28', active: 'false' },
      'save',
    )
    expect(valueOf(s)).toMatchObject({ id: ID, frequency: 'monthly', dayOfMonth: 28, dayOfWeek: null, active: false })
  })

  it('checks the schedule fields, together with the others', () => {
    const s = submit(
      { name: '', recipients: 'a@example.com', frequency: 'monthly', dayOfMonth: '31', timeOfDay: '25:00' },
      'save',
    )
    expect(errorsOf(s)).toEqual({
      name: ['give the report a name.'],
      dayOfMonth: [expect.any(String)],
      timeOfDay: [expect.any(String)],
    })
    expect(submit({ name: 'x', recipients: 'a@example.com', frequency: 'none', timeOfDay: '' }, 'save').status).toBe(
      'success',
    )
  })

  it('checks a field as you leave it against Save (no button is posted then)', () => {
    const s = submit({ metrics: [], name: '', recipients: 'a@example.com, not-an-email' })
    expect(errorsOf(s)).toMatchObject({
      metrics: ['pick at least one metric.'],
      name: ['give the report a name.'],
      recipients: ['“not-an-email” is not an email address.'],
    })
  })
})

describe('reading and editing', () => {
  it('reads posted FormData, with every checked metric', () => {
    const data = new FormData()
    for (const [k, v] of [
      ['intent', 'save'],
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
    expect(valueOf(parseWithZod(data, { schema: reportFormSchema }))).toMatchObject({
      name: 'R',
      format: 'pdf',
      active: true,
      frequency: 'daily',
      definition: { metrics: ['cost', 'errors'], range: { kind: 'fixed', from: '2026-01-01', to: '2026-01-31' } },
    })
  })

  it('round-trips a saved report through the form', () => {
    const saved = {
      id: ID,
      name: 'Monthly by model',
      definition: {
        metrics: ['cost' as const],
        groupBy: 'model' as const,
        range: { kind: 'rolling' as const, preset: 'last-month' as const },
        filters: { provider: ['openai'], feature: ['search'], tag: ['env:prod', 'team:a:b'] },
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
      feature: 'search',
      tags: 'env:prod, team:a:b',
      active: 'true',
    })
    expect(valueOf(submit(values, 'save'))).toMatchObject({
      id: ID,
      definition: saved.definition,
      recipients: saved.recipients,
      dayOfMonth: 2,
    })
  })

  it('maps server error paths onto fields', () => {
    expect(reportFieldOf('definition.range.from')).toBe('from')
    expect(reportFieldOf('definition.range.kind')).toBe('rangeKind')
    expect(reportFieldOf('definition.metrics')).toBe('metrics')
    expect(reportFieldOf('definition.filters.model.0')).toBe('model')
    expect(reportFieldOf('definition.filters.tag.1')).toBe('tags')
    expect(reportFieldOf('recipients.2')).toBe('recipients')
    expect(reportFieldOf('dayOfWeek')).toBe('dayOfWeek')
    expect(reportFieldOf('scheduleId')).toBeNull()
    expect(reportFieldOf('')).toBeNull()
  })

  it('describes schedules and definitions, with their filters', () => {
    expect(describeSchedule({ frequency: 'weekly', timeOfDay: '08:00:00', dayOfWeek: 1, dayOfMonth: null })).toBe(
      'Weekly on Monday at 08:00',
    )
    expect(describeSchedule({ frequency: 'none', timeOfDay: '08:00', dayOfWeek: null, dayOfMonth: null })).toBe(
      'Not scheduled',
    )
    expect(describeDefinition(valueOf(submit({ model: 'gpt-4o' }, 'preview'))!.definition)).toBe(
      'Cost, tokens and runs · by day · last 7 days · only gpt-4o',
    )
    expect(
      describeDefinition(valueOf(submit({ feature: 'support-bot', tags: 'env:prod' }, 'preview'))!.definition),
    ).toBe('Cost, tokens and runs · by day · last 7 days · only feature support-bot, tag env:prod')
  })
})
