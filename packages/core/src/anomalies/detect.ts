import { addDays, dayOffset, weekdayOf } from '../days'
import { type Nano } from '../money'
import { madNano, medianNano } from '../stats'

/**
 * Spend anomalies (docs/anomalies.md): an hour's or a day's spend is anomalous when it exceeds the
 * median of comparable buckets by k robust standard deviations (1.4826 × MAD, floored at a share of the
 * median), is above every comparable bucket, is at least `minRatio` times the median, and the excess is
 * worth an alert. Comparable buckets are seasonal: for an hour, the same local hour on the previous 28 days of
 * the same kind (weekday or weekend); for a day, the same weekday in the previous 8 weeks. All in exact
 * nano-dollars.
 */

export type Granularity = 'hour' | 'day'

export interface AnomalyRule {
  /** How many robust standard deviations above the median. */
  k: number
  /** The value must be at least this many times the median (percent: 200 = twice). */
  minRatioPct: number
  /** Floor on the spread, as a percentage of the median (a perfectly steady series still has room). */
  sigmaFloorPct: number
  /** The excess over the median must be at least this much. */
  minExcessNano: Nano
  /** Fewest comparable buckets needed to judge. */
  minSamples: number
}

export const ANOMALY_RULES: Readonly<Record<Granularity, AnomalyRule>> = {
  hour: { k: 5, minRatioPct: 300, sigmaFloorPct: 25, minExcessNano: 500_000_000n, minSamples: 8 },
  day: { k: 5, minRatioPct: 200, sigmaFloorPct: 15, minExcessNano: 2_000_000_000n, minSamples: 4 },
}

/** A bucket's key: a local day `YYYY-MM-DD`, or a local hour `YYYY-MM-DDTHH`. */
export type BucketKey = string

const dayOf = (bucket: BucketKey) => bucket.slice(0, 10)
const isWeekend = (day: string) => weekdayOf(day) >= 6

/**
 * The buckets a bucket is compared with, all on or after `firstDay` (the first day with data): for a day,
 * the same weekday 1–8 weeks earlier; for an hour, the same hour on each of the previous 28 days of the same
 * kind (weekday/weekend).
 */
export function comparableBuckets(granularity: Granularity, bucket: BucketKey, firstDay: string): BucketKey[] {
  const day = dayOf(bucket)
  const out: BucketKey[] = []
  if (granularity === 'day') {
    for (let w = 1; w <= 8; w++) {
      const d = addDays(day, -7 * w)
      if (dayOffset(firstDay, d) >= 0) out.push(d)
    }
    return out
  }
  const hour = bucket.slice(10)
  for (let back = 1; back <= 28; back++) {
    const d = addDays(day, -back)
    if (dayOffset(firstDay, d) < 0) break
    if (isWeekend(d) === isWeekend(day)) out.push(`${d}${hour}`)
  }
  return out
}

export interface Judgement {
  anomalous: boolean
  valueNano: Nano
  medianNano: Nano
  /** The line the value had to cross. */
  thresholdNano: Nano
  /** value − median. */
  excessNano: Nano
  samples: number
}

/** Judges one value against its comparable values (missing buckets count as zero spend). */
export function judge(valueNano: Nano, comparable: readonly Nano[], rule: AnomalyRule): Judgement {
  const med = medianNano(comparable) ?? 0n
  const spread = madNano(comparable) ?? 0n
  // σ = 1.4826 × MAD, at least sigmaFloorPct % of the median; threshold = median + k·σ, all in integers.
  const sigma = [(spread * 14_826n) / 10_000n, (med * BigInt(rule.sigmaFloorPct)) / 100n].reduce((a, b) =>
    a > b ? a : b,
  )
  const threshold = med + (BigInt(Math.round(rule.k * 100)) * sigma) / 100n
  const highest = comparable.reduce((a, b) => (a > b ? a : b), 0n)
  const excess = valueNano - med
  const anomalous =
    comparable.length >= rule.minSamples &&
    valueNano > threshold &&
    valueNano > highest &&
    excess >= rule.minExcessNano &&
    valueNano * 100n >= med * BigInt(rule.minRatioPct)
  return {
    anomalous,
    valueNano,
    medianNano: med,
    thresholdNano: threshold,
    excessNano: excess,
    samples: comparable.length,
  }
}

