import { z } from 'zod'
import { AppError } from './errors'
import { decimalToNanoRounded, shiftedDecimal, type Nano } from './money'
import { resolveModelName } from './pricing/resolve'

/**
 * Reconciliation: a provider's own cost export for a month, compared per UTC day and model with what Costwise
 * tracked, to show how much usage bypassed Costwise (or was priced differently).
 */

export const costExportProviderSchema = z.enum(['openai', 'anthropic'])
export type CostExportProvider = z.infer<typeof costExportProviderSchema>
export type CostExportFormat = 'openai-costs-json' | 'anthropic-cost-csv' | 'anthropic-cost-json'

export interface CostExportLine {
  /** UTC day, YYYY-MM-DD. */
  day: string
  /** The model's catalogue id (or normalised name); `''` when the export does not say. */
  model: string
  costNano: Nano
}

export interface ParsedCostExport {
  provider: CostExportProvider
  format: CostExportFormat
  /** One line per day and model, summed. */
  lines: CostExportLine[]
  totalNano: Nano
}

function bad(message: string, field = 'file'): AppError {
  return new AppError('BAD_INPUT', message, { field })
}

function modelKeyOf(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '') return ''
  return resolveModelName(name).key
}

function addLine(map: Map<string, CostExportLine>, day: string, model: string, cost: Nano) {
  const key = `${day}|${model}`
  const line = map.get(key) ?? { day, model, costNano: 0n }
  line.costNano += cost
  map.set(key, line)
}

function finish(
  provider: CostExportProvider,
  format: CostExportFormat,
  map: Map<string, CostExportLine>,
): ParsedCostExport {
  const lines = [...map.values()].sort((a, b) =>
    a.day === b.day ? a.model.localeCompare(b.model) : a.day < b.day ? -1 : 1,
  )
  return { provider, format, lines, totalNano: lines.reduce((s, l) => s + l.costNano, 0n) }
}

const dayOf = (value: unknown, field: string): string => {
  const date =
    typeof value === 'number'
      ? new Date(value * 1000)
      : typeof value === 'string'
        ? new Date(value.length === 10 ? `${value}T00:00:00Z` : value)
        : null
  if (!date || Number.isNaN(date.getTime())) throw bad(`${field}: "${String(value)}" is not a date.`, field)
  return date.toISOString().slice(0, 10)
}

/** OpenAI `GET /v1/organization/costs` pages (`group_by=line_item` gives the model): one page, or an array of pages. */
function parseOpenAiCosts(data: unknown): ParsedCostExport {
  const pages = Array.isArray(data) ? data : [data]
  const map = new Map<string, CostExportLine>()
  pages.forEach((page, p) => {
    const buckets = (page as { data?: unknown }).data
    if (!Array.isArray(buckets)) throw bad(`pages.${p}.data: expected the buckets of OpenAI's costs API (an array).`)
    buckets.forEach((bucket, b) => {
      const { start_time: start, results } = bucket as { start_time?: unknown; results?: unknown }
      const day = dayOf(start, `data.${b}.start_time`)
      if (!Array.isArray(results)) throw bad(`data.${b}.results: expected an array.`)
      results.forEach((result, r) => {
        const { amount, line_item: lineItem } = result as {
          amount?: { value?: unknown; currency?: unknown }
          line_item?: unknown
        }
        const where = `data.${b}.results.${r}.amount`
        if (String(amount?.currency ?? 'usd').toLowerCase() !== 'usd')
          throw bad(`${where}.currency: only USD costs can be reconciled.`, where)
        const value = typeof amount?.value === 'string' ? amount.value : shiftedDecimal(amount?.value, 0)
        if (value === null || value === undefined) throw bad(`${where}.value: expected a non-negative amount.`, where)
        // line_item is "<model>, <token kind>" (e.g. "gpt-4o-2024-08-06, input"); null without group_by=line_item.
        const model = typeof lineItem === 'string' ? modelKeyOf(lineItem.split(',')[0]) : ''
        addLine(map, day, model, decimalToNanoRounded(value))
      })
    })
  })
  return finish('openai', 'openai-costs-json', map)
}

