import { expireReservations } from '@costwise/api'
import type { Db } from '@costwise/db'

/** Releases budget holds of reservations nobody settled in time (a crashed caller, a lost response). */
export async function reservationExpire(db: Db): Promise<number> {
  let total = 0
  for (;;) {
    const expired = await expireReservations(db, new Date(), 500)
    total += expired
    if (expired < 500) return total
  }
}
