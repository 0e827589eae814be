import { describe, expect, it } from 'vitest'
import { addDays, weekdayOf } from '../days'
import { estimateToNano } from '../money'
import { createRng, normal } from '../random'
import { comparableBuckets, findAnomalies, judge, ANOMALY_RULES, type EntitySeries } from './detect'

const FIRST = '2026-01-05' // a Monday

/** Hourly spend of a team in USD with office-hours and weekday rhythm and noise; `spike` multiplies one day. */
function hourly(seed: number, days: number, spike?: { day: string; factor: number }) {
  const rng = createRng(seed)
  const values = new Map<string, bigint>()
  for (let d = 0; d < days; d++) {
    const day = addDays(FIRST, d)
    const weekend = weekdayOf(day) >= 6
    for (let h = 0; h < 24; h++) {
      const office = h >= 9 && h < 18
      const base = (weekend ? 0.4 : 1) * (office ? 4 : 0.6)
      const factor = spike && spike.day === day ? spike.factor : 1
      values.set(
        `${day}T${String(h).padStart(2, '0')}`,
        estimateToNano(base * factor * Math.exp(0.3 * normal(rng) - 0.045)),
      )
    }
  }
  return values
}

function daily(hours: Map<string, bigint>) {
  const days = new Map<string, bigint>()
  for (const [bucket, v] of hours) days.set(bucket.slice(0, 10), (days.get(bucket.slice(0, 10)) ?? 0n) + v)
  return days
}

/** Judges every hour and day of the last `days` days of a series; returns the anomalous buckets. */
function scan(series: EntitySeries[], from: string, days: number) {
  const found: string[] = []
  const byDay = series.map((s) => ({ ...s, values: daily(s.values as Map<string, bigint>) }))
  for (let d = 0; d < days; d++) {
    const day = addDays(from, d)
    for (const f of findAnomalies({ granularity: 'day', bucket: day, firstDay: FIRST, series: byDay })) {
      found.push(`${f.scope}:${f.bucket}`)
    }
    for (let h = 0; h < 24; h++) {
      const bucket = `${day}T${String(h).padStart(2, '0')}`
      for (const f of findAnomalies({ granularity: 'hour', bucket, firstDay: FIRST, series }))
        found.push(`${f.scope}:${f.bucket}`)
    }
  }
  return found
}

describe('spend anomalies', () => {
  it('compares a day with the same weekday, an hour with the same hour on the same kind of day', () => {
    expect(comparableBuckets('day', '2026-03-04', FIRST)).toEqual([
      '2026-02-25',
      '2026-02-18',
      '2026-02-11',
      '2026-02-04',
      '2026-01-28',
      '2026-01-21',
      '2026-01-14',
      '2026-01-07',
    ])
    expect(comparableBuckets('day', '2026-01-20', FIRST)).toEqual(['2026-01-13', '2026-01-06'])
    const hours = comparableBuckets('hour', '2026-03-07T14', FIRST) // a Saturday
    expect(hours.every((b) => b.endsWith('T14') && weekdayOf(b.slice(0, 10)) >= 6)).toBe(true)
    expect(hours).toHaveLength(8)
    expect(comparableBuckets('hour', '2026-03-04T09', FIRST)).toHaveLength(20)
  })

  it('judges with median + k·MAD, and needs a worthwhile excess and enough history', () => {
    const usual = [10n, 11n, 9n, 10n, 12n, 10n, 9n, 11n].map((x) => x * 1_000_000_000n)
    expect(judge(100_000_000_000n, usual, ANOMALY_RULES.day).anomalous).toBe(true)
    expect(judge(13_000_000_000n, usual, ANOMALY_RULES.day).anomalous).toBe(false)
    expect(judge(100_000_000_000n, usual.slice(0, 3), ANOMALY_RULES.day).anomalous).toBe(false)
    // A quiet series that was zero: a few cents is not worth an alert.
    expect(judge(50_000_000n, [0n, 0n, 0n, 0n, 0n], ANOMALY_RULES.day).anomalous).toBe(false)
    const j = judge(100_000_000_000n, usual, ANOMALY_RULES.day)
    expect(j.medianNano).toBe(10_000_000_000n)
    expect(j.excessNano).toBe(90_000_000_000n)
  })

  it('finds no anomaly in healthy usage (false positives counted over 5 teams × 5 weeks of hours and days)', () => {
    let falsePositives = 0
    const found: string[] = []
    for (const seed of [1, 2, 3, 4, 5]) {
      const team: EntitySeries = { scope: 'team', id: null, values: hourly(seed, 63) }
      const f = scan([team], addDays(FIRST, 28), 35)
      falsePositives += f.length
      found.push(...f.map((x) => `${seed}:${x}`))
    }
    expect(found).toEqual([])
    expect(falsePositives).toBe(0)
  })

  it('finds a 10× day, names the prompt that drove it, and ignores the calm parts', () => {
    const spikeDay = '2026-03-04'
    const rest = hourly(7, 63)
    const prompt = hourly(8, 63, { day: spikeDay, factor: 10 })
    const team = new Map([...rest].map(([k, v]) => [k, v + prompt.get(k)!]))
    const series: EntitySeries[] = [
      { scope: 'team', id: null, values: team },
      { scope: 'prompt', id: 'p-spiky', values: prompt },
      { scope: 'prompt', id: 'p-calm', values: rest },
      // One key carries all the traffic: it "explains" the spike but says little; the prompt is named.
      { scope: 'api_key', id: 'k-all', values: team },
    ]
    const found = scan(series, addDays(FIRST, 28), 35)
    expect(found).toContain(`team:${spikeDay}`)
    expect(found.every((f) => f.startsWith(`team:${spikeDay}`))).toBe(true)
    const [day] = findAnomalies({
      granularity: 'day',
      bucket: spikeDay,
      firstDay: FIRST,
      series: series.map((s) => ({ ...s, values: daily(s.values as Map<string, bigint>) })),
    })
    expect(day!.drivers[0]).toMatchObject({ scope: 'prompt', id: 'p-spiky' })
    expect(day!.drivers[1]).toMatchObject({ scope: 'api_key', id: 'k-all' })
  })

  it('reports a key that spikes on its own when the team total does not', () => {
    const big = hourly(11, 63)
    const key = new Map([...hourly(12, 63)].map(([k, v]) => [k, v / 40n]))
    key.set('2026-03-04T15', 6_000_000_000n)
    const team = new Map([...big].map(([k, v]) => [k, v + key.get(k)!]))
    const findings = findAnomalies({
      granularity: 'hour',
      bucket: '2026-03-04T15',
      firstDay: FIRST,
      series: [
        { scope: 'team', id: null, values: team },
        { scope: 'api_key', id: 'k1', values: key },
      ],
    })
    expect(findings.map((f) => `${f.scope}:${f.id}`)).toEqual(['api_key:k1'])
  })
})
