// Change against the previous period of the same length: the dashboard's summary cards and the reports (email and
// PDF) both say it with this one rule. Money comes in as exact nano-dollar bigints, counts as integers; the
// percentage has one decimal, rounded half away from zero (never truncated).

export interface Change {
  /** up / down / flat, or `new` when the previous period had nothing to compare with. */
  direction: 'up' | 'down' | 'flat' | 'new'
  /** Signed percentage with one decimal (e.g. 12.3 or -4.5); null when there is nothing to compare with. */
  percent: number | null
  /** What a reader sees, e.g. "+12.3%", "−4.5%", "0%", "new". */
  label: string
}

/** Percentage change from `previous` to `current`, rounded half away from zero to one decimal. */
export function changeBetween(current: bigint | number, previous: bigint | number): Change {
  const cur = BigInt(current)
  const prev = BigInt(previous)
  if (prev === 0n) {
    if (cur === 0n) return { direction: 'flat', percent: 0, label: '0%' }
    return { direction: 'new', percent: null, label: 'new' }
  }
  // Tenths of a percent, exactly: (cur − prev) × 1000 / |prev|, rounded half away from zero.
  const num = (cur - prev) * 1000n
  const den = prev < 0n ? -prev : prev
  const abs = num < 0n ? -num : num
  let tenths = abs / den
  if ((abs % den) * 2n >= den) tenths += 1n
  const signed = num < 0n ? -Number(tenths) : Number(tenths)
  const percent = signed / 10
  if (tenths === 0n) return { direction: 'flat', percent: 0, label: '0%' }
  const text = (Math.abs(percent) % 1 === 0 ? Math.abs(percent).toFixed(0) : Math.abs(percent).toFixed(1)).replace(
    /\B(?=(\d{3})+(?!\d))/g,
    ',',
  )
  return signed > 0
    ? { direction: 'up', percent, label: `+${text}%` }
    : { direction: 'down', percent, label: `−${text}%` }
}

/** A sentence for screen readers, e.g. "up 12.3% on the previous 30 days". */
export function describeChange(change: Change, previousLabel: string): string {
  switch (change.direction) {
    case 'up':
      return `up ${change.label.slice(1)} on ${previousLabel}`
    case 'down':
      return `down ${change.label.slice(1)} on ${previousLabel}`
    case 'flat':
      return `no change on ${previousLabel}`
    case 'new':
      return `nothing in ${previousLabel} to compare with`
  }
}
