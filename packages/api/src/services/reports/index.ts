import {
  AppError,
  nextRunAt,
  reportDefinitionSchema,
  reportFormatSchema,
  reportFilterLabels,
  reportFrequencySchema,
  reportScheduleInputSchema,
  reportSendInputSchema,
  type ReportDefinition,
  type ReportScheduleInput,
} from '@costwise/core'
import { audit, email, jobs, reports, teams, type Db } from '@costwise/db'
import { auditBy } from '../../audit'
import { z } from 'zod'
import type { ArtefactStore } from '../../artefacts'
import type { TeamScope } from '../../trpc'
import { buildReport, money, changeLabel } from './build'
import { reportCsv } from './csv'
import { reportPdf } from './pdf'

export { buildReport, reportCsv, reportPdf }

export const reportScheduleViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  definition: reportDefinitionSchema,
  format: reportFormatSchema,
  recipients: z.array(z.string()),
  frequency: reportFrequencySchema,
  timeOfDay: z.string(),
  dayOfWeek: z.number().nullable(),
  dayOfMonth: z.number().nullable(),
  nextRunAt: z.string().nullable(),
  active: z.boolean(),
  createdAt: z.string(),
})
export type ReportScheduleView = z.infer<typeof reportScheduleViewSchema>

export const reportRunViewSchema = z.object({
  id: z.string(),
  scheduleId: z.string().nullable(),
  scheduleName: z.string().nullable(),
  trigger: z.enum(['schedule', 'manual', 'cli']),
  format: reportFormatSchema,
  recipients: z.array(z.string()),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  rangeFrom: z.string().nullable(),
  rangeTo: z.string().nullable(),
  sizeBytes: z.number().nullable(),
  hasArtefact: z.boolean(),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
})
export type ReportRunView = z.infer<typeof reportRunViewSchema>

export const sendNowOutputSchema = z.object({ runId: z.string() })

function toScheduleView(s: Awaited<ReturnType<typeof reports.listSchedules>>[number]): ReportScheduleView {
  return {
    id: s.id,
    name: s.name,
    definition: s.definition as ReportDefinition,
    format: s.format,
    recipients: s.recipients,
    frequency: s.frequency,
    timeOfDay: s.time_of_day,
    dayOfWeek: s.day_of_week,
    dayOfMonth: s.day_of_month,
    nextRunAt: s.next_run_at?.toISOString() ?? null,
    active: s.active,
    createdAt: s.created_at.toISOString(),
  }
}

export async function listSchedules(db: Db, team: TeamScope) {
  return (await reports.listSchedules(db, team.id)).map(toScheduleView)
}

/** Saves a report (a definition, a format, recipients and an optional schedule in the team's zone). */
export async function saveSchedule(db: Db, team: TeamScope, raw: ReportScheduleInput, now = new Date()) {
  const input = reportScheduleInputSchema.parse(raw)
  const schedule = {
    frequency: input.frequency,
    timeOfDay: input.timeOfDay,
    dayOfWeek: input.dayOfWeek ?? null,
    dayOfMonth: input.dayOfMonth ?? null,
  }
  const values: reports.ScheduleValues = {
    name: input.name,
    definition: input.definition,
    format: input.format,
    recipients: input.recipients,
    ...schedule,
    nextRunAt: input.active ? nextRunAt(schedule, now, team.timeZone) : null,
    active: input.active,
  }
  const row = await db.transaction().execute(async (trx) => {
    if (!input.id) {
      const created = await reports.insertSchedule(trx, team.id, team.userId, values)
      await audit.record(trx, {
        ...auditBy(team),
        action: 'report.created',
        target: { type: 'report', id: created.id },
        after: scheduleAudit(created),
      })
      return created
    }
    const before = await reports.findSchedule(trx, team.id, input.id)
    const updated = before && (await reports.updateSchedule(trx, team.id, input.id, values))
    if (!before || !updated) throw new AppError('NOT_FOUND', 'No report with this id in your team.', { field: 'id' })
    await audit.record(trx, {
      ...auditBy(team),
      action: 'report.updated',
      target: { type: 'report', id: updated.id },
      before: scheduleAudit(before),
      after: scheduleAudit(updated),
    })
    return updated
  })
  return toScheduleView(row)
}

