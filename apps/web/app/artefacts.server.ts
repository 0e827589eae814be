import { createArtefactStore, type ArtefactStore } from '@costwise/api'
import { env } from './env.server'

// Generated reports (and usage archives), read from the folder the worker writes them to. One store per
// process; in development the module is re-evaluated on every change, so it is parked on globalThis.
const globalForStore = globalThis as unknown as { __costwiseArtefacts?: ArtefactStore }

export const artefacts: ArtefactStore =
  globalForStore.__costwiseArtefacts ?? createArtefactStore({ kind: 'fs', dir: env.ARTEFACT_DIR })
if (env.NODE_ENV !== 'production') globalForStore.__costwiseArtefacts = artefacts
