import { Readable } from 'node:stream'
import { buffer } from 'node:stream/consumers'
import { createGzip, gunzipSync } from 'node:zlib'
import { AppError, usdToNano } from '@costwise/core'
import { archives, type Db } from '@costwise/db'
import type { ArtefactStore } from '../artefacts'

const MONTH = /^\d{4}-\d{2}$/

export function monthStart(month: string): string {
  if (!MONTH.test(month))
    throw new AppError('BAD_INPUT', `--month: expected YYYY-MM, got "${month}".`, { field: 'month' })
  return `${month}-01`
}

/**
 * Archives one month of the usage log: COPY it out as CSV, gzip it into the artefact store, check the copy,
 * then detach and drop the partition. Rollups are kept, so dashboards still show the month.
 */
export async function archiveMonth(db: Db, store: ArtefactStore, month: string) {
  const start = monthStart(month)
  const totals = await archives.monthTotals(db, start)
  const gz = await buffer((await archives.copyMonthOut(db, start)).pipe(createGzip()))
  const key = `archives/usage/${month}.csv.gz`
  await store.put(key, gz)
  const stored = await store.get(key)
  if (!stored || !stored.equals(gz))
    throw new Error(`The archive of ${month} did not read back intact; the partition is kept.`)
  await db.transaction().execute(async (trx) => {
    await archives.recordArchive(trx, { month: start, artefactKey: key, rows: totals.rows, costUsd: totals.costUsd })
    await archives.dropMonthPartition(trx, start)
  })
  return { month, key, rows: Number(totals.rows), costUsd: totals.costUsd, bytes: gz.length }
}

/** Loads an archived month back into the usage log and checks its row count and cost total exactly. */
export async function restoreMonth(db: Db, store: ArtefactStore, month: string) {
  const start = monthStart(month)
  const archive = await archives.findArchive(db, start)
  if (!archive)
    throw new AppError('NOT_FOUND', `No archive for ${month}. Archived months: see \`pnpm cli usage archives\`.`, {
      field: 'month',
    })
  const gz = await store.get(archive.artefact_key)
  if (!gz)
    throw new AppError('NOT_FOUND', `The archive file ${archive.artefact_key} is missing from the artefact store.`)
  const current = await archives.monthTotals(db, start).catch(() => null)
  if (current && Number(current.rows) > 0) {
    throw new AppError(
      'CONFLICT',
      `${month} already has ${current.rows} usage rows; it was restored before (or never archived).`,
    )
  }
  await archives.copyMonthIn(db, start, Readable.from(gunzipSync(gz)))
  const restored = await archives.monthTotals(db, start)
  if (restored.rows !== archive.row_count || usdToNano(restored.costUsd) !== usdToNano(archive.cost_usd)) {
    throw new Error(
      `Restored ${restored.rows} rows / $${restored.costUsd}, expected ${archive.row_count} / $${archive.cost_usd}.`,
    )
  }
  await archives.markRestored(db, start)
  return { month, rows: Number(restored.rows), costUsd: restored.costUsd }
}

/** Archives every month that ended more than the longest team retention ago. */
export async function archiveExpiredMonths(db: Db, store: ArtefactStore, now = new Date()) {
  const retention = await archives.maxRetentionMonths(db)
  const cutoff = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - retention, 1))
  const done = []
  for (const start of await archives.attachedMonthsBefore(db, cutoff))
    done.push(await archiveMonth(db, store, start.slice(0, 7)))
  return done
}
