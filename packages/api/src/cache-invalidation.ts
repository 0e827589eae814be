import { cacheChanges, poolOf, type Db } from '@costwise/db'
import { invalidate, invalidateAll, invalidatePrefix, setCacheListening } from './cache'

/**
 * Keeps this process's cache in step with the database: listens for the change announcements of the cached
 * tables and drops what changed. Until it listens — and whenever the connection drops — the cache is not used
 * (reads go to the database), and everything cached is dropped when it listens again.
 */
export function startCacheInvalidation(db: Db, onError?: (error: unknown) => void): cacheChanges.CacheListener {
  const connectionString = poolOf(db).options.connectionString
  if (!connectionString) throw new Error('startCacheInvalidation: the pool has no connection string')
  return cacheChanges.listenForCacheChanges(connectionString, {
    onChange: (change) => void dropChanged(change),
    onState: (listening) => {
      setCacheListening(listening)
      if (listening) void invalidateAll()
    },
    onError,
  })
}

/** What a change of each table makes stale (the keys are those of `cached(...)` in trpc.ts, auth and pricing). */
async function dropChanged({ table, teamId }: cacheChanges.CacheChange): Promise<void> {
  switch (table) {
    case 'api_keys':
      return invalidatePrefix('apikey:')
    case 'teams':
      return teamId ? invalidate(`team:${teamId}`) : invalidatePrefix('team:')
    case 'model_prices':
      return invalidate(teamId ? `prices:${teamId}` : 'prices:imported')
    case 'team_price_discounts':
      return teamId ? invalidate(`discounts:${teamId}`) : invalidatePrefix('discounts:')
    case 'team_model_mappings':
      return teamId ? invalidate(`mappings:${teamId}`) : invalidatePrefix('mappings:')
    default:
      return invalidateAll()
  }
}
