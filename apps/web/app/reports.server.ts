import { formatUsd, localDayOf, presetRange, usdToNano } from '@costwise/core'
import { formError } from './lib/errors.server'
import type { Viewer } from './auth.server'
import type { RouterOutputs } from './lib/api-types'
import { formatCount, formatDateTime, teamDisplay } from './lib/format'
import {
  describeDefinition,
  describeSchedule,
  fieldOf,
  formValuesOf,
  readReportForm,
  validateReportForm,
  validateSend,
  buildDefinition,
  type Metric,
  type ReportDefinitionInput,
  type ReportErrors,
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

async function previewView(caller: Viewer['caller'], definition: ReportDefinitionInput): Promise<PreviewView> {
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

export type ReportActionData =
  | { ok: true; intent: 'preview'; preview: PreviewView }
  | { ok: true; intent: 'save'; savedId: string; savedName: string }
  | { ok: true; intent: 'send' | 'send-saved'; runId: string }
  | { ok: true; intent: 'delete'; deleted: string }
  | { ok: false; intent: string; errors: ReportErrors }

/** The builder's and the lists' actions: preview, save, send now (saved or not) and delete. */
export async function reportsAction({ caller }: Viewer, form: FormData): Promise<ReportActionData> {
  const intent = String(form.get('intent') ?? 'preview')
  try {
    switch (intent) {
      case 'delete': {
        const id = String(form.get('id') ?? '')
        await caller.reports.delete({ id })
        return { ok: true, intent, deleted: String(form.get('name') ?? 'Report') }
      }
      case 'send-saved': {
        const { runId } = await caller.reports.sendNow({ scheduleId: String(form.get('id') ?? '') })
        return { ok: true, intent, runId }
      }
      case 'send': {
        const { input, errors } = validateSend(readReportForm(form))
        if (!input) return { ok: false, intent, errors }
        const { runId } = await caller.reports.sendNow(input)
        return { ok: true, intent, runId }
      }
      case 'save': {
        const { input, errors } = validateReportForm(readReportForm(form))
        if (!input) return { ok: false, intent, errors }
        const saved = await caller.reports.save(input)
        return { ok: true, intent, savedId: saved.id, savedName: saved.name }
      }
      default: {
        const { definition, errors } = buildDefinition(readReportForm(form))
        if (!definition) return { ok: false, intent: 'preview', errors }
        return { ok: true, intent: 'preview', preview: await previewView(caller, definition) }
      }
    }
  } catch (error) {
    return { ok: false, intent, errors: serverErrors(error) }
  }
}

/** Puts a procedure's error (every zod issue, or the AppError's field) on the builder's fields. */
function serverErrors(error: unknown): ReportErrors {
  const { fieldErrors, message, field } = formError(error)
  const errors: ReportErrors = {}
  for (const [path, text] of Object.entries(fieldErrors)) {
    const own = path === field ? text.replace(/^[\w.]+: /, '') : text
    errors[fieldOf(path)] ??= own.charAt(0).toUpperCase() + own.slice(1)
  }
  if (Object.keys(errors).length === 0) errors.form = message
  return errors
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
