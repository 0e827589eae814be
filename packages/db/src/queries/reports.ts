import { sql } from 'kysely'
import type { Db } from '../client'
import type { ReportFormat, ReportFrequency, ReportRunStatus } from '../schema'

type Executor = Db

export interface ScheduleValues {
  name: string
  definition: Record<string, unknown>
  format: ReportFormat
  recipients: string[]
  frequency: ReportFrequency
  timeOfDay: string
  dayOfWeek: number | null
  dayOfMonth: number | null
  nextRunAt: Date | null
  active: boolean
}

const scheduleColumns = (v: ScheduleValues) => ({
  name: v.name,
  definition: JSON.stringify(v.definition),
  format: v.format,
  recipients: v.recipients,
  frequency: v.frequency,
  time_of_day: v.timeOfDay,
  day_of_week: v.dayOfWeek,
  day_of_month: v.dayOfMonth,
  next_run_at: v.nextRunAt,
  active: v.active,
})

export async function insertSchedule(db: Executor, teamId: string, createdBy: string | null, values: ScheduleValues) {
  return db
    .insertInto('report_schedules')
    .values({ team_id: teamId, created_by: createdBy, ...scheduleColumns(values) })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function updateSchedule(db: Executor, teamId: string, id: string, values: ScheduleValues) {
  return db
    .updateTable('report_schedules')
    .set({ ...scheduleColumns(values), updated_at: new Date() })
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
}

/** Deletes a report of this team; returns the deleted row, or undefined when there is none. */
export async function deleteSchedule(db: Executor, teamId: string, id: string) {
  return db
    .deleteFrom('report_schedules')
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
}

export async function listSchedules(db: Executor, teamId: string) {
  return db
    .selectFrom('report_schedules')
    .selectAll()
    .where('team_id', '=', teamId)
    .orderBy('created_at', 'desc')
    .execute()
}

export async function findSchedule(db: Executor, teamId: string, id: string) {
  return db
    .selectFrom('report_schedules')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .executeTakeFirst()
}

/** Locks schedules that are due (skipping ones another worker holds). */
export async function lockDueSchedules(db: Executor, now: Date, limit = 100) {
  return db
    .selectFrom('report_schedules')
    .selectAll()
    .where('active', '=', true)
    .where('next_run_at', '<=', now)
    .orderBy('next_run_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute()
}

export async function setNextRun(db: Executor, id: string, nextRunAt: Date | null): Promise<void> {
  await db.updateTable('report_schedules').set({ next_run_at: nextRunAt }).where('id', '=', id).execute()
}

export async function insertRun(
  db: Executor,
  input: {
    teamId: string
    scheduleId: string | null
    trigger: 'schedule' | 'manual' | 'cli'
    definition: Record<string, unknown>
    format: ReportFormat
    recipients: string[]
  },
) {
  return db
    .insertInto('report_runs')
    .values({
      team_id: input.teamId,
      schedule_id: input.scheduleId,
      trigger: input.trigger,
      definition: JSON.stringify(input.definition),
      format: input.format,
      recipients: input.recipients,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function findRun(db: Executor, id: string) {
  return db.selectFrom('report_runs').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function findTeamRun(db: Executor, teamId: string, id: string) {
  return db.selectFrom('report_runs').selectAll().where('team_id', '=', teamId).where('id', '=', id).executeTakeFirst()
}

export async function updateRun(
  db: Executor,
  id: string,
  values: {
    status: ReportRunStatus
    rangeFrom?: string | null
    rangeTo?: string | null
    artefactKey?: string | null
    sizeBytes?: number | null
    error?: string | null
  },
): Promise<void> {
  await db
    .updateTable('report_runs')
    .set({
      status: values.status,
      ...(values.rangeFrom !== undefined ? { range_from: values.rangeFrom } : {}),
      ...(values.rangeTo !== undefined ? { range_to: values.rangeTo } : {}),
      ...(values.artefactKey !== undefined ? { artefact_key: values.artefactKey } : {}),
      ...(values.sizeBytes !== undefined ? { size_bytes: values.sizeBytes } : {}),
      error: values.error ?? null,
      finished_at: values.status === 'done' || values.status === 'failed' ? new Date() : null,
    })
    .where('id', '=', id)
    .execute()
}

export async function listRuns(db: Executor, teamId: string, limit = 50) {
  return db
    .selectFrom('report_runs as r')
    .leftJoin('report_schedules as s', 's.id', 'r.schedule_id')
    .select([
      'r.id',
      'r.schedule_id as scheduleId',
      's.name as scheduleName',
      'r.trigger',
      'r.format',
      'r.recipients',
      'r.status',
      'r.range_from as rangeFrom',
      'r.range_to as rangeTo',
      'r.size_bytes as sizeBytes',
      'r.error',
      'r.created_at as createdAt',
      'r.finished_at as finishedAt',
      sql<boolean>`r.artefact_key is not null`.as('hasArtefact'),
    ])
    .where('r.team_id', '=', teamId)
    .orderBy('r.created_at', 'desc')
    .limit(limit)
    .execute()
}

/**
 * Runs created before `before` that a dead worker may have left unfinished: still queued or running, or done
 * with emails never attempted (a failed attempt is retried by the job itself). Oldest first.
 */
export async function listUnfinishedRuns(db: Executor, before: Date, limit = 100): Promise<string[]> {
  const rows = await db
    .selectFrom('report_runs as r')
    .select('r.id')
    .where('r.created_at', '<', before)
    .where((eb) =>
      eb.or([
        eb('r.status', 'in', ['queued', 'running']),
        eb.and([
          eb('r.status', '=', 'done'),
          eb.exists(
            eb
              .selectFrom('email_messages as m')
              .select(sql`1`.as('one'))
              .where('m.status', '=', 'queued')
              .where('m.dedupe_key', 'like', sql<string>`'report:' || r.id::text || ':%'`),
          ),
        ]),
      ]),
    )
    .orderBy('r.created_at')
    .limit(limit)
    .execute()
  return rows.map((r) => r.id)
}
