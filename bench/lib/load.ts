/** Closed-loop load: `workers` callers, each calling `fn` again as soon as it returns, for `seconds`. */
export async function sustained(workers: number, seconds: number, fn: () => Promise<number>) {
  const latencies: number[] = []
  let units = 0
  const end = performance.now() + seconds * 1000
  const started = performance.now()
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < end) {
        const t = performance.now()
        const done = await fn() // (not `units += await fn()`: that reads `units` before the await)
        units += done
        latencies.push(performance.now() - t)
      }
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  return { units, elapsed, perSecond: units / elapsed, latencies }
}
