import { AppError, costExportProviderSchema, nanoToUsd, parseCostExport, reconcile, usdToNano } from '@costwise/core'
import { reconciliation, type Db } from '@costwise/db'
import { z } from 'zod'
import type { TeamScope } from '../trpc'

const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month must be written YYYY-MM, e.g. 2026-11')

export const reconciliationQuerySchema = z.object({ provider: costExportProviderSchema, month: monthSchema })

/** An export is at most 5 MB of text (a month of daily buckets per model is far less). */
export const MAX_EXPORT_CHARS = 5_000_000
export const costImportInputSchema = z.object({
  provider: costExportProviderSchema,
  month: monthSchema,
  fileName: z.string().trim().max(300).optional(),
  content: z.string().min(1, 'the export is empty').max(MAX_EXPORT_CHARS, 'the export is larger than 5 MB'),
})

const rowSchema = z.object({
  day: z.string(),
  model: z.string(),
  providerUsd: z.string(),
  trackedUsd: z.string(),
  differenceUsd: z.string(),
  unpricedRuns: z.number(),
})
export const reconciliationSchema = z.object({
  provider: costExportProviderSchema,
  month: z.string(),
  imported: z.object({ fileName: z.string().nullable(), format: z.string(), importedAt: z.string() }).nullable(),
  providerTotalUsd: z.string(),
  trackedTotalUsd: z.string(),
  /** Spend the provider billed that Costwise did not see, summed over days and models. */
  missingUsd: z.string(),
  /** Tracked above what the provider billed. */
  overUsd: z.string(),
  captureRatePct: z.number().nullable(),
  rows: z.array(rowSchema),
})
export type ReconciliationView = z.infer<typeof reconciliationSchema>

function monthWindow(month: string) {
  const start = new Date(`${month}-01T00:00:00Z`)
  const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1))
  return { start, end, first: `${month}-01` }
}

/** Compares the team's imported export for a provider and month with what it tracked (UTC days). */
export async function getReconciliation(
  db: Db,
  team: TeamScope,
  input: z.infer<typeof reconciliationQuerySchema>,
): Promise<ReconciliationView> {
  const { start, end, first } = monthWindow(input.month)
  const [stored, tracked] = await Promise.all([
    reconciliation.findCostImport(db, team.id, input.provider, first),
    reconciliation.trackedCostByDayAndModel(db, team.id, input.provider, start, end),
  ])
  const result = reconcile(
    (stored?.lines ?? []).map((l) => ({ day: l.day, model: l.model, costNano: usdToNano(l.costUsd) })),
    tracked.map((t) => ({
      day: t.day,
      model: t.model,
      costNano: usdToNano(t.costUsd),
      unpricedRuns: Number(t.unpricedRuns),
    })),
  )
  return {
    provider: input.provider,
    month: input.month,
    imported: stored
      ? { fileName: stored.file_name, format: stored.format, importedAt: stored.created_at.toISOString() }
      : null,
    providerTotalUsd: nanoToUsd(result.providerTotalNano),
    trackedTotalUsd: nanoToUsd(result.trackedTotalNano),
    missingUsd: nanoToUsd(result.missingNano),
    overUsd: nanoToUsd(result.overNano),
    captureRatePct: stored ? result.captureRatePct : null,
    rows: result.rows.map((r) => ({
      day: r.day,
      model: r.model,
      providerUsd: nanoToUsd(r.providerNano),
      trackedUsd: nanoToUsd(r.trackedNano),
      differenceUsd: nanoToUsd(r.differenceNano),
      unpricedRuns: r.unpricedRuns,
    })),
  }
}

/**
 * Stores a provider's cost export for a month (replacing an earlier one) and returns the comparison. Lines
 * outside the month are refused, naming the first such day.
 */
export async function importCostExport(
  db: Db,
  team: TeamScope,
  input: z.infer<typeof costImportInputSchema>,
): Promise<ReconciliationView> {
  const parsed = parseCostExport(input.content, input.provider)
  if (parsed.provider !== input.provider) {
    throw new AppError('BAD_INPUT', `The export looks like ${parsed.provider}'s, not ${input.provider}'s.`, {
      field: 'provider',
    })
  }
  const outside = parsed.lines.find((l) => !l.day.startsWith(input.month))
  if (outside) {
    throw new AppError(
      'BAD_INPUT',
      `The export has costs on ${outside.day}, outside ${input.month}; export one month at a time.`,
      { field: 'month' },
    )
  }
  await db.transaction().execute((trx) =>
    reconciliation.replaceCostImport(trx, {
      teamId: team.id,
      provider: parsed.provider,
      format: parsed.format,
      month: monthWindow(input.month).first,
      fileName: input.fileName ?? null,
      totalUsd: nanoToUsd(parsed.totalNano),
      importedBy: team.userId,
      lines: parsed.lines.map((l) => ({ day: l.day, model: l.model, costUsd: nanoToUsd(l.costNano) })),
    }),
  )
  return getReconciliation(db, team, { provider: input.provider, month: input.month })
}
