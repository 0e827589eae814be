import { executeReportRun, type ArtefactStore } from '@costwise/api'
import type { Db } from '@costwise/db'
import { z } from 'zod'
import type { Mailer } from '../mail'

export const payloadSchema = z.object({ runId: z.uuid() })

/** Generates a report run (once) and delivers its emails (each once); a retry resumes where it stopped. */
export async function reportRun(db: Db, store: ArtefactStore, mailer: Mailer, rawPayload: unknown) {
  const { runId } = payloadSchema.parse(rawPayload)
  const run = await executeReportRun(db, store, runId)
  if (!run) return null
  return mailer.deliverPending(db, run.dedupePrefix)
}
