import type { ArtefactStore, WebhookNetworkPolicy } from '@costwise/api'
import type { Db } from '@costwise/db'
import type { TaskList } from 'graphile-worker'
import type { Mailer } from './mail'
import { alertNotify } from './tasks/alert__notify'
import { alertSweep } from './tasks/alert__sweep'
import { anomalyDetect } from './tasks/anomaly__detect'
import { budgetRequestExpire } from './tasks/budget_request__expire'
import { budgetRequestNotify } from './tasks/budget_request__notify'
import { forecastCheckTeam } from './tasks/forecast__check_team'
import { forecastScheduleHourly } from './tasks/forecast__schedule_hourly'
import { memberInviteSend } from './tasks/member__invite_send'
import { recommendationRefreshTeam } from './tasks/recommendation__refresh_team'
import { recommendationScheduleNightly } from './tasks/recommendation__schedule_nightly'
import { webhookDeliver } from './tasks/webhook__deliver'
import { partitionArchiveOld } from './tasks/partition__archive_old'
import { reportQueueDue } from './tasks/report__queue_due'
import { reportRun } from './tasks/report__run'
import { rateLimitSweep } from './tasks/rate_limit__sweep'
import { reportSweep } from './tasks/report__sweep'
import { reservationExpire } from './tasks/reservation__expire'
import { partitionEnsureMonths } from './tasks/partition__ensure_months'
import { rollupRebuildDay } from './tasks/rollup__rebuild_day'
import { rollupScheduleDaily } from './tasks/rollup__schedule_daily'
import { usageRepriceUnpriced } from './tasks/usage__reprice_unpriced'

/** Alert emails of a team wait this long for more alerts, then go as one digest per recipient. */
export const DEFAULT_ALERT_DIGEST_WINDOW_MS = 60_000

/** Every task by its identifier (`<entity>__<action>`); each parses its payload before it works. */
export interface TaskDeps {
  db: Db
  mailer: Mailer
  store: ArtefactStore
  appUrl: string
  /** Where webhooks may go (WEBHOOK_ALLOW_PRIVATE_NETWORKS); default public addresses only. */
  webhookPolicy?: WebhookNetworkPolicy
  /** How long alert emails wait to be sent as one digest (ALERT_DIGEST_SECONDS, in ms); default 60 s, 0 for none. */
  alertDigestWindowMs?: number
}

