import pg from 'pg'

/** The channel the cache triggers announce changes on (migration 2026-12-03T1200_cache_notify). */
export const CACHE_CHANNEL = 'costwise_cache'

export interface CacheChange {
  /** The table that changed: api_keys, teams, model_prices, team_price_discounts, team_model_mappings. */
  table: string
  /** The team whose row changed; null for rows of no team (imported list prices). */
  teamId: string | null
}

export interface CacheListener {
  stop(): Promise<void>
}

/**
 * Listens on its own connection (LISTEN needs one session) for changes of cached rows. `onState(true)` once
 * listening; `onState(false)` when the connection drops — changes may be missed until it is back, so the
 * caller must stop trusting its cache — and the listener reconnects (backing off up to 5 s) until stopped.
 */
export function listenForCacheChanges(
  connectionString: string,
  handlers: { onChange(change: CacheChange): void; onState(listening: boolean): void; onError?(error: unknown): void },
): CacheListener {
  let client: pg.Client | null = null
  let stopped = false
  let delay = 100
  let timer: NodeJS.Timeout | null = null

  const connect = async () => {
    if (stopped) return
    const next = new pg.Client({ connectionString, application_name: 'costwise-cache-listener' })
    client = next
    const lost = (error?: unknown) => {
      if (client !== next) return
      client = null
      handlers.onState(false)
      if (error) handlers.onError?.(error)
      next.removeAllListeners()
      next.end().catch(() => {})
      if (!stopped) {
        timer = setTimeout(connect, delay)
        delay = Math.min(delay * 2, 5_000)
      }
    }
    next.on('error', lost)
    next.on('end', () => lost())
    next.on('notification', (message) => {
      if (message.channel !== CACHE_CHANNEL || !message.payload) return
      const at = message.payload.indexOf(':')
      const table = at < 0 ? message.payload : message.payload.slice(0, at)
      const team = at < 0 ? '' : message.payload.slice(at + 1)
      handlers.onChange({ table, teamId: team || null })
    })
    try {
      await next.connect()
      await next.query(`listen ${CACHE_CHANNEL}`)
      if (client !== next) return
      delay = 100
      handlers.onState(true)
    } catch (error) {
      lost(error)
    }
  }
  void connect()

  return {
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      const current = client
      client = null
      handlers.onState(false)
      if (current) {
        current.removeAllListeners()
        current.on('error', () => {})
        await current.end().catch(() => {})
      }
    },
  }
}
