import { createStorage, type Storage } from 'unstorage'
import memoryDriver from 'unstorage/drivers/memory'

/**
 * Short-lived read-through cache for data that changes rarely and is read on every tracked call (an API key,
 * its team, a team's custom prices). unstorage with the memory driver by default, as the brief says; budget
 * enforcement never reads from it.
 *
 * Several web processes each keep their own copy, so every change must reach all of them: the database
 * announces changes of the cached tables (`pg_notify` from triggers, channel `costwise_cache`) and each process
 * listens (`startCacheInvalidation` in ./cache-invalidation.ts) and drops what changed. A process that is not
 * listening (never started it, or its connection dropped) does not cache at all: it reads through, so a revoked
 * key or a changed price is seen at once either way.
 *
 * The state lives on globalThis: the web server and the Remix build may each load a copy of this module. It is
 * runtime state (what is cached, whether the listener is connected), not a setting: nothing configures it.
 */
interface CacheState {
  storage: Storage
  /** True while this process receives the database's change notifications. */
  listening: boolean
  /** Bumped by every invalidation: a value loaded across one is not kept (it may predate the change). */
  generation: number
}
const globalForCache = globalThis as unknown as { __costwiseCache?: CacheState }
const state: CacheState = (globalForCache.__costwiseCache ??= {
  storage: createStorage({ driver: memoryDriver() }),
  listening: false,
  generation: 0,
})

/** Whether change notifications reach this process (set by the invalidation listener). */
export function setCacheListening(listening: boolean): void {
  state.listening = listening
  state.generation++
}

export function cacheListening(): boolean {
  return state.listening
}

interface Entry<T> {
  value: T
  expires: number
}

export async function cached<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
  // Raw values: the memory driver keeps the object itself (Dates stay Dates), no JSON round trip.
  if (!state.listening) return load()
  const hit = (await state.storage.getItemRaw(key)) as Entry<T> | null
  if (hit && hit.expires > Date.now()) return hit.value
  const generation = state.generation
  const value = await load()
  // Something changed while this loaded (or the listener stopped): the value may be stale, so don't keep it.
  if (state.listening && state.generation === generation)
    await state.storage.setItemRaw(key, { value, expires: Date.now() + ttlMs } satisfies Entry<T>)
  return value
}

export async function invalidate(key: string): Promise<void> {
  state.generation++
  await state.storage.removeItem(key)
}

/** Drops every entry whose key starts with `prefix` (e.g. `apikey:` — all cached keys). */
export async function invalidatePrefix(prefix: string): Promise<void> {
  state.generation++
  const keys = await state.storage.getKeys()
  await Promise.all(keys.filter((k) => k.startsWith(prefix)).map((k) => state.storage.removeItem(k)))
}

/** Drops everything (the listener reconnected: changes may have been missed meanwhile). */
export async function invalidateAll(): Promise<void> {
  state.generation++
  await state.storage.clear()
}
