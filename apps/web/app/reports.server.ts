import type { SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { formatUsd, localDayOf, presetRange, usdToNano, type ReportDefinition } from '@costwise/core'
import { formError, replyWithError } from './lib/errors.server'
import type { Viewer } from './auth.server'
import type { RouterOutputs } from './lib/api-types'
import { formatCount, formatDateTime, teamDisplay } from './lib/format'
import {
  describeDefinition,
  describeSchedule,
  formValuesOf,
  reportFieldOf,
  reportFormSchema,
  type Metric,
  type ReportFormValues,
} from './lib/report-form'

type Overview = RouterOutputs['reports']['overview']
type Preview = RouterOutputs['reports']['preview']
type Totals = Preview['totals']

const money = (usd: string) => formatUsd(usdToNano(usd))

export interface SavedReportView {
  id: string
  name: string
  summary: string
  schedule: string
  nextRun: string | null
  format: string
  recipients: string[]
  active: boolean
  form: ReportFormValues
}

export interface RunView {
  id: string
  name: string
  trigger: string
  format: string
  status: Overview['runs'][number]['status']
  range: string | null
  recipients: number
  size: string | null
  error: string | null
  created: string
  finished: string | null
  downloadHref: string | null
}

export interface ReportsPageData {
  hasTeam: boolean
  canSchedule: boolean
  canEdit: boolean
  timeZone: string
  reports: SavedReportView[]
  runs: RunView[]
  options: { models: string[]; providers: string[] }
}

/** Report and outbox times: core's one rule, in the team's zone and clock. */
const zoneTime = (team: Parameters<typeof teamDisplay>[0]) => {
  const display = teamDisplay(team)
  return { format: (at: Date) => formatDateTime(at, display) }
}

function fileSize(bytes: number | null): string | null {
  if (bytes === null) return null
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

export async function loadReportsPage({ me, caller }: Viewer): Promise<ReportsPageData> {
  const team = me.activeTeam
  if (!team)
    return {
      hasTeam: false,
      canSchedule: false,
      canEdit: false,
      timeZone: 'UTC',
      reports: [],
      runs: [],
      options: { models: [], providers: [] },
    }
  const range = presetRange('last-90-days', localDayOf(team.timeZone))
  const [overview, byModel, byProvider] = await Promise.all([
    caller.reports.overview(),
    caller.usage.stats({ ...range, groupBy: 'model' }).catch(() => null),
    caller.usage.stats({ ...range, groupBy: 'provider' }).catch(() => null),
  ])
  const keys = (s: typeof byModel) =>
    (s?.groups ?? [])
      .map((g) => g.key)
      .filter((k): k is string => Boolean(k))
      .sort()
  const when = zoneTime(team)
  return {
    hasTeam: true,
    canSchedule: overview.canSchedule,
    canEdit: team.role === 'owner' || team.role === 'admin',
    timeZone: team.timeZone,
    reports: overview.schedules.map((s) => {
      const definition = s.definition
      return {
        id: s.id,
        name: s.name,
        summary: describeDefinition(definition),
        schedule: describeSchedule(s),
        nextRun: s.nextRunAt ? when.format(new Date(s.nextRunAt)) : null,
        format: s.format.toUpperCase(),
        recipients: s.recipients,
        active: s.active,
        form: formValuesOf({ ...s, definition }),
      }
    }),
    runs: overview.runs.map((r) => ({
      id: r.id,
      name: r.scheduleName ?? 'One-off report',
      trigger: r.trigger,
      format: r.format.toUpperCase(),
      status: r.status,
      range: r.rangeFrom && r.rangeTo ? `${r.rangeFrom} to ${r.rangeTo}` : null,
      recipients: r.recipients.length,
      size: fileSize(r.sizeBytes),
      error: r.error,
      created: when.format(new Date(r.createdAt)),
      finished: r.finishedAt ? when.format(new Date(r.finishedAt)) : null,
      downloadHref: r.status === 'done' && r.hasArtefact ? `/dashboard/reports/runs/${r.id}/download` : null,
    })),
    options: { models: keys(byModel), providers: keys(byProvider) },
  }
}

export interface FigureView {
  metric: Metric
  label: string
  value: string
  previous: string
}

export interface PreviewView {
  from: string
  to: string
  summary: string
  figures: FigureView[]
  groupLabel: string
  columns: { metric: Metric; label: string }[]
  rows: { key: string; values: string[] }[]
  more: number
  empty: boolean
}

function figure(metric: Metric, t: Omit<Totals, never>): string {
  switch (metric) {
    case 'cost':
      return money(t.costUsd)
    case 'tokens':
      return formatCount(t.inputTokens + t.outputTokens)
    case 'runs':
      return formatCount(t.runs)
    case 'avgCostPerRun':
      return money(t.avgCostPerRunUsd)
    case 'errors':
      return formatCount(t.errors)
    case 'latency':
      return t.avgLatencyMs === null ? '—' : `${formatCount(t.avgLatencyMs)} ms`
  }
}

const FIGURE_LABEL: Record<Metric, string> = {
  cost: 'Cost',
  tokens: 'Tokens',
  runs: 'Runs',
  avgCostPerRun: 'Avg cost / run',
  errors: 'Errors',
  latency: 'Avg latency',
}

const MAX_ROWS = 12

async function previewView(caller: Viewer['caller'], definition: ReportDefinition): Promise<PreviewView> {
  const data = await caller.reports.preview({ definition })
  const metrics = data.definition.metrics
  let names = new Map<string, string>()
  if (data.definition.groupBy === 'prompt') names = new Map(data.topPrompts.map((p) => [p.promptId, p.name]))
  if (data.definition.groupBy === 'user') {
    const current = await caller.teams.current()
    names = new Map(current.members.map((m) => [m.id, m.name || m.email]))
  }
  const label = (key: string | null) => {
    if (key === null)
      return data.definition.groupBy === 'prompt' ? 'No prompt' : data.definition.groupBy === 'user' ? 'API keys' : '—'
    return names.get(key) ?? key
  }
  return {
    from: data.from,
    to: data.to,
    summary: describeDefinition(data.definition),
    figures: metrics.map((m) => ({
      metric: m,
      label: FIGURE_LABEL[m],
      value: figure(m, data.totals),
      previous: figure(m, data.previous),
    })),
    groupLabel: data.definition.groupBy,
    columns: metrics.map((m) => ({ metric: m, label: FIGURE_LABEL[m] })),
    rows: data.groups.slice(0, MAX_ROWS).map((g) => ({ key: label(g.key), values: metrics.map((m) => figure(m, g)) })),
    more: Math.max(0, data.groups.length - MAX_ROWS),
    empty: data.totals.runs === 0,
  }
}

/** The builder's buttons. */
export type BuilderIntent = 'preview' | 'send' | 'save'

/**
 * What an action answers. The builder's buttons answer with Conform's result (`result`: errors per field, the values
 * as posted, or a fresh form once a new report is saved) beside what they did; the saved reports' buttons (send a
 * saved report, delete) with what they did or why not.
 */
export type ReportActionData =
  | { ok: true; intent: 'preview'; preview: PreviewView; result: SubmissionResult }
  | { ok: true; intent: 'save'; savedId: string; savedName: string; result: SubmissionResult }
  | { ok: true; intent: 'send'; runId: string; result: SubmissionResult }
  | { ok: false; intent: BuilderIntent; result: SubmissionResult }
  | { ok: true; intent: 'send-saved'; runId: string }
  | { ok: true; intent: 'delete'; deleted: string }
  | { ok: false; intent: 'send-saved' | 'delete'; message: string }

/**
 * The builder's and the lists' actions: preview, save, send now (saved or not) and delete. The builder's form is
 * parsed with core's `reportFormSchema` (the one the browser checks) before the procedure its button calls.
 */
export async function reportsAction({ caller }: Viewer, form: FormData): Promise<ReportActionData> {
  const intent = String(form.get('intent') ?? 'preview')
  if (intent === 'delete' || intent === 'send-saved') {
    try {
      if (intent === 'delete') {
        await caller.reports.delete({ id: String(form.get('id') ?? '') })
        return { ok: true, intent, deleted: String(form.get('name') ?? 'Report') }
      }
      const { runId } = await caller.reports.sendNow({ scheduleId: String(form.get('id') ?? '') })
      return { ok: true, intent, runId }
    } catch (error) {
      return { ok: false, intent, message: formError(error).message }
    }
  }
  const submission = parseWithZod(form, { schema: reportFormSchema })
  const button: BuilderIntent = intent === 'save' || intent === 'send' ? intent : 'preview'
  if (submission.status !== 'success') return { ok: false, intent: button, result: submission.reply() }
  const value = submission.value
  try {
    switch (value.intent) {
      case 'preview':
        return {
          ok: true,
          intent: 'preview',
          preview: await previewView(caller, value.definition),
          result: submission.reply(),
        }
      case 'send': {
        const { intent: _intent, ...input } = value
        const { runId } = await caller.reports.sendNow(input)
        return { ok: true, intent: 'send', runId, result: submission.reply() }
      }
      case 'save': {
        const { intent: _intent, ...input } = value
        const saved = await caller.reports.save(input)
        // A new report is in the list now: the builder starts afresh (saving again would make a copy).
        return {
          ok: true,
          intent: 'save',
          savedId: saved.id,
          savedName: saved.name,
          result: submission.reply({ resetForm: !input.id }),
        }
      }
    }
  } catch (error) {
    return { ok: false, intent: value.intent, result: replyWithError(submission, error, {}, reportFieldOf) }
  }
}

// ---- Outbox -------------------------------------------------------------------------------------------

type Outbox = RouterOutputs['reports']['outbox']

export interface OutboxMessageView {
  id: string
  kind: string
  to: string
  subject: string
  text: string
  status: Outbox['messages'][number]['status']
  attempts: number
  lastError: string | null
  created: string
  sent: string | null
  attachments: { filename: string; contentType: string }[]
}

export type OutboxPageData =
  | { allowed: false; reason: string }
  | {
      allowed: true
      timeZone: string
      messages: OutboxMessageView[]
      delivery: { attempts: number; succeeded: number; notSent: number; successRate: string | null }
    }

export async function loadOutboxPage({ me, caller }: Viewer): Promise<OutboxPageData> {
  const team = me.activeTeam
  if (!team) return { allowed: false, reason: 'You are not in a team yet.' }
  if (team.role !== 'owner' && team.role !== 'admin') {
    return { allowed: false, reason: 'The outbox and delivery log are visible to the team’s owners and admins.' }
  }
  const outbox = await caller.reports.outbox({ limit: 100 })
  const when = zoneTime(team)
  return {
    allowed: true,
    timeZone: team.timeZone,
    messages: outbox.messages.map((m) => ({
      id: m.id,
      kind: m.kind,
      to: m.to,
      subject: m.subject,
      text: m.text,
      status: m.status,
      attempts: m.attempts,
      lastError: m.lastError,
      created: when.format(new Date(m.createdAt)),
      sent: m.sentAt ? when.format(new Date(m.sentAt)) : null,
      attachments: m.attachments,
    })),
    delivery: {
      attempts: outbox.delivery.attempts,
      succeeded: outbox.delivery.succeeded,
      notSent: outbox.delivery.notSent,
      successRate: outbox.delivery.successRate === null ? null : `${(outbox.delivery.successRate * 100).toFixed(1)} %`,
    },
  }
}
