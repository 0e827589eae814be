import { archiveMonth, createArtefactStore, restoreMonth, sendNow } from '@costwise/api'
import { AppError, reportFormatSchema, rollingRangeSchema } from '@costwise/core'
import { archives, reports, teams, type Db } from '@costwise/db'
import { createMailer, createTaskList } from '@costwise/worker'
import { runOnce } from 'graphile-worker'
import { z } from 'zod'
import { parseOptions } from '../options'
import { artefactDir, type CliEnv } from '../env'

const reportSendInput = z.object({
  team: z.string().min(1),
  to: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.email('expected email addresses, comma-separated')).min(1)),
  format: reportFormatSchema.default('pdf'),
  range: rollingRangeSchema.default('last-7-days'),
})

/**
 * Sends a report now through the same job and delivery log as the app: queues a run, then works the job
 * queue once (so it goes out even when no worker is running) and reports where the mail went.
 */
export async function reportSend(db: Db, url: string, env: CliEnv, raw: unknown) {
  const input = parseOptions(reportSendInput, raw)
  const team = await teams.findTeamBySlug(db, input.team)
  if (!team) throw new AppError('NOT_FOUND', `No team with slug "${input.team}".`, { field: 'team' })
  const scope = { ...team, role: null, userId: null, apiKeyId: null }
  const { runId } = await sendNow(
    db,
    scope,
    {
      definition: {
        metrics: ['cost', 'tokens', 'runs'],
        groupBy: 'day',
        range: { kind: 'rolling', preset: input.range },
        filters: {},
      },
      format: input.format,
      recipients: input.to,
    },
    'cli',
  )
  const mailer = createMailer({ smtpUrl: env.SMTP_URL, from: env.MAIL_FROM })
  try {
    await runOnce({
      connectionString: url,
      taskList: createTaskList({
        db,
        mailer,
        store: createArtefactStore({ kind: 'fs', dir: artefactDir(env) }),
        appUrl: env.APP_URL ?? `http://localhost:${env.PORT}`,
      }),
      noHandleSignals: true,
    })
  } finally {
    mailer.close()
  }
  const run = await reports.findRun(db, runId)
  return {
    runId,
    status: run?.status ?? 'unknown',
    error: run?.error ?? null,
    transport: mailer.transport,
    recipients: input.to,
  }
}

export async function usageArchive(db: Db, env: CliEnv, month: string) {
  return archiveMonth(db, createArtefactStore({ kind: 'fs', dir: artefactDir(env) }), month)
}

export async function usageRestore(db: Db, env: CliEnv, month: string) {
  return restoreMonth(db, createArtefactStore({ kind: 'fs', dir: artefactDir(env) }), month)
}

export async function usageArchives(db: Db) {
  return archives.listArchives(db)
}
