import { UNAVAILABLE_RETRY_SECONDS } from '@costwise/api'
import { pingDb } from '@costwise/db'
import { db } from '../db.server'

/** 200 when the database answers; 503 with Retry-After while it doesn't (load balancers and `cli start` read it). */
export async function loader() {
  const up = await pingDb(db)
  return Response.json(up ? { ok: true, db: 'up' } : { ok: false, db: 'down' }, {
    status: up ? 200 : 503,
    headers: { 'Cache-Control': 'no-store', ...(up ? {} : { 'Retry-After': String(UNAVAILABLE_RETRY_SECONDS) }) },
  })
}
