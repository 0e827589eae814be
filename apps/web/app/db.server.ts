import { createDb, type Db } from '@costwise/db'
import { env } from './env.server'

// One pool per process. In development the module is re-evaluated on every change, so the instance is
// parked on globalThis to avoid leaking a pool per edit.
const globalForDb = globalThis as unknown as { __costwiseDb?: Db }

export const db: Db = globalForDb.__costwiseDb ?? createDb(env.DATABASE_URL, { applicationName: 'costwise-web' })
if (env.NODE_ENV !== 'production') globalForDb.__costwiseDb = db