/** Anthropic `GET /v1/organizations/cost_report` (amounts are in cents, as decimal strings). */
function parseAnthropicCostJson(data: unknown): ParsedCostExport {
  const pages = Array.isArray(data) ? data : [data]
  const map = new Map<string, CostExportLine>()
  pages.forEach((page) => {
    const buckets = (page as { data?: unknown }).data
    if (!Array.isArray(buckets)) throw bad("data: expected the buckets of Anthropic's cost report (an array).")
    buckets.forEach((bucket, b) => {
      const { starting_at: start, results } = bucket as { starting_at?: unknown; results?: unknown }
      const day = dayOf(start, `data.${b}.starting_at`)
      if (!Array.isArray(results)) throw bad(`data.${b}.results: expected an array.`)
      results.forEach((result, r) => {
        const { amount, currency, model } = result as { amount?: unknown; currency?: unknown; model?: unknown }
        const where = `data.${b}.results.${r}.amount`
        if (String(currency ?? 'USD').toUpperCase() !== 'USD')
          throw bad(`${where}: only USD costs can be reconciled.`, where)
        if (typeof amount !== 'string') throw bad(`${where}: expected a decimal string of cents.`, where)
        addLine(map, day, modelKeyOf(model), decimalToNanoRounded(amount, 2))
      })
    })
  })
  return finish('anthropic', 'anthropic-cost-json', map)
}

/** Splits CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      row.push(field)
      if (row.some((f) => f !== '')) rows.push(row)
      row = []
      field = ''
    } else field += c
  }
  row.push(field)
  if (row.some((f) => f !== '')) rows.push(row)
  return rows
}

const DAY_COLUMNS = ['usage_date_utc', 'date', 'day', 'usage_date', 'starting_at']
const MODEL_COLUMNS = ['model', 'model_name']
const COST_COLUMNS = ['cost_usd', 'cost', 'amount_usd', 'total_cost_usd', 'cost (usd)']

/**
 * The Anthropic Console's cost export (CSV): one row per day, model and cost item, with a date column
 * (`usage_date_utc`, `date`…), `model` and a USD cost column (`cost_usd`, `cost`…); other columns are ignored.
 */
function parseAnthropicCsv(text: string): ParsedCostExport {
  const rows = parseCsv(text.replace(/^\uFEFF/, ''))
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase())
  const find = (names: string[]) => header.findIndex((h) => names.includes(h))
  const dayCol = find(DAY_COLUMNS)
  const modelCol = find(MODEL_COLUMNS)
  const costCol = find(COST_COLUMNS)
  if (dayCol < 0 || costCol < 0) {
    throw bad(
      `The CSV needs a date column (${DAY_COLUMNS.join(', ')}) and a USD cost column (${COST_COLUMNS.join(', ')}); its header is: ${header.join(', ') || '(empty)'}.`,
    )
  }
  const map = new Map<string, CostExportLine>()
  rows.slice(1).forEach((row, i) => {
    const line = i + 2
    const cost = (row[costCol] ?? '').trim().replace(/^\$/, '')
    if (cost === '') return
    let nano: Nano
    try {
      nano = decimalToNanoRounded(cost)
    } catch {
      throw bad(`line ${line}: "${row[costCol]}" is not a USD amount.`, `line.${line}`)
    }
    addLine(
      map,
      dayOf((row[dayCol] ?? '').trim().slice(0, 10), `line.${line}`),
      modelCol < 0 ? '' : modelKeyOf(row[modelCol]),
      nano,
    )
  })
  return finish('anthropic', 'anthropic-cost-csv', map)
}

