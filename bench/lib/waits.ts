/**
 * Samples pg_stat_activity while a phase runs: how many of the bench's sessions, on average, were waiting on
 * what (a row lock held by another transaction, the client, I/O …), and in which statement. It is how a bench
 * shows that calls queue on a hot row rather than on CPU.
 */
import { createDb, poolOf } from '@costwise/db'

export interface WaitSample {
  what: string
  avgSessions: number
}

export function sampleWaits(url: string, applicationName: string, everyMs = 10) {
  const db = createDb(url, { max: 1, applicationName: 'bench-wait-sampler' })
  const pool = poolOf(db)
  pool.on('error', () => {})
  const counts = new Map<string, number>()
  let samples = 0
  let running = true
  const loop = (async () => {
    while (running) {
      const { rows } = await pool.query<{ state: string; wait: string | null; q: string }>(
        `select state, wait_event_type || ':' || wait_event as wait,
                left(regexp_replace(query, '\\s+', ' ', 'g'), 60) as q
         from pg_stat_activity where application_name = $1`,
        [applicationName],
      )
      samples++
      for (const r of rows) {
        if (r.state === 'idle') continue
        const key =
          r.state === 'active'
            ? `${r.wait ?? 'on CPU'} in "${r.q}…"`
            : `${r.state} (waiting for the app) after "${r.q}…"`
        counts.set(key, (counts.get(key) ?? 0) + 1)
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs))
    }
  })()
  return {
    async stop(top = 4): Promise<WaitSample[]> {
      running = false
      await loop
      await db.destroy()
      return [...counts.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([what, n]) => ({ what, avgSessions: n / Math.max(1, samples) }))
    },
  }
}
