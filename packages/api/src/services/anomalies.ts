import {
  addDays,
  findAnomalies,
  formatUsd,
  nanoToUsd,
  periodKey,
  usdToNano,
  type AnomalyFinding,
  type EntitySeries,
  type SeriesScope,
} from '@costwise/core'
import { alerts, apiKeys, jobs, prompts, spend, type Db } from '@costwise/db'
import { DateTime } from 'luxon'
import type { TeamRef } from './recommendations'

/** Eight weeks of comparable days and four of comparable hours, plus the day being judged. */
const LOOKBACK_DAYS = 57

const FILTER_PARAM: Record<Exclude<SeriesScope, 'team'>, string> = {
  api_key: 'apiKeyId',
  model: 'model',
  prompt: 'promptId',
}
const SCOPE_WORD: Record<SeriesScope, string> = {
  team: 'the team',
  api_key: 'API key',
  model: 'model',
  prompt: 'prompt',
}

function add(map: Map<string, Map<string, bigint>>, key: string, bucket: string, value: bigint) {
  let series = map.get(key)
  if (!series) map.set(key, (series = new Map<string, bigint>()))
  series.set(bucket, (series.get(bucket) ?? 0n) + value)
}

function toDays(hours: ReadonlyMap<string, bigint>): Map<string, bigint> {
  const days = new Map<string, bigint>()
  for (const [bucket, v] of hours) days.set(bucket.slice(0, 10), (days.get(bucket.slice(0, 10)) ?? 0n) + v)
  return days
}

/**
 * Looks at the last complete local hour and the last complete local day of a team for spend anomalies (core
 * `findAnomalies`: the team, each key, model and prompt against the same hour/weekday), and makes one alert
 * per anomaly — per thing that spiked and local day, so a spike lasting hours alerts once — naming what drove
 * it and linking to the usage page filtered to it. Each alert's email job is enqueued in the same transaction.
 */
export async function detectSpendAnomalies(db: Db, team: TeamRef, now = new Date()): Promise<string[]> {
  const zone = team.timeZone
  const local = DateTime.fromJSDate(now, { zone })
  const today = periodKey('day', now, zone)
  const lastHour = local.startOf('hour').minus({ hours: 1 })
  const hourBucket = lastHour.toFormat("yyyy-MM-dd'T'HH")
  const yesterday = addDays(today, -1)
  const first = await spend.firstUsageAt(db, team.id)
  if (!first) return []
  const rows = await spend.hourlySpendByEntity(db, team.id, {
    timeZone: zone,
    from: DateTime.fromISO(addDays(today, -LOOKBACK_DAYS), { zone }).toJSDate(),
    to: local.startOf('hour').toJSDate(),
  })
  const byEntity = new Map<string, Map<string, bigint>>()
  for (const r of rows) {
    const cost = usdToNano(r.costUsd)
    add(byEntity, 'team|', r.hour, cost)
    if (r.apiKeyId) add(byEntity, `api_key|${r.apiKeyId}`, r.hour, cost)
    add(byEntity, `model|${r.model}`, r.hour, cost)
    if (r.promptId) add(byEntity, `prompt|${r.promptId}`, r.hour, cost)
  }
  if (!byEntity.has('team|')) return []
  const hourly: EntitySeries[] = [...byEntity].map(([key, values]) => {
    const [scope, id] = key.split('|') as [SeriesScope, string]
    return { scope, id: id || null, values }
  })
  const firstDay = periodKey('day', first, zone)
  const findings = [
    ...findAnomalies({ granularity: 'hour', bucket: hourBucket, firstDay, series: hourly }),
    ...findAnomalies({
      granularity: 'day',
      bucket: yesterday,
      firstDay,
      series: hourly.map((s) => ({ ...s, values: toDays(s.values) })),
    }),
  ]
  if (findings.length === 0) return []

  const [promptList, keyList] = await Promise.all([
    prompts.listPrompts(db, team.id, 1000),
    apiKeys.listApiKeys(db, team.id),
  ])
  const names = new Map<string, string>([
    ...promptList.map((p) => [`prompt|${p.id}`, p.name] as const),
    ...keyList.map((k) => [`api_key|${k.id}`, k.name] as const),
  ])
  const nameOf = (scope: SeriesScope, id: string | null) =>
    scope === 'team' ? null : (names.get(`${scope}|${id}`) ?? id)

  const created: string[] = []
  const seen = new Set<string>()
  for (const f of findings) {
    const day = f.bucket.slice(0, 10)
    const dedupeKey = `anomaly:${f.scope}:${f.id ?? 'team'}:${day}`
    if (seen.has(dedupeKey)) continue
    seen.add(dedupeKey)
    const details = describe(f, nameOf)
    const alertId = await db.transaction().execute(async (trx) => {
      const id = await alerts.insertInsightAlert(trx, {
        teamId: team.id,
        kind: 'spend_anomaly',
        budgetId: null,
        dedupeKey,
        periodStart: DateTime.fromISO(f.granularity === 'hour' ? f.bucket : day, { zone }).toJSDate(),
        level: 'warning',
        spentUsd: nanoToUsd(f.judgement.valueNano),
        limitUsd: nanoToUsd(f.judgement.thresholdNano),
        details,
      })
      if (id) await jobs.enqueueAlertNotify(trx, { teamId: team.id, alertId: id })
      return id
    })
    if (alertId) created.push(alertId)
  }
  return created
}

function describe(f: AnomalyFinding, nameOf: (scope: SeriesScope, id: string | null) => string | null) {
  const day = f.bucket.slice(0, 10)
  const subject = f.scope === 'team' ? 'The team' : `${SCOPE_WORD[f.scope]} “${nameOf(f.scope, f.id)}”`
  const when = f.granularity === 'hour' ? `the hour from ${f.bucket.slice(11)}:00 on ${day}` : day
  const top = f.drivers[0] ?? null
  const link = top
    ? `/dashboard/usage?from=${day}&to=${day}&${FILTER_PARAM[top.scope]}=${encodeURIComponent(top.id)}`
    : `/dashboard/usage?from=${day}&to=${day}`
  const driverText = top
    ? `, driven by ${SCOPE_WORD[top.scope]} “${nameOf(top.scope, top.id)}” (+${formatUsd(top.excessNano)})`
    : ''
  return {
    granularity: f.granularity,
    bucket: f.bucket,
    scope: f.scope,
    id: f.id,
    name: nameOf(f.scope, f.id),
    title: `${subject} spent ${formatUsd(f.judgement.valueNano)} in ${when}, usually ${formatUsd(f.judgement.medianNano)}${driverText}`,
    valueUsd: nanoToUsd(f.judgement.valueNano),
    usualUsd: nanoToUsd(f.judgement.medianNano),
    thresholdUsd: nanoToUsd(f.judgement.thresholdNano),
    drivers: f.drivers.map((d) => ({
      scope: d.scope,
      id: d.id,
      name: nameOf(d.scope, d.id),
      excessUsd: nanoToUsd(d.excessNano),
      valueUsd: nanoToUsd(d.valueNano),
    })),
    link,
  }
}
