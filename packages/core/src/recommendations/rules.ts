/**
 * The thresholds the recommendation engine uses, in one place (docs/recommendations.md explains each).
 * They are chosen so that a team with healthy usage gets nothing: a recommendation must be worth acting on.
 */
export const RULES = {
  /** Window of history every recommendation is computed over, in days ("monthly" savings). */
  windowDays: 30,
  /** Fewest runs a prompt (or key) needs in the window before anything is said about it. */
  minRuns: 20,
  /** Smallest saving worth a card: one cent over the window. */
  minSavingsNano: 10_000_000n,
  /** cheaper_model: the suggested model must cost at most half as much ("far less"); the dearest such model is suggested. */
  cheaperModelMaxCostShare: 50,
  /** max_tokens: flagged when the p99 output is at most a third of maxOutputTokens. */
  maxTokensHeadroomFactor: 3,
  /** max_tokens: the suggestion is p99 × 1.2, rounded up to a multiple of 10. */
  maxTokensMargin: 1.2,
  /** prompt_caching: providers cache prefixes of at least this many tokens. */
  minCacheablePrefixTokens: 1024,
  /** prompt_caching: the saving must be at least this share (percent) of those runs' cost. */
  cachingMinSavingsPct: 5,
  /** batch_api: at least this many runs, most of them arriving in bulk. */
  batchMinRuns: 200,
  /** batch_api: a 15-minute slot with at least this many calls from one key is bulk traffic. */
  batchSlotRuns: 50,
  /** batch_api: share (percent) of the key's runs that must arrive in bulk slots. */
  batchBulkSharePct: 80,
  /** context_trimming: the variable part makes up at least this share (percent) of the average prompt. */
  trimmingVariableSharePct: 75,
  /** context_trimming: the input's p90 is at least this many times its median (a long tail). */
  trimmingTailRatio: 2.5,
  /** context_trimming: a cap at the p75 must save at least this share (percent) of the prompt's cost. */
  trimmingMinSavingsPct: 10,
  /** Efficiency score: input tokens per output token beyond which the balance component drops. */
  balanceMaxRatio: 50,
} as const