/** Deletes a saved report and records who did. */
export async function deleteSchedule(db: Db, team: TeamScope, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const deleted = await reports.deleteSchedule(trx, team.id, id)
    if (!deleted) throw new AppError('NOT_FOUND', 'No report with this id in your team.', { field: 'id' })
    await audit.record(trx, {
      ...auditBy(team),
      action: 'report.deleted',
      target: { type: 'report', id },
      before: scheduleAudit(deleted),
    })
  })
}

/** What the audit log keeps of a saved report: what it sends, to whom and when (its view, less the bookkeeping). */
function scheduleAudit(s: Awaited<ReturnType<typeof reports.listSchedules>>[number]) {
  const { id: _id, createdAt: _createdAt, nextRunAt: _nextRunAt, ...kept } = toScheduleView(s)
  return kept
}

/** Queues a run now: its job is added in the same transaction as the run row. */
export async function sendNow(
  db: Db,
  team: TeamScope,
  raw: z.input<typeof reportSendInputSchema>,
  trigger: 'manual' | 'cli' = 'manual',
) {
  const input = reportSendInputSchema.parse(raw)
  return db.transaction().execute(async (trx) => {
    let spec: { scheduleId: string | null; definition: ReportDefinition; format: 'csv' | 'pdf'; recipients: string[] }
    if ('scheduleId' in input) {
      const s = await reports.findSchedule(trx, team.id, input.scheduleId)
      if (!s) throw new AppError('NOT_FOUND', 'No report with this id in your team.', { field: 'scheduleId' })
      spec = {
        scheduleId: s.id,
        definition: s.definition as ReportDefinition,
        format: s.format,
        recipients: s.recipients,
      }
    } else {
      spec = { scheduleId: null, ...input }
    }
    const run = await reports.insertRun(trx, { teamId: team.id, trigger, ...spec })
    await jobs.enqueueJob(trx, 'report__run', { runId: run.id }, { jobKey: `report__run:${run.id}`, maxAttempts: 8 })
    // The team's figures leave the product: who sent them where is worth keeping.
    await audit.record(trx, {
      ...(trigger === 'cli' ? { teamId: team.id, actor: { kind: 'cli' as const } } : auditBy(team)),
      action: 'report.sent',
      target: { type: 'report_run', id: run.id },
      after: { scheduleId: spec.scheduleId, format: spec.format, recipients: spec.recipients },
    })
    return { runId: run.id }
  })
}

/**
 * Turns every due schedule into a queued run (job added in the same transaction) and moves its next run on.
 * Returns the run ids. Called each minute by the worker.
 */
export async function queueDueReports(db: Db, now = new Date()): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    const due = await reports.lockDueSchedules(trx, now)
    const runIds: string[] = []
    for (const s of due) {
      const team = await teams.findTeamById(trx, s.team_id)
      if (!team) continue
      const run = await reports.insertRun(trx, {
        teamId: s.team_id,
        scheduleId: s.id,
        trigger: 'schedule',
        definition: s.definition,
        format: s.format,
        recipients: s.recipients,
      })
      await jobs.enqueueJob(trx, 'report__run', { runId: run.id }, { jobKey: `report__run:${run.id}`, maxAttempts: 8 })
      const schedule = {
        frequency: s.frequency,
        timeOfDay: s.time_of_day,
        dayOfWeek: s.day_of_week,
        dayOfMonth: s.day_of_month,
      }
      await reports.setNextRun(trx, s.id, nextRunAt(schedule, now, team.timeZone))
      runIds.push(run.id)
    }
    return runIds
  })
}

