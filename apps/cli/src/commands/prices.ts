import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { importPrices, repriceUnpriced, repriceWindow, type PriceImportResult, type RepriceResult } from '@costwise/api'
import { AppError, effectiveDateSchema, type ImportDiffItem } from '@costwise/core'
import { teams, type Db } from '@costwise/db'
import { z } from 'zod'
import { parseOptions } from '../options'

const importInput = z.object({
  file: z.string().min(1),
  effective: effectiveDateSchema.optional(),
  format: z.enum(['litellm', 'costwise'], { error: 'expected litellm or costwise' }).optional(),
  new: z.boolean().optional(),
  source: z.url('expected a URL').optional(),
})

/** `costwise prices import FILE [--effective YYYY-MM-DD] [--format …] [--new] [--source URL]` */
export async function pricesImport(db: Db, raw: unknown): Promise<{ result: PriceImportResult; text: string }> {
  const input = parseOptions(importInput, raw)
  let text: string
  try {
    text = await readFile(input.file, 'utf8')
  } catch (error) {
    throw new AppError('BAD_INPUT', `Cannot read ${input.file}: ${(error as Error).message}`, { field: 'file' })
  }
  const result = await importPrices(db, text, {
    format: input.format,
    effective: input.effective,
    includeNew: input.new ?? false,
    source: input.source,
  })
  return {
    result,
    text: formatImport(path.basename(input.file), result, input.effective !== undefined, input.new ?? false),
  }
}

const KIND_LABEL: Record<string, string> = {
  cachedInput: 'cached input',
  cacheWrite: 'cache write',
  audioInput: 'audio input',
  imageInput: 'image input',
  batchDiscountPct: 'batch discount %',
}

function describeChanges(item: ImportDiffItem): string {
  return item.changes.map((c) => `${KIND_LABEL[c.kind] ?? c.kind} ${c.before ?? '(none)'} → ${c.after}`).join('; ')
}

function describeEntry(item: ImportDiffItem): string {
  const e = item.entry
  const parts = [`input ${e.inputPerMTok}`, `output ${e.outputPerMTok}`]
  if (e.cachedInputPerMTok) parts.push(`cached ${e.cachedInputPerMTok}`)
  if (e.audioInputPerMTok) parts.push(`audio ${e.audioInputPerMTok}`)
  return `${item.provider}: ${parts.join(', ')} per 1M tokens`
}

export function formatImport(file: string, r: PriceImportResult, applied: boolean, includeNew: boolean): string {
  const lines: string[] = []
  const total = r.diff.added.length + r.diff.changed.length + r.diff.unchanged.length + r.diff.aliases.length
  lines.push(
    `${file} (${r.format === 'litellm' ? 'LiteLLM format' : 'Costwise format'}): ${total} priced models compared with the list prices in effect on ${r.comparedAt} (USD per 1M tokens).`,
  )
  lines.push(`Changed (${r.diff.changed.length}):`)
  for (const item of r.diff.changed) lines.push(`  ${item.name}: ${describeChanges(item)}`)
  const differingAliases = r.diff.aliases.filter((a) => a.changes.length > 0)
  lines.push(
    `Other names of catalogue models (${r.diff.aliases.length}, priced by their model, not imported)${differingAliases.length ? `; ${differingAliases.length} priced differently in the file:` : ', all at the same price.'}`,
  )
  for (const item of differingAliases) lines.push(`  ${item.name} (= ${item.model}): ${describeChanges(item)}`)
  lines.push(
    `New models the catalogue does not list (${r.diff.added.length})${includeNew ? '' : ' — imported only with --new'}:`,
  )
  for (const item of r.diff.added.slice(0, 50)) lines.push(`  ${item.name} (${describeEntry(item)})`)
  if (r.diff.added.length > 50) lines.push(`  … and ${r.diff.added.length - 50} more`)
  lines.push(`Unchanged: ${r.diff.unchanged.length}.`)
  if (r.skipped.length)
    lines.push(
      `Skipped ${r.skipped.length} entries not priced per token (${[...new Set(r.skipped.map((s) => s.reason))].slice(0, 3).join('; ')}).`,
    )
  for (const note of r.notes.slice(0, 20)) lines.push(`Note: ${note.name}: ${note.note}.`)
  if (r.notes.length > 20) lines.push(`… and ${r.notes.length - 20} more notes.`)
  lines.push(
    applied
      ? `Wrote ${r.written} price versions effective ${r.comparedAt}. Re-price usage since then with: costwise usage reprice --from ${r.comparedAt}`
      : 'Nothing written: add --effective YYYY-MM-DD to apply these prices from that date.',
  )
  return lines.join('\n')
}

const repriceInput = z
  .object({
    from: effectiveDateSchema.optional(),
    to: effectiveDateSchema.optional(),
    team: z.string().min(1).optional(),
  })
  .refine((o) => !o.to || (o.from !== undefined && o.to >= o.from), {
    error: 'must be on or after --from (and needs --from)',
    path: ['to'],
  })

/**
 * `costwise usage reprice [--from YYYY-MM-DD [--to YYYY-MM-DD]] [--team SLUG]`: with --from, every row of the
 * window (UTC days, --to inclusive) is priced again; without, only unpriced rows.
 */
export async function usageReprice(db: Db, raw: unknown): Promise<{ result: RepriceResult; text: string }> {
  const input = parseOptions(repriceInput, raw)
  let teamId: string | undefined
  if (input.team) {
    const team = await teams.findTeamBySlug(db, input.team)
    if (!team) throw new AppError('NOT_FOUND', `No team with slug "${input.team}".`, { field: 'team' })
    teamId = team.id
  }
  if (!input.from) {
    const result = await repriceUnpriced(db, { teamId })
    const text =
      `Repriced ${result.repriced} of ${result.examined} unpriced rows` +
      (result.stillUnpriced ? `; ${result.stillUnpriced} still have no price (add one, then run this again)` : '') +
      (result.teams.length ? `. Refreshed rollups and budgets of: ${result.teams.join(', ')}` : '.')
    return { result, text }
  }
  const start = new Date(`${input.from}T00:00:00Z`)
  const end = input.to ? new Date(Date.parse(`${input.to}T00:00:00Z`) + 86_400_000) : undefined
  const result = await repriceWindow(db, { teamId, start, end })
  const lines = [
    `Re-priced ${result.examined} rows from ${input.from} ${input.to ? `to ${input.to}` : 'on'} (UTC): ${result.changed} changed` +
      (result.repriced ? ` (${result.repriced} priced for the first time)` : '') +
      `, ${result.stillUnpriced} without a price. Total ${result.deltaUsd.startsWith('-') ? '' : '+'}$${result.deltaUsd}.`,
  ]
  for (const c of result.changes) lines.push(`  ${c.team} ${c.model}: ${c.rows} rows, $${c.beforeUsd} → $${c.afterUsd}`)
  if (result.teams.length)
    lines.push(
      `Rebuilt the rollups of the days changed and restated current budget spend for: ${result.teams.join(', ')}.`,
    )
  return { result, text: lines.join('\n') }
}
