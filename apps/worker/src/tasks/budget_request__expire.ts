import { expireRequests } from '@costwise/api'
import type { Db } from '@costwise/db'

/** Each minute: pending budget requests whose budget period has ended expire (the requester is told). */
export async function budgetRequestExpire(db: Db, now = new Date()): Promise<number> {
  let total = 0
  for (;;) {
    const expired = await expireRequests(db, now)
    total += expired
    if (expired < 500) return total
  }
}