export function createTaskList({
  db,
  mailer,
  store,
  appUrl,
  webhookPolicy = { allowPrivateNetworks: false },
  alertDigestWindowMs = DEFAULT_ALERT_DIGEST_WINDOW_MS,
}: TaskDeps): TaskList {
  return {
    member__invite_send: async (payload, helpers) => {
      const result = await memberInviteSend(db, mailer, payload, appUrl)
      helpers.logger.info(`invitation mailed: ${JSON.stringify(result)}`)
    },
    budget_request__notify: async (payload, helpers) => {
      const result = await budgetRequestNotify(db, mailer, payload, appUrl)
      helpers.logger.info(`budget request notified: ${JSON.stringify(result)}`)
    },
    budget_request__expire: async (_payload, helpers) => {
      const expired = await budgetRequestExpire(db)
      if (expired > 0) helpers.logger.info(`expired ${expired} budget requests`)
    },
    webhook__deliver: async (payload, helpers) => {
      const result = await webhookDeliver(db, payload, webhookPolicy)
      helpers.logger.info(`webhook delivery: ${JSON.stringify(result)}`)
    },
    report__run: async (payload, helpers) => {
      const result = await reportRun(db, store, mailer, payload)
      helpers.logger.info(`report run delivered: ${JSON.stringify(result)}`)
    },
    report__queue_due: async (_payload, helpers) => {
      const runs = await reportQueueDue(db)
      if (runs.length) helpers.logger.info(`queued ${runs.length} scheduled report runs`)
    },
    report__sweep: async (_payload, helpers) => {
      const requeued = await reportSweep(db)
      if (requeued > 0) helpers.logger.warn(`re-queued ${requeued} unfinished report runs`)
    },
    partition__archive_old: async (_payload, helpers) => {
      const archived = await partitionArchiveOld(db, store)
      if (archived.length) helpers.logger.info(`archived usage months: ${archived.map((a) => a.month).join(', ')}`)
    },
    alert__notify: async (payload, helpers) => {
      const result = await alertNotify(db, mailer, payload, appUrl, { digestWindowMs: alertDigestWindowMs })
      helpers.logger.info(`alert notified: ${JSON.stringify(result)}`)
    },
    alert__sweep: async (_payload, helpers) => {
      // After the digest window and a minute more, an alert still not mailed lost its job (a worker died).
      const requeued = await alertSweep(db, new Date(), alertDigestWindowMs + 60_000)
      if (requeued > 0) helpers.logger.warn(`re-queued ${requeued} alert notifications`)
    },
    reservation__expire: async (_payload, helpers) => {
      const expired = await reservationExpire(db)
      if (expired > 0) helpers.logger.info(`expired ${expired} reservations`)
    },
    usage__reprice_unpriced: async (payload, helpers) => {
      const result = await usageRepriceUnpriced(db, payload)
      helpers.logger.info(
        `unpriced usage re-priced: ${JSON.stringify(result && { examined: result.examined, repriced: result.repriced, stillUnpriced: result.stillUnpriced })}`,
      )
    },
    rollup__rebuild_day: async (payload, helpers) => {
      const result = await rollupRebuildDay(db, payload)
      helpers.logger.debug(`rollup rebuilt: ${JSON.stringify(result)}`)
    },
    rollup__schedule_daily: async (payload, helpers) => {
      const queued = await rollupScheduleDaily(db, payload)
      helpers.logger.info(`queued ${queued} rollup rebuilds`)
    },
    rate_limit__sweep: async (_payload, helpers) => {
      const dropped = await rateLimitSweep(db)
      if (dropped > 0) helpers.logger.debug(`dropped ${dropped} expired rate-limit counters`)
    },
    partition__ensure_months: async () => {
      await partitionEnsureMonths(db)
    },
    recommendation__schedule_nightly: async (payload, helpers) => {
      const queued = await recommendationScheduleNightly(db, payload)
      helpers.logger.info(`queued ${queued} recommendation refreshes`)
    },
    recommendation__refresh_team: async (payload, helpers) => {
      const result = await recommendationRefreshTeam(db, payload)
      helpers.logger.info(`recommendations refreshed: ${JSON.stringify(result)}`)
    },
    forecast__schedule_hourly: async (payload, helpers) => {
      const queued = await forecastScheduleHourly(db, payload)
      helpers.logger.debug(`queued ${queued} forecast checks and anomaly scans`)
    },
    forecast__check_team: async (payload, helpers) => {
      const created = await forecastCheckTeam(db, payload)
      if (created?.length) helpers.logger.info(`forecast alerts: ${created.join(', ')}`)
    },
    anomaly__detect: async (payload, helpers) => {
      const created = await anomalyDetect(db, payload)
      if (created?.length) helpers.logger.info(`spend anomaly alerts: ${created.join(', ')}`)
    },
  }
}

/** Recurring jobs. Every line has an explicit id so renaming a task never re-runs or loses its history. */
export const crontab = [
  '15 0 * * * rollup__schedule_daily ?id=rollup_daily&fill=2d',
  '0 3 1 * * partition__ensure_months ?id=partition_monthly&fill=40d',
  '* * * * * reservation__expire ?id=reservation_expire',
  '* * * * * alert__sweep ?id=alert_sweep',
  '* * * * * budget_request__expire ?id=budget_request_expire',
  '* * * * * report__queue_due ?id=report_queue_due',
  '* * * * * report__sweep ?id=report_sweep',
  '30 3 2 * * partition__archive_old ?id=partition_archive&fill=40d',
  '7 * * * * rate_limit__sweep ?id=rate_limit_sweep',
  '40 1 * * * recommendation__schedule_nightly ?id=recommendation_nightly&fill=1d',
  '5 * * * * forecast__schedule_hourly ?id=forecast_hourly&fill=2h',
].join('\n')
