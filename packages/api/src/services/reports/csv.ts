import { csvSafeText } from '@costwise/core'
import { stringify } from 'csv-stringify/sync'
import type { ReportData } from './build'

type Totals = ReportData['totals']
type Column = readonly [name: string, get: (g: Totals) => string | number]

const METRIC_COLUMNS: Record<ReportData['definition']['metrics'][number], readonly Column[]> = {
  cost: [['cost_usd', (g) => g.costUsd]],
  tokens: [
    ['input_tokens', (g) => g.inputTokens],
    ['output_tokens', (g) => g.outputTokens],
  ],
  runs: [['runs', (g) => g.runs]],
  avgCostPerRun: [['avg_cost_per_run_usd', (g) => g.avgCostPerRunUsd]],
  errors: [['errors', (g) => g.errors]],
  latency: [['avg_latency_ms', (g) => g.avgLatencyMs ?? '']],
}

/**
 * One row per group with the chosen metrics, then a TOTAL row; money as exact decimals. The group column is text
 * (a model, a day, an id) and is neutralised for spreadsheets; the metric columns are numbers and left alone.
 */
export function reportCsv(data: ReportData): Buffer {
  const columns = data.definition.metrics.flatMap((m) => METRIC_COLUMNS[m])
  if (data.allocation) {
    // The cost allocation report: a line per cost centre and one for "unallocated", exact amounts that add up
    // to the TOTAL line (the cost column is always there, whatever metrics were picked).
    const allocationColumns: readonly Column[] = [
      ['cost_usd', (g) => g.costUsd],
      ...columns.filter(([name]) => name !== 'cost_usd'),
    ]
    const byCode = new Map(data.groups.map((g) => [g.key, g]))
    const rows = [
      ['cost_center', 'name', ...allocationColumns.map(([name]) => name), 'share_percent'],
      ...data.allocation.map((line) => [
        csvSafeText(line.code ?? 'unallocated'),
        csvSafeText(line.name),
        ...allocationColumns.map(([, get]) => String(get(byCode.get(line.code)!))),
        line.sharePercent.toFixed(2),
      ]),
      ['TOTAL', '', ...allocationColumns.map(([, get]) => String(get(data.totals))), '100.00'],
    ]
    return Buffer.from(stringify(rows), 'utf8')
  }
  const rows = [
    [data.definition.groupBy, ...columns.map(([name]) => name)],
    ...data.groups.map((g) => [csvSafeText(g.key ?? '(none)'), ...columns.map(([, get]) => String(get(g)))]),
    ['TOTAL', ...columns.map(([, get]) => String(get(data.totals)))],
  ]
  return Buffer.from(stringify(rows), 'utf8')
}
