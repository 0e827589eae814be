// @costwise/core — pure domain rules: money, pricing, token estimates, budget periods, tiers, roles.
// No I/O, no environment, no database, no network.

export * from './errors'
export * from './money'
export * from './tiers'
export * from './roles'
export * from './access/scopes'
export * from './access/access'
export * from './access/audit'
export * from './text'
export * from './change'
export * from './days'
export * from './usage-fields'
export * from './time-format'

export * from './pricing/types'
export { MODELS, CATALOG_VERSION } from './pricing/catalog'
export {
  resolveModel,
  resolveModelName,
  snapshotOf,
  normalizeModelName,
  effectiveTime,
  effectiveEnd,
  type Resolution,
  getModel,
  listModels,
  catalogPriceAt,
  type ModelSummary,
  type ModelGroup,
} from './pricing/resolve'
export { priceAt, priceFor, modelKey, type PriceLookup } from './pricing/price'
export {
  calculateCost,
  costWithVersion,
  cheaperAlternatives,
  ratesFor,
  type CostResult,
  type CostBreakdown,
  type CostOptions,
  type Alternative,
  type AlternativesOptions,
} from './pricing/cost'
export * from './pricing/usage'

export {
  ENCODINGS,
  TOKENIZER_BACKENDS,
  DEFAULT_TOKENIZER_BACKEND,
  isEncodingName,
  loadEncoding,
  isEncodingLoaded,
  createTokenizer,
  type EncodingName,
  type TokenizerBackend,
} from './tokens/encodings'
export type { GuardedTokenizer } from './tokens/guarded'
export * from './tokens/estimate'

export * from './budgets/periods'
export * from './budgets/thresholds'
export * from './budgets/order'
export * from './budgets/scope'
export * from './budgets/input'
export * from './budgets/requests'
export * from './budgets/allocations'
export * from './reports/schedule'
export * from './reports/input'
export * from './pricing/import'
export * from './reconciliation'
export * from './allocation/cost-centers'
export * from './allocation/input'
export * from './budgets/suggest'

export * from './stats'
export * from './random'
export { MODEL_CAPABILITIES, type CapabilityClass, type Modality, type ModelCapabilities } from './pricing/catalog'
export * from './recommendations/types'
export { RULES as RECOMMENDATION_RULES } from './recommendations/rules'
export { detectRecommendations } from './recommendations/engine'
export { reprice, candidateModels, cacheableTokens } from './recommendations/reprice'
export { efficiencyScores, scoreFrom, describeScore, SCORE_WEIGHTS } from './recommendations/score'
export * from './forecast/forecast'
export * from './forecast/backtest'
export * from './forecast/synthetic'
export * from './anomalies/detect'
export { describeRecommendation, type DescribableRecommendation } from './recommendations/describe'
export { promptTokenFacts } from './recommendations/prompt-facts'
