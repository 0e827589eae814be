/**
 * A second reading of the published prices, for tests: it parses price strings by hand and rounds each
 * component half up, without money.ts or calculateCost, so a savings figure checked against it is checked
 * independently of the code that computed it.
 */

/** "0.40" USD (per 1M tokens, or an amount) → nano-dollars, parsed by hand. */
export function usdStringToNano(price: string): bigint {
  const [whole, frac = ''] = price.split('.')
  return BigInt(whole!) * 1_000_000_000n + BigInt((frac + '000000000').slice(0, 9))
}

/** tokens × rate (nano per 1M) / 1M × keep / of, rounded half up. */
function part(tokens: number, rate: bigint, keep: bigint, of: bigint): bigint {
  const num = BigInt(tokens) * rate * keep
  const den = 1_000_000n * of
  return (num * 2n + den) / (2n * den)
}

/** List prices (USD per 1M tokens) of the models the planted histories use, copied from the providers' pages. */
export const PUBLISHED_PRICES = {
  'gpt-4o': { input: '2.50', output: '10.00', cached: '1.25' },
  'gpt-4.1-mini': { input: '0.40', output: '1.60', cached: '0.10' },
  'gpt-4.1-nano': { input: '0.10', output: '0.40', cached: '0.025' },
  'gpt-4o-mini': { input: '0.15', output: '0.60', cached: '0.075' },
  'claude-haiku-4-5': { input: '1.00', output: '5.00', cached: '0.10' },
  'costwise-demo': { input: '1.00', output: '4.00', cached: '0.25' },
  'costwise-demo-mini': { input: '0.10', output: '0.40', cached: '0.025' },
} as const

/** The cost of one call: uncached input, cached input and output, each rounded once; `batchPct` off everything. */
export function independentCost(
  model: keyof typeof PUBLISHED_PRICES,
  u: { input: number; output: number; cached?: number },
  batchPct = 0,
): bigint {
  const p = PUBLISHED_PRICES[model]
  const keep = BigInt(10_000 - batchPct * 100)
  const cached = u.cached ?? 0
  return (
    part(u.input - cached, usdStringToNano(p.input), keep, 10_000n) +
    part(cached, usdStringToNano(p.cached), keep, 10_000n) +
    part(u.output, usdStringToNano(p.output), keep, 10_000n)
  )
}
