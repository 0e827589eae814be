import { describe, expect, it } from 'vitest'
import { nextRunAt, reportDefinitionSchema, resolveReportRange } from './schedule'

describe('nextRunAt', () => {
  const at = (iso: string) => new Date(iso)

  it('daily at a local time, today if still ahead, else tomorrow', () => {
    expect(nextRunAt({ frequency: 'daily', timeOfDay: '08:00' }, at('2026-11-24T06:00:00Z'), 'Europe/Berlin')).toEqual(
      at('2026-11-24T07:00:00Z'),
    )
    expect(nextRunAt({ frequency: 'daily', timeOfDay: '08:00' }, at('2026-11-24T07:00:00Z'), 'Europe/Berlin')).toEqual(
      at('2026-11-25T07:00:00Z'),
    )
  })

  it('weekly keeps the local time across a DST change', () => {
    // Monday 08:00 in New York: before DST ends it is 12:00Z, after it 13:00Z.
    const first = nextRunAt(
      { frequency: 'weekly', timeOfDay: '08:00', dayOfWeek: 1 },
      at('2026-10-27T00:00:00Z'),
      'America/New_York',
    )!
    expect(first).toEqual(at('2026-11-02T13:00:00Z'))
    expect(
      nextRunAt(
        { frequency: 'weekly', timeOfDay: '08:00', dayOfWeek: 1 },
        at('2026-10-20T00:00:00Z'),
        'America/New_York',
      ),
    ).toEqual(at('2026-10-26T12:00:00Z'))
  })

  it('monthly on a day of the month; none never runs; bad schedules say what is missing', () => {
    expect(
      nextRunAt({ frequency: 'monthly', timeOfDay: '09:30', dayOfMonth: 1 }, at('2026-11-24T00:00:00Z'), 'UTC'),
    ).toEqual(at('2026-12-01T09:30:00Z'))
    expect(nextRunAt({ frequency: 'none', timeOfDay: '09:30' }, at('2026-11-24T00:00:00Z'), 'UTC')).toBeNull()
    expect(() => nextRunAt({ frequency: 'weekly', timeOfDay: '09:30' }, new Date(), 'UTC')).toThrow(/dayOfWeek/)
    expect(() => nextRunAt({ frequency: 'monthly', timeOfDay: '09:30', dayOfMonth: 31 }, new Date(), 'UTC')).toThrow(
      /dayOfMonth/,
    )
    expect(() => nextRunAt({ frequency: 'daily', timeOfDay: '25:00' }, new Date(), 'UTC')).toThrow()
    expect(() => nextRunAt({ frequency: 'daily', timeOfDay: '08:00' }, new Date(), 'Mars/Olympus')).toThrow(/time zone/)
  })
})

describe('resolveReportRange', () => {
  const now = new Date('2026-11-24T03:00:00Z') // still Nov 23 in New York
  it('rolling ranges are core’s named ranges ("last N days" ends today)', () => {
    // "Last N days" ends today, as on the dashboard (core's presetRange).
    expect(resolveReportRange({ kind: 'rolling', preset: 'last-7-days' }, now, 'America/New_York')).toEqual({
      from: '2026-11-17',
      to: '2026-11-23',
    })
    expect(resolveReportRange({ kind: 'rolling', preset: 'yesterday' }, now, 'UTC')).toEqual({
      from: '2026-11-23',
      to: '2026-11-23',
    })
    expect(resolveReportRange({ kind: 'rolling', preset: 'last-30-days' }, now, 'UTC')).toEqual({
      from: '2026-10-26',
      to: '2026-11-24',
    })
    expect(resolveReportRange({ kind: 'rolling', preset: 'last-90-days' }, now, 'UTC').from).toBe('2026-08-27')
    expect(resolveReportRange({ kind: 'rolling', preset: 'this-month' }, now, 'UTC')).toEqual({
      from: '2026-11-01',
      to: '2026-11-24',
    })
    expect(resolveReportRange({ kind: 'rolling', preset: 'last-month' }, now, 'UTC')).toEqual({
      from: '2026-10-01',
      to: '2026-10-31',
    })
    expect(resolveReportRange({ kind: 'fixed', from: '2026-01-01', to: '2026-01-31' }, now, 'UTC')).toEqual({
      from: '2026-01-01',
      to: '2026-01-31',
    })
  })

  it('a definition has sensible defaults and names bad fields', () => {
    expect(reportDefinitionSchema.parse({})).toMatchObject({
      metrics: ['cost', 'tokens', 'runs'],
      groupBy: 'day',
      range: { kind: 'rolling', preset: 'last-7-days' },
    })
    const bad = reportDefinitionSchema.safeParse({ range: { kind: 'fixed', from: '2026-02-01', to: '2026-01-01' } })
    expect(bad.success).toBe(false)
    expect(bad.error?.issues[0]?.path).toEqual(['range', 'from'])
  })
})
