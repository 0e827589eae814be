import { createDb, type Db } from '@costwise/db'
import { env } from './env.server'

// One pool per process, parked on globalThis: in development the module is re-evaluated on every change,
// and in production server.ts (the streamed export route) and the Remix build load separate copies of it.
const globalForDb = globalThis as unknown as { __costwiseDb?: Db }

export const db: Db = (globalForDb.__costwiseDb ??= createDb(env.DATABASE_URL, { applicationName: 'costwise-web' }))
