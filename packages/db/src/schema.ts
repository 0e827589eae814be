import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

// Hand-written table types for db/migrations. Nullable columns are `T | null`, defaults are Generated<>.
// numeric columns arrive from pg as strings (exact decimals); bigint sums too. Timestamps are Date.

type Timestamp = ColumnType<Date, Date | string, Date | string>
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>
/** numeric(20,9) USD: read as an exact decimal string, written as a decimal string. */
type Usd = ColumnType<string, string, string>
type GeneratedUsd = ColumnType<string, string | undefined, string>
type NullableUsd = ColumnType<string | null, string | null | undefined, string | null>
/** bigint counters: pg returns int8 as string to stay exact. */
type BigCount = ColumnType<string, string | number | bigint | undefined, string | number | bigint>
type Json<T> = ColumnType<T, T | string | undefined, T | string>

export type Tier = 'free' | 'pro' | 'enterprise'
export type Role = 'owner' | 'admin' | 'member' | 'viewer'
export type UsageStatus = 'ok' | 'error' | 'blocked'
export type UsageFeature = 'lab' | 'preview' | 'improve' | 'api' | 'other'
export type BudgetScope = 'team' | 'user' | 'api_key' | 'prompt'
export type BudgetPeriod = 'day' | 'week' | 'month' | 'total'
export type BudgetMode = 'hard' | 'soft'
export type ReservationStatus = 'held' | 'settled' | 'released' | 'expired'
export type AlertLevel = 'info' | 'warning' | 'critical'

export interface UsersTable {
  id: Generated<string>
  email: string
  name: string
  password_hash: string
  created_at: GeneratedTimestamp
}

export interface UserProfilesTable {
  user_id: string
  created_at: GeneratedTimestamp
}

export interface TeamsTable {
  id: Generated<string>
  slug: string
  name: string
  time_zone: Generated<string>
  /** 12- or 24-hour clock for the team's times ('h23' writes midnight as 00:xx). */
  hour_cycle: Generated<'h12' | 'h23'>
  retention_months: Generated<number>
  /** The team's subscription plan; only the instance operator changes it (`pnpm cli team set-plan`). */
  plan: Generated<Tier>
  plan_changed_at: GeneratedTimestamp
  created_at: GeneratedTimestamp
}

export interface TeamMembersTable {
  team_id: string
  user_id: string
  role: Role
  created_at: GeneratedTimestamp
}

export interface SessionsTable {
  id: Generated<string>
  user_id: string
  token_hash: string
  created_at: GeneratedTimestamp
  expires_at: Timestamp
  last_seen_at: GeneratedTimestamp
  user_agent: string | null
}

export interface ApiKeysTable {
  id: Generated<string>
  team_id: string
  name: string
  prefix: string
  key_hash: string
  created_by: string | null
  created_at: GeneratedTimestamp
  last_used_at: Timestamp | null
  revoked_at: Timestamp | null
  /** API-key scopes (see @costwise/core `API_KEY_SCOPES`). */
  scopes: ColumnType<string[], string[] | undefined, string[]>
  expires_at: Timestamp | null
  /** Models the key may use; null = any. */
  allowed_models: ColumnType<string[] | null, string[] | null | undefined, string[] | null>
}

export interface PromptsTable {
  id: Generated<string>
  team_id: string
  name: string
  system_message: Generated<string>
  user_message: Generated<string>
  variables: Json<Record<string, string>>
  model: string
  max_output_tokens: Generated<number>
  created_by: string | null
  created_at: GeneratedTimestamp
  updated_at: GeneratedTimestamp
}

export interface PriceTierJson {
  aboveInputTokens: number
  inputPerMTok: string
  outputPerMTok: string
  cachedInputPerMTok?: string
}

