import { archiveExpiredMonths, type ArtefactStore } from '@costwise/api'
import type { Db } from '@costwise/db'

/** Monthly: archives usage months past every team's retention to the artefact store, then drops them. */
export function partitionArchiveOld(db: Db, store: ArtefactStore) {
  return archiveExpiredMonths(db, store, new Date())
}