export type SeriesScope = 'team' | 'api_key' | 'model' | 'prompt'

/** One entity's spend per bucket (buckets without spend may be left out). */
export interface EntitySeries {
  scope: SeriesScope
  /** The key, model or prompt id; null for the team. */
  id: string | null
  values: ReadonlyMap<BucketKey, Nano>
}

export interface AnomalyFinding {
  granularity: Granularity
  bucket: BucketKey
  scope: SeriesScope
  id: string | null
  judgement: Judgement
  /**
   * What drove it: per scope (key, model, prompt) the entity with the largest excess over its own median in
   * that bucket. The first is the top driver: the most specific one whose excess is at least 80 % of the
   * largest; the rest follow, largest first.
   */
  drivers: Driver[]
}

export interface Driver {
  scope: Exclude<SeriesScope, 'team'>
  id: string
  excessNano: Nano
  valueNano: Nano
}

function judgeSeries(series: EntitySeries, granularity: Granularity, bucket: BucketKey, firstDay: string): Judgement {
  const comparable = comparableBuckets(granularity, bucket, firstDay).map((b) => series.values.get(b) ?? 0n)
  return judge(series.values.get(bucket) ?? 0n, comparable, ANOMALY_RULES[granularity])
}

/**
 * Anomalies in one bucket. When the team's total is anomalous that is the one finding, naming its top
 * driver; otherwise each key, model or prompt that is anomalous on its own is a finding.
 */
export function findAnomalies(input: {
  granularity: Granularity
  bucket: BucketKey
  /** The first local day with data: buckets before it are not "zero spend", they are unknown. */
  firstDay: string
  series: readonly EntitySeries[]
}): AnomalyFinding[] {
  const { granularity, bucket, firstDay } = input
  const judged = input.series.map((s) => ({ series: s, judgement: judgeSeries(s, granularity, bucket, firstDay) }))
  const parts = judged.filter((j) => j.series.scope !== 'team' && j.series.id !== null)
  const asDriver = (j: (typeof parts)[number]): Driver => ({
    scope: j.series.scope as Driver['scope'],
    id: j.series.id!,
    excessNano: j.judgement.excessNano,
    valueNano: j.judgement.valueNano,
  })
  const team = judged.find((j) => j.series.scope === 'team')
  if (team?.judgement.anomalous) {
    const best = new Map<string, Driver>()
    for (const j of parts) {
      if (j.judgement.excessNano <= 0n) continue
      const current = best.get(j.series.scope)
      if (!current || j.judgement.excessNano > current.excessNano) best.set(j.series.scope, asDriver(j))
    }
    // The headline driver is the most specific thing (a prompt, then a key, then a model) whose excess accounts
    // for at least 80 % of the largest one: one key that carries all traffic explains everything but says little.
    const byExcess = [...best.values()].sort((a, b) =>
      a.excessNano > b.excessNano ? -1 : a.excessNano < b.excessNano ? 1 : 0,
    )
    const largest = byExcess[0]?.excessNano ?? 0n
    const specific = ['prompt', 'api_key', 'model'] as const
    const headline = specific.map((scope) => best.get(scope)).find((d) => d && d.excessNano * 100n >= largest * 80n)
    const drivers = headline ? [headline, ...byExcess.filter((d) => d !== headline)] : byExcess
    return [{ granularity, bucket, scope: 'team', id: null, judgement: team.judgement, drivers }]
  }
  return parts
    .filter((j) => j.judgement.anomalous)
    .map((j) => ({
      granularity,
      bucket,
      scope: j.series.scope,
      id: j.series.id,
      judgement: j.judgement,
      drivers: [asDriver(j)],
    }))
}