export interface ModelPricesTable {
  id: Generated<string>
  team_id: string | null
  model: string
  provider: string
  effective_from: ColumnType<string, string, string>
  input_per_mtok: Usd
  output_per_mtok: Usd
  cached_input_per_mtok: NullableUsd
  cache_write_per_mtok: NullableUsd
  reasoning_per_mtok: NullableUsd
  batch_discount_pct: ColumnType<string | null, string | number | null | undefined, string | number | null>
  tiers: Json<PriceTierJson[]>
  source_url: string | null
  created_at: GeneratedTimestamp
  origin: Generated<'custom' | 'import'>
  /** Inclusive last day, or null while it lasts. */
  effective_to: ColumnType<string | null, string | null | undefined, string | null>
  audio_input_per_mtok: NullableUsd
  image_input_per_mtok: NullableUsd
  service_tiers: Json<Record<string, { inputPerMTok: string; outputPerMTok: string; cachedInputPerMTok?: string | null }>>
  per_call_usd: Json<Record<string, string>>
  display_name: string | null
  imported_from: string | null
}

export interface TeamPriceDiscountsTable {
  id: Generated<string>
  team_id: string
  provider: string | null
  model: string | null
  percent: ColumnType<string, string | number, string | number>
  effective_from: ColumnType<string, string, string>
  effective_to: ColumnType<string | null, string | null | undefined, string | null>
  note: string | null
  created_by: string | null
  created_at: GeneratedTimestamp
}

export interface TeamModelMappingsTable {
  team_id: string
  name: string
  model: string
  created_by: string | null
  created_at: GeneratedTimestamp
}

export interface ProviderCostImportsTable {
  id: Generated<string>
  team_id: string
  provider: 'openai' | 'anthropic'
  format: 'openai-costs-json' | 'anthropic-cost-csv' | 'anthropic-cost-json'
  month: ColumnType<string, string, string>
  file_name: string | null
  total_usd: Usd
  imported_by: string | null
  created_at: GeneratedTimestamp
}

export interface ProviderCostLinesTable {
  import_id: string
  team_id: string
  day: ColumnType<string, string, string>
  model: string
  cost_usd: Usd
}

export interface TokenUsageLogsTable {
  id: Generated<string>
  team_id: string
  occurred_at: Timestamp
  recorded_at: GeneratedTimestamp
  idempotency_key: string | null
  user_id: string | null
  api_key_id: string | null
  prompt_id: string | null
  reservation_id: string | null
  provider: string
  model: string
  resolved_model: string | null
  price_version: string | null
  priced: boolean
  feature: Generated<UsageFeature>
  status: Generated<UsageStatus>
  input_tokens: number
  output_tokens: number
  cached_input_tokens: Generated<number>
  cache_write_tokens: Generated<number>
  reasoning_tokens: Generated<number>
  cost_usd: Usd
  latency_ms: number | null
  metadata: Json<Record<string, unknown>>
  audio_input_tokens: Generated<number>
  image_input_tokens: Generated<number>
  service_tier: 'default' | 'flex' | 'priority' | null
  batch: Generated<boolean>
  tool_calls: Json<Record<string, number>>
  unpriced_reason: string | null
}

export interface UsageIdempotencyKeysTable {
  team_id: string
  idempotency_key: string
  usage_log_id: string
  occurred_at: Timestamp
  /** SHA-256 (hex) of the canonical event first recorded under this key; null for keys from before it was kept. */
  request_hash: string | null
  created_at: GeneratedTimestamp
}

export interface UsageRollupDailyTable {
  team_id: string
  day: ColumnType<string, string, string>
  model: string
  provider: string
  prompt_id: string | null
  user_id: string | null
  api_key_id: string | null
  feature: UsageFeature
  status: UsageStatus
  runs: BigCount
  input_tokens: BigCount
  output_tokens: BigCount
  cached_input_tokens: BigCount
  cache_write_tokens: BigCount
  reasoning_tokens: BigCount
  cost_usd: GeneratedUsd
  latency_ms_sum: BigCount
  unpriced_runs: BigCount
  updated_at: GeneratedTimestamp
}

