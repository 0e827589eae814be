import {
  AppError,
  diffPriceFile,
  effectiveDateSchema,
  mergedImportPrice,
  parsePriceFile,
  priceFor,
  type ImportDiff,
  type ParsedPriceFile,
} from '@costwise/core'
import { audit, prices, teams, type Db } from '@costwise/db'
import { invalidateTeamPricing } from './pricing'

export interface PriceImportOptions {
  format?: 'litellm' | 'costwise'
  /** The date the imported prices take effect (YYYY-MM-DD, 00:00 UTC). Without it nothing is written. */
  effective?: string
  /** Also import models the catalogue does not list (by default only catalogue models are updated). */
  includeNew?: boolean
  /** Where the prices come from, recorded on each version when an entry names no source of its own. */
  source?: string
}

export interface PriceImportResult {
  format: ParsedPriceFile['format']
  /** The date compared with (the effective date, or today). */
  comparedAt: string
  diff: ImportDiff
  skipped: ParsedPriceFile['skipped']
  notes: ParsedPriceFile['notes']
  /** Price versions written (0 without `effective`). */
  written: number
}

/**
 * Reads a price file and compares it with the list prices in effect (catalogue and earlier imports) on the
 * effective date; with `effective`, writes the changed catalogue models (and, with `includeNew`, the new models)
 * as dated list-price versions in one transaction. A field the file leaves out keeps its current value. Teams'
 * custom prices are untouched. Re-price history afterwards with `repriceWindow`.
 */
export async function importPrices(db: Db, text: string, options: PriceImportOptions = {}): Promise<PriceImportResult> {
  if (options.effective !== undefined && !effectiveDateSchema.safeParse(options.effective).success) {
    throw new AppError('BAD_INPUT', `--effective "${options.effective}" must be a real date written YYYY-MM-DD.`, {
      field: 'effective',
    })
  }
  const parsed = parsePriceFile(text, options.format)
  const comparedAt = options.effective ?? new Date().toISOString().slice(0, 10)
  const at = new Date(`${comparedAt}T00:00:00Z`)
  const imported = await prices.listImportedPrices(db)
  const diff = diffPriceFile(parsed.entries, at, { imported })
  let written = 0
  if (options.effective) {
    const effective = options.effective
    const rows = [...diff.changed, ...(options.includeNew ? diff.added : [])].map((item) => {
      const current = item.status === 'changed' ? priceFor(item.model ?? item.name, at, { imported }).version : null
      // A list price, not a team's: compare and merge with the undiscounted version.
      return {
        ...mergedImportPrice(current, item.entry),
        model: item.model ?? item.name,
        provider: item.provider,
        effectiveFrom: effective,
        displayName: item.entry.displayName ?? null,
        sourceUrl: item.entry.sourceUrl ?? options.source ?? null,
        importedFrom: parsed.format,
      }
    })
    if (rows.length > 0) {
      await db.transaction().execute(async (trx) => {
        const ids = await prices.upsertImportedPrices(trx, rows)
        written = ids.length
        // List prices apply to every team, so every team's audit log gets the change, in the same transaction.
        const summary = {
          effectiveFrom: effective,
          format: parsed.format,
          source: options.source ?? null,
          models: rows.map((r, i) => ({
            model: r.model,
            priceId: ids[i],
            inputPerMTok: r.inputPerMTok,
            outputPerMTok: r.outputPerMTok,
          })),
          changes: diff.changed.map((c) => ({ model: c.model ?? c.name, changes: c.changes })),
        }
        for (const team of await teams.listTeams(trx)) {
          await audit.record(trx, {
            teamId: team.id,
            actor: { kind: 'cli' },
            action: 'prices.changed',
            target: { type: 'price_import', id: effective },
            after: summary,
          })
        }
      })
      await invalidateTeamPricing(null)
    }
  }
  return { format: parsed.format, comparedAt, diff, skipped: parsed.skipped, notes: parsed.notes, written }
}