export function artefactFilename(
  run: { format: string; range_from: string | null; range_to: string | null },
  teamSlug: string,
) {
  return `costwise-report-${teamSlug}-${run.range_from ?? 'x'}-to-${run.range_to ?? 'x'}.${run.format}`
}

/**
 * Generates a run's report, keeps it in the artefact store and queues one email per recipient with it
 * attached. Idempotent: a run that is done already is not generated again (a retried job only re-delivers).
 */
export async function executeReportRun(db: Db, store: ArtefactStore, runId: string, now = new Date()) {
  const run = await reports.findRun(db, runId)
  if (!run) return null
  const team = await teams.findTeamById(db, run.team_id)
  if (!team) return null
  if (run.status !== 'done') {
    await reports.updateRun(db, run.id, { status: 'running' })
    try {
      const scope: TeamScope = { ...team, role: null, userId: null, apiKeyId: null }
      const data = await buildReport(db, scope, run.definition, now)
      const bytes = run.format === 'pdf' ? await reportPdf(data) : reportCsv(data)
      const key = `reports/${team.id}/${run.id}.${run.format}`
      await store.put(key, bytes)
      await reports.updateRun(db, run.id, {
        status: 'done',
        rangeFrom: data.from,
        rangeTo: data.to,
        artefactKey: key,
        sizeBytes: bytes.length,
      })
      const filename = artefactFilename({ format: run.format, range_from: data.from, range_to: data.to }, team.slug)
      const subject = `[Costwise] ${team.name} usage report, ${data.from} to ${data.to}`
      const filters = reportFilterLabels(data.definition.filters)
      const text = [
        `Usage report for ${team.name}, ${data.from} to ${data.to} (${team.timeZone}).`,
        ...(filters.length ? [`Only ${filters.join(', ')}.`] : []),
        '',
        `Total cost: ${money(data.totals.costUsd)} (${changeLabel(data.totals.costUsd, data.previous.costUsd)} vs the previous period)`,
        `Runs: ${data.totals.runs.toLocaleString('en-US')} · Tokens: ${(data.totals.inputTokens + data.totals.outputTokens).toLocaleString('en-US')}`,
        '',
        `The full report is attached (${filename}).`,
      ].join('\n')
      await email.queueEmails(
        db,
        run.recipients.map((to) => ({
          teamId: team.id,
          kind: 'report' as const,
          dedupeKey: `report:${run.id}:${to}`,
          to,
          subject,
          text,
          attachments: [
            {
              filename,
              contentType: run.format === 'pdf' ? 'application/pdf' : 'text/csv',
              storageKey: key,
              base64: bytes.toString('base64'),
            },
          ],
        })),
      )
    } catch (error) {
      await reports.updateRun(db, run.id, {
        status: 'failed',
        error: error instanceof Error ? error.message : String(error),
      })
      throw error
    }
  }
  return { runId: run.id, dedupePrefix: `report:${run.id}:` }
}

export async function listRuns(db: Db, team: TeamScope): Promise<ReportRunView[]> {
  return (await reports.listRuns(db, team.id)).map((r) => ({
    ...r,
    createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
  }))
}

/** The one answer for a run that isn't there for this team: another team's, unknown, not finished, not an id. */
export const noSuchRun = () =>
  new AppError('NOT_FOUND', 'No finished report run with this id in your team.', { field: 'runId' })

/** A finished run's file, for download. */
export async function runArtefact(db: Db, store: ArtefactStore, team: TeamScope, runId: string) {
  const run = await reports.findTeamRun(db, team.id, runId)
  if (!run?.artefact_key) throw noSuchRun()
  const bytes = await store.get(run.artefact_key)
  if (!bytes) throw new AppError('NOT_FOUND', 'The report file is no longer in the artefact store.', { field: 'runId' })
  return {
    bytes,
    filename: artefactFilename(run, team.slug),
    contentType: run.format === 'pdf' ? 'application/pdf' : 'text/csv; charset=utf-8',
  }
}
