import { sql } from 'kysely'
import type { Db } from '../client'

/** A Kysely instance or a transaction of one. */
type Executor = Db

export interface EnqueueOptions {
  /** Replaces a pending job with the same key instead of adding a second one. */
  jobKey?: string
  runAt?: Date
  maxAttempts?: number
  queueName?: string
}

/**
 * Queues the notification of an alert. The job is keyed per team and its payload is a list ("batch job"): alerts
 * added while it waits — e.g. the thresholds one call crosses, all in one transaction — merge into the same job,
 * which sends each recipient one email (a digest) instead of one per alert and recipient.
 */
export async function enqueueAlertNotify(db: Executor, alert: { teamId: string; alertId: string }): Promise<string> {
  return enqueueAlertBatch(db, alert.teamId, [alert.alertId])
}

/**
 * Puts a team's alerts (back) in its notification job; `runAt` is when their emails are due (the end of the digest
 * window), unset for now. A later alert replaces the time with now, so its in-app notice is not held back; the job
 * then defers the emails again to the same end of the window.
 */
export async function enqueueAlertBatch(
  db: Executor,
  teamId: string,
  alertIds: readonly string[],
  runAt?: Date,
): Promise<string> {
  return enqueueJob(
    db,
    'alert__notify',
    alertIds.map((alertId) => ({ alertId })),
    { jobKey: `alert__notify:${teamId}`, maxAttempts: 10, runAt },
  )
}

/**
 * Adds a graphile-worker job through its SQL function, so it commits or rolls back with the caller's
 * transaction: a job that must follow a write is never lost nor run for a write that didn't happen.
 */
export async function enqueueJob(
  db: Executor,
  task: string,
  /** An object, or a list of objects for a batch job (lists under the same pending job key are merged). */
  payload: Record<string, unknown> | Record<string, unknown>[],
  options: EnqueueOptions = {},
): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    select (graphile_worker.add_job(
      identifier => ${task}::text,
      payload => ${JSON.stringify(payload)}::json,
      queue_name => ${options.queueName ?? null}::text,
      run_at => ${options.runAt ?? null}::timestamptz,
      max_attempts => ${options.maxAttempts ?? null}::int,
      job_key => ${options.jobKey ?? null}::text
    )).id::text as id`.execute(db)
  return rows[0]!.id
}

/** Queues the re-pricing of a team's unpriced usage rows (one pending job per team). */
export async function enqueueRepriceUnpriced(db: Executor, teamId: string): Promise<string> {
  return enqueueJob(
    db,
    'usage__reprice_unpriced',
    { teamId },
    { jobKey: `usage__reprice_unpriced:${teamId}`, maxAttempts: 5 },
  )
}

export interface JobSummary {
  task: string
  jobKey: string | null
  attempts: number
  lastError: string | null
  payload: unknown
  /** When the job may run (a deferred job's time). */
  runAt: Date
}

/** Pending jobs, for tests and the admin view. */
export async function listPendingJobs(db: Executor, task?: string): Promise<JobSummary[]> {
  const { rows } = await sql<JobSummary>`
    select t.identifier as "task", j.key as "jobKey", j.attempts, j.last_error as "lastError", j.payload, j.run_at as "runAt"
    from graphile_worker._private_jobs j
    join graphile_worker._private_tasks t on t.id = j.task_id
    where (${task ?? null}::text is null or t.identifier = ${task ?? null}::text)
    order by j.id`.execute(db)
  return rows
}