/** Reads a provider's cost export: OpenAI's costs JSON, Anthropic's cost report JSON or its Console CSV. */
export function parseCostExport(text: string, provider?: CostExportProvider): ParsedCostExport {
  const trimmed = text.trim()
  if (trimmed === '') throw bad('The export is empty.')
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let data: unknown
    try {
      data = JSON.parse(trimmed)
    } catch (error) {
      throw bad(`The export is not valid JSON: ${(error as Error).message}`)
    }
    const first = (Array.isArray(data) ? data[0] : data) as
      { data?: { start_time?: unknown; starting_at?: unknown }[] } | undefined
    const bucket = first?.data?.[0]
    const kind = provider ?? (bucket && 'starting_at' in bucket ? 'anthropic' : 'openai')
    return kind === 'anthropic' ? parseAnthropicCostJson(data) : parseOpenAiCosts(data)
  }
  if (provider === 'openai') throw bad('OpenAI cost exports are JSON (the organization costs API).')
  return parseAnthropicCsv(trimmed)
}

export interface ReconciliationRow {
  day: string
  model: string
  providerNano: Nano
  trackedNano: Nano
  /** provider − tracked: positive when usage bypassed Costwise (or was priced lower), negative when tracked more. */
  differenceNano: Nano
  unpricedRuns: number
}

export interface Reconciliation {
  rows: ReconciliationRow[]
  providerTotalNano: Nano
  trackedTotalNano: Nano
  /** Σ max(0, provider − tracked) over days and models: spend Costwise did not see. */
  missingNano: Nano
  /** Σ max(0, tracked − provider): tracked above what the provider billed (a price or a double count to check). */
  overNano: Nano
  /** The share of the provider's bill that Costwise saw, (provider − missing) ÷ provider, in percent with two
   *  decimals, rounded down (so 100 means nothing was missed); null when the provider billed nothing. */
  captureRatePct: number | null
}

/**
 * Compares a provider's export with tracked spend per day and model. Days where the export does not name models
 * are compared as day totals.
 */
export function reconcile(
  exported: readonly CostExportLine[],
  tracked: readonly { day: string; model: string; costNano: Nano; unpricedRuns?: number }[],
): Reconciliation {
  const unattributedDays = new Set<string>()
  const byDay = new Map<string, Set<string>>()
  for (const l of exported) {
    const models = byDay.get(l.day) ?? new Set<string>()
    models.add(l.model)
    byDay.set(l.day, models)
  }
  for (const [day, models] of byDay) if (models.size === 1 && models.has('')) unattributedDays.add(day)
  const rows = new Map<string, ReconciliationRow>()
  const row = (day: string, model: string) => {
    const key = `${day}|${model}`
    let r = rows.get(key)
    if (!r) {
      r = { day, model, providerNano: 0n, trackedNano: 0n, differenceNano: 0n, unpricedRuns: 0 }
      rows.set(key, r)
    }
    return r
  }
  for (const l of exported) row(l.day, l.model).providerNano += l.costNano
  for (const t of tracked) {
    const r = row(t.day, unattributedDays.has(t.day) ? '' : t.model)
    r.trackedNano += t.costNano
    r.unpricedRuns += t.unpricedRuns ?? 0
  }
  let providerTotalNano = 0n
  let trackedTotalNano = 0n
  let missingNano = 0n
  let overNano = 0n
  const list = [...rows.values()].sort((a, b) =>
    a.day === b.day ? a.model.localeCompare(b.model) : a.day < b.day ? -1 : 1,
  )
  for (const r of list) {
    r.differenceNano = r.providerNano - r.trackedNano
    providerTotalNano += r.providerNano
    trackedTotalNano += r.trackedNano
    if (r.differenceNano > 0n) missingNano += r.differenceNano
    else overNano -= r.differenceNano
  }
  const captureRatePct =
    providerTotalNano === 0n ? null : Number(((providerTotalNano - missingNano) * 10_000n) / providerTotalNano) / 100
  return { rows: list, providerTotalNano, trackedTotalNano, missingNano, overNano, captureRatePct }
}
