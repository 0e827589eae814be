import type {
  AlertLevel,
  BudgetMode,
  BudgetPeriod,
  BudgetScope,
  ReportFormat,
  ReportFrequency,
  Role,
  Tier,
  UsageFeature,
  UsageStatus,
} from '@costwise/core'
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

// The enumerations are core's (one definition each); re-exported for the queries.
export type {
  AlertLevel,
  BudgetMode,
  BudgetPeriod,
  BudgetScope,
  ReportFormat,
  ReportFrequency,
  Role,
  Tier,
  UsageFeature,
  UsageStatus,
}
export type ReservationStatus = 'held' | 'settled' | 'released' | 'expired'

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
  /** The member's cost centre (usage allocation); null: none. */
  cost_center_id: ColumnType<string | null, string | null | undefined, string | null>
}

export type InviteRole = Exclude<Role, 'owner'>

export interface TeamInvitesTable {
  id: Generated<string>
  team_id: string
  email: string
  role: InviteRole
  /** SHA-256 of the link's token (the token itself is only in the email). */
  token_hash: string
  invited_by: string | null
  created_at: GeneratedTimestamp
  expires_at: Timestamp
  accepted_at: Timestamp | null
  accepted_by: string | null
  revoked_at: Timestamp | null
}

export interface CostCentersTable {
  id: Generated<string>
  team_id: string
  /** What events name in `costCenter` (lowercase, e.g. "eng-platform"). */
  code: string
  name: string
  archived_at: Timestamp | null
  created_at: GeneratedTimestamp
}

/** An API key's split across cost centres, in basis points (the key's rows sum to 10000). */
export interface ApiKeyCostCentersTable {
  team_id: string
  api_key_id: string
  cost_center_id: string
  share_bp: number
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
  caching: Generated<boolean>
  version: Generated<number>
  created_by: string | null
  created_at: GeneratedTimestamp
  updated_at: GeneratedTimestamp
  cost_center_id: ColumnType<string | null, string | null | undefined, string | null>
}

export type PromptChangeSource = 'create' | 'edit' | 'apply' | 'revert'

export interface PromptVersionsTable {
  id: Generated<string>
  team_id: string
  prompt_id: string
  version: number
  source: PromptChangeSource
  changed_by: string | null
  changed_by_api_key: string | null
  recommendation_id: string | null
  reverted_to: number | null
  before: Json<Record<string, unknown> | null>
  after: Json<Record<string, unknown>>
  created_at: GeneratedTimestamp
}

export type RecommendationKind =
  'cheaper_model' | 'max_tokens' | 'prompt_caching' | 'batch_api' | 'context_trimming' | 'unpriced_model'
export type RecommendationStatus = 'open' | 'applied' | 'dismissed'

export interface RecommendationsTable {
  id: Generated<string>
  team_id: string
  kind: RecommendationKind
  status: Generated<RecommendationStatus>
  fingerprint: string
  prompt_id: string | null
  api_key_id: string | null
  model: string | null
  suggested_model: string | null
  suggested_max_output_tokens: number | null
  monthly_savings_usd: GeneratedUsd
  evidence: Json<Record<string, unknown>>
  baseline_cost_usd: NullableUsd
  baseline_runs: number | null
  snoozed_until: Timestamp | null
  applied_at: Timestamp | null
  applied_by: string | null
  applied_version: number | null
  dismissed_at: Timestamp | null
  created_at: GeneratedTimestamp
  updated_at: GeneratedTimestamp
}

export interface PromptScoresTable {
  team_id: string
  prompt_id: string
  score: number
  components: Json<Record<string, number>>
  runs: number
  computed_at: GeneratedTimestamp
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
  service_tiers: Json<
    Record<string, { inputPerMTok: string; outputPerMTok: string; cachedInputPerMTok?: string | null }>
  >
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
  /** The cost centre the event named (`costCenter`); null: allocated by its prompt, key or member. */
  cost_center_id: ColumnType<string | null, string | null | undefined, string | null>
  /** String key/values sent with the event (core's `usageTagsSchema`); `{}` when none. */
  tags: Json<Record<string, string>>
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
  cost_center_id: ColumnType<string | null, string | null | undefined, string | null>
}

/** Rollup per 15-minute slot (UTC-aligned; local hours and days of every zone are whole slots). */
export type UsageRollup15minTable = Omit<UsageRollupDailyTable, 'day'> & { slot: Timestamp }

/**
 * Narrow daily rollups, per team and local day (and one dimension): what the dashboards read. Kept exact by
 * triggers on usage_rollup_daily (migration 2026-12-03T1300_narrow_rollups); never written by the app.
 */
export interface UsageDailyTeamTable {
  team_id: string
  day: ColumnType<string, string, string>
  runs: BigCount
  error_runs: BigCount
  ok_runs: BigCount
  ok_cost_usd: GeneratedUsd
  input_tokens: BigCount
  output_tokens: BigCount
  cached_input_tokens: BigCount
  cache_write_tokens: BigCount
  reasoning_tokens: BigCount
  cost_usd: GeneratedUsd
  latency_ms_sum: BigCount
  unpriced_runs: BigCount
}
export type UsageDailyModelTable = UsageDailyTeamTable & { model: string }
export type UsageDailyPromptTable = UsageDailyTeamTable & { prompt_id: string | null }
export type UsageDailyUserTable = UsageDailyTeamTable & { user_id: string | null }

