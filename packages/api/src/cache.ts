import { createStorage, type Storage } from 'unstorage'
import memoryDriver from 'unstorage/drivers/memory'

/**
 * Short-lived read-through cache for data that changes rarely and is read on every tracked call (a team's
 * custom prices, an API key's team). unstorage with the memory driver by default, as the brief says; budget
 * enforcement never reads from it.
 */
let storage: Storage = createStorage({ driver: memoryDriver() })

/** Points the cache at another unstorage instance (e.g. a shared driver across web processes). */
export function configureCache(next: Storage): void {
  storage = next
}

interface Entry<T> {
  value: T
  expires: number
}

export async function cached<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
  // Raw values: the memory driver keeps the object itself (Dates stay Dates), no JSON round trip.
  const hit = (await storage.getItemRaw(key)) as Entry<T> | null
  if (hit && hit.expires > Date.now()) return hit.value
  const value = await load()
  await storage.setItemRaw(key, { value, expires: Date.now() + ttlMs } satisfies Entry<T>)
  return value
}

export async function invalidate(key: string): Promise<void> {
  await storage.removeItem(key)
}