/** Rollup per 15-minute slot (UTC-aligned; local hours and days of every zone are whole slots). */
export type UsageRollup15minTable = Omit<UsageRollupDailyTable, 'day'> & { slot: Timestamp }

export type EmailKind = 'alert' | 'report' | 'other'
export type EmailStatus = 'queued' | 'sent' | 'outbox' | 'failed'

export interface EmailAttachmentJson {
  filename: string
  contentType: string
  /** Where the bytes are kept (the artefact store key), or inline base64 for small files. */
  storageKey?: string
  base64?: string
}

export interface EmailMessagesTable {
  id: Generated<string>
  team_id: string | null
  kind: EmailKind
  dedupe_key: string | null
  to_address: string
  subject: string
  text_body: string
  html_body: string | null
  attachments: Json<EmailAttachmentJson[]>
  status: Generated<EmailStatus>
  attempts: Generated<number>
  last_error: string | null
  created_at: GeneratedTimestamp
  sent_at: Timestamp | null
}

export interface EmailDeliveryAttemptsTable {
  id: Generated<string>
  message_id: string
  attempted_at: GeneratedTimestamp
  ok: boolean
  transport: string
  error: string | null
}

export type ReportFormat = 'csv' | 'pdf'
export type ReportFrequency = 'none' | 'daily' | 'weekly' | 'monthly'
export type ReportRunStatus = 'queued' | 'running' | 'done' | 'failed'

export interface ReportSchedulesTable {
  id: Generated<string>
  team_id: string
  name: string
  created_by: string | null
  definition: Json<Record<string, unknown>>
  format: ReportFormat
  recipients: ColumnType<string[], string[] | undefined, string[]>
  frequency: Generated<ReportFrequency>
  time_of_day: Generated<string>
  day_of_week: number | null
  day_of_month: number | null
  next_run_at: Timestamp | null
  active: Generated<boolean>
  created_at: GeneratedTimestamp
  updated_at: GeneratedTimestamp
}

export interface ReportRunsTable {
  id: Generated<string>
  team_id: string
  schedule_id: string | null
  trigger: 'schedule' | 'manual' | 'cli'
  definition: Json<Record<string, unknown>>
  format: ReportFormat
  recipients: ColumnType<string[], string[] | undefined, string[]>
  status: Generated<ReportRunStatus>
  range_from: ColumnType<string | null, string | null | undefined, string | null>
  range_to: ColumnType<string | null, string | null | undefined, string | null>
  artefact_key: string | null
  size_bytes: number | null
  error: string | null
  created_at: GeneratedTimestamp
  finished_at: Timestamp | null
}

export interface UsageArchivesTable {
  month: ColumnType<string, string, string>
  artefact_key: string
  row_count: BigCount
  cost_usd: Usd
  archived_at: GeneratedTimestamp
  restored_at: Timestamp | null
}

export interface PromptRunHistoryTable {
  id: Generated<string>
  team_id: string
  prompt_id: string
  user_id: string | null
  usage_log_id: string | null
  model: string
  status: UsageStatus
  input_tokens: Generated<number>
  output_tokens: Generated<number>
  cached_input_tokens: Generated<number>
  reasoning_tokens: Generated<number>
  estimated_cost_usd: NullableUsd
  cost_usd: GeneratedUsd
  latency_ms: number | null
  time_to_first_token_ms: number | null
  output: string | null
  error: string | null
  created_at: GeneratedTimestamp
}

export interface UsageBudgetsTable {
  id: Generated<string>
  team_id: string
  name: string
  scope: BudgetScope
  scope_user_id: string | null
  scope_api_key_id: string | null
  scope_prompt_id: string | null
  period: BudgetPeriod
  time_zone: string | null
  limit_usd: Usd
  mode: Generated<BudgetMode>
  thresholds: ColumnType<number[], number[] | undefined, number[]>
  period_start: Timestamp
  spent_usd: GeneratedUsd
  reserved_usd: GeneratedUsd
  active: Generated<boolean>
  created_at: GeneratedTimestamp
  updated_at: GeneratedTimestamp
}