export type EmailKind = 'alert' | 'report' | 'invite' | 'request' | 'other'
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
  /** Set on a member's allocation: the team budget it is carved from (same period; limits sum to at most its limit). */
  parent_budget_id: ColumnType<string | null, string | null | undefined, string | null>
  /** A raise for one period only: added to the limit while `period_start = period_raise_start`. */
  period_raise_usd: GeneratedUsd
  period_raise_start: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

export type BudgetRequestStatus = 'pending' | 'approved' | 'denied' | 'expired'
export type BudgetRequestDuration = 'period' | 'permanent'

export interface BudgetRequestsTable {
  id: Generated<string>
  team_id: string
  budget_id: string
  requested_by_user_id: string | null
  requested_by_api_key_id: string | null
  amount_usd: Usd
  reason: string
  duration: BudgetRequestDuration
  status: Generated<BudgetRequestStatus>
  /** The budget's period when the request was made; a `period` approval raises that period only. */
  period_start: Timestamp
  /** The end of that period: a request still pending then expires. Null for budgets that never reset. */
  expires_at: Timestamp | null
  decided_by: string | null
  decided_by_api_key_id: string | null
  decided_at: Timestamp | null
  approved_amount_usd: NullableUsd
  comment: string | null
  created_at: GeneratedTimestamp
}

export interface NotificationsTable {
  id: Generated<string>
  team_id: string
  user_id: string
  kind: string
  /** Once-only: a second insert with the same key is ignored. */
  dedupe_key: string
  title: string
  body: string
  link: string | null
  created_at: GeneratedTimestamp
  read_at: Timestamp | null
}

export type AlertChannelKind = 'webhook' | 'slack'

export interface AlertChannelsTable {
  id: Generated<string>
  team_id: string
  kind: AlertChannelKind
  name: string
  url: string
  /** HMAC-SHA256 key for the signature header (webhooks). */
  secret: string
  active: Generated<boolean>
  created_by: string | null
  created_at: GeneratedTimestamp
}

export interface AlertRoutesTable {
  id: Generated<string>
  team_id: string
  /** Null: the team's default route. */
  budget_id: string | null
  notify_owners: Generated<boolean>
  notify_admins: Generated<boolean>
  notify_member: Generated<boolean>
  addresses: ColumnType<string[], string[] | undefined, string[]>
  via_email: Generated<boolean>
  via_in_app: Generated<boolean>
  updated_at: GeneratedTimestamp
}

export interface AlertRouteChannelsTable {
  team_id: string
  route_id: string
  channel_id: string
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed'

export interface WebhookDeliveriesTable {
  id: Generated<string>
  team_id: string
  channel_id: string
  dedupe_key: string
  event: string
  payload: Json<Record<string, unknown>>
  status: Generated<WebhookDeliveryStatus>
  attempts: Generated<number>
  last_status_code: number | null
  last_error: string | null
  created_at: GeneratedTimestamp
  delivered_at: Timestamp | null
}

export interface WebhookDeliveryAttemptsTable {
  id: Generated<string>
  delivery_id: string
  attempted_at: GeneratedTimestamp
  ok: boolean
  status_code: number | null
  error: string | null
  duration_ms: number | null
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

export type AlertKind = 'budget_threshold' | 'budget_forecast' | 'spend_anomaly'

export interface UsageAlertsTable {
  id: Generated<string>
  team_id: string
  kind: Generated<AlertKind>
  /** Null for spend anomalies. */
  budget_id: string | null
  period_start: Timestamp
  /** Null for forecast and anomaly alerts. */
  threshold: number | null
  /** Forecast and anomaly alerts are made once per key. */
  dedupe_key: string | null
  /** What a forecast or anomaly alert says (title, driver, link). */
  details: Json<Record<string, unknown>>
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

/** A named filter set of the usage page (its search string), shared by the team. */
export interface UsageSavedViewsTable {
  id: Generated<string>
  team_id: string
  name: string
  query: string
  created_by: string | null
  created_at: GeneratedTimestamp
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
  usage_daily_team: UsageDailyTeamTable
  usage_daily_model: UsageDailyModelTable
  usage_daily_prompt: UsageDailyPromptTable
  usage_daily_user: UsageDailyUserTable
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
  team_invites: TeamInvitesTable
  cost_centers: CostCentersTable
  api_key_cost_centers: ApiKeyCostCentersTable
  budget_requests: BudgetRequestsTable
  notifications: NotificationsTable
  alert_channels: AlertChannelsTable
  alert_routes: AlertRoutesTable
  alert_route_channels: AlertRouteChannelsTable
  webhook_deliveries: WebhookDeliveriesTable
  webhook_delivery_attempts: WebhookDeliveryAttemptsTable
  prompt_versions: PromptVersionsTable
  recommendations: RecommendationsTable
  prompt_scores: PromptScoresTable
  usage_saved_views: UsageSavedViewsTable
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