export interface BudgetReservationsTable {
  id: Generated<string>
  team_id: string
  idempotency_key: string | null
  model: string
  estimated_usd: Usd
  actual_usd: NullableUsd
  status: Generated<ReservationStatus>
  usage_log_id: string | null
  created_at: GeneratedTimestamp
  expires_at: Timestamp
  settled_at: Timestamp | null
}

export interface BudgetReservationItemsTable {
  reservation_id: string
  budget_id: string
  period_start: Timestamp
  amount_usd: Usd
}

export interface UsageAlertsTable {
  id: Generated<string>
  team_id: string
  budget_id: string
  period_start: Timestamp
  threshold: number
  level: AlertLevel
  spent_usd: Usd
  limit_usd: Usd
  created_at: GeneratedTimestamp
  read_at: Timestamp | null
  acknowledged_at: Timestamp | null
  acknowledged_by: string | null
  dismissed_at: Timestamp | null
  notified_at: Timestamp | null
}

export type AuditActorKind = 'user' | 'api_key' | 'cli' | 'system'

/** Append-only (the database refuses UPDATE, DELETE and TRUNCATE). */
export interface AuditLogTable {
  id: Generated<string>
  team_id: string
  occurred_at: GeneratedTimestamp
  actor_kind: AuditActorKind
  actor_user_id: string | null
  actor_api_key_id: string | null
  action: string
  target_type: string
  target_id: string | null
  /** JSON written as text (JSON.stringify), read back parsed. */
  before: ColumnType<unknown, string | null | undefined, never>
  after: ColumnType<unknown, string | null | undefined, never>
  ip: string | null
}

/** Fixed-window counters shared across processes (sign-in throttling, per-key limits). */
export interface RateLimitsTable {
  key: string
  points: number
  expires_at: Timestamp
}

export interface Database {
  users: UsersTable
  user_profiles: UserProfilesTable
  teams: TeamsTable
  team_members: TeamMembersTable
  sessions: SessionsTable
  api_keys: ApiKeysTable
  prompts: PromptsTable
  model_prices: ModelPricesTable
  team_price_discounts: TeamPriceDiscountsTable
  team_model_mappings: TeamModelMappingsTable
  provider_cost_imports: ProviderCostImportsTable
  provider_cost_lines: ProviderCostLinesTable
  token_usage_logs: TokenUsageLogsTable
  usage_idempotency_keys: UsageIdempotencyKeysTable
  usage_rollup_daily: UsageRollupDailyTable
  usage_rollup_15min: UsageRollup15minTable
  email_messages: EmailMessagesTable
  email_delivery_attempts: EmailDeliveryAttemptsTable
  report_schedules: ReportSchedulesTable
  report_runs: ReportRunsTable
  usage_archives: UsageArchivesTable
  prompt_run_history: PromptRunHistoryTable
  usage_budgets: UsageBudgetsTable
  budget_reservations: BudgetReservationsTable
  budget_reservation_items: BudgetReservationItemsTable
  usage_alerts: UsageAlertsTable
  audit_log: AuditLogTable
  rate_limits: RateLimitsTable
}

export type User = Selectable<UsersTable>
export type NewUser = Insertable<UsersTable>
export type Team = Selectable<TeamsTable>
export type NewTeam = Insertable<TeamsTable>
export type TeamUpdate = Updateable<TeamsTable>
export type ApiKey = Selectable<ApiKeysTable>
export type Prompt = Selectable<PromptsTable>
export type UsageLog = Selectable<TokenUsageLogsTable>
export type NewUsageLog = Insertable<TokenUsageLogsTable>
export type UsageBudget = Selectable<UsageBudgetsTable>
export type UsageAlert = Selectable<UsageAlertsTable>
