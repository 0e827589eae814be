import { sql, type Kysely } from 'kysely'

// Foundation schema. Frozen once landed: later changes go in new migrations.
// Money columns are numeric(20,9): USD with nine decimals, i.e. exact nano-dollars (docs/decisions/001-money.md).

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists pgcrypto`.execute(db)

  await sql`
    create table users (
      id uuid primary key default gen_random_uuid(),
      email text not null check (email = lower(email) and email ~ '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$'),
      name text not null check (length(name) between 1 and 200),
      password_hash text not null,
      created_at timestamptz not null default now()
    )`.execute(db)
  await sql`create unique index users_email_key on users (email)`.execute(db)

  await sql`
    create table user_profiles (
      user_id uuid primary key references users (id) on delete cascade,
      tier text not null default 'free' check (tier in ('free', 'pro', 'enterprise')),
      tier_changed_at timestamptz not null default now(),
      created_at timestamptz not null default now()
    )`.execute(db)

  await sql`
    create table teams (
      id uuid primary key default gen_random_uuid(),
      slug text not null check (slug ~ '^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$'),
      name text not null check (length(name) between 1 and 200),
      time_zone text not null default 'UTC',
      retention_months integer not null default 24 check (retention_months between 1 and 120),
      created_at timestamptz not null default now()
    )`.execute(db)
  await sql`create unique index teams_slug_key on teams (slug)`.execute(db)

  await sql`
    create table team_members (
      team_id uuid not null references teams (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      role text not null check (role in ('owner', 'admin', 'member', 'viewer')),
      created_at timestamptz not null default now(),
      primary key (team_id, user_id)
    )`.execute(db)
  await sql`create index team_members_user_idx on team_members (user_id)`.execute(db)

  await sql`
    create table sessions (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id) on delete cascade,
      token_hash text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      last_seen_at timestamptz not null default now(),
      user_agent text,
      check (expires_at > created_at)
    )`.execute(db)
  await sql`create unique index sessions_token_hash_key on sessions (token_hash)`.execute(db)
  await sql`create index sessions_user_idx on sessions (user_id)`.execute(db)

  await sql`
    create table api_keys (
      id uuid primary key default gen_random_uuid(),
      team_id uuid not null references teams (id) on delete cascade,
      name text not null check (length(name) between 1 and 100),
      prefix text not null check (length(prefix) between 8 and 24),
      key_hash text not null,
      created_by uuid references users (id) on delete set null,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz,
      unique (team_id, id)
    )`.execute(db)
  await sql`create unique index api_keys_key_hash_key on api_keys (key_hash)`.execute(db)
  await sql`create index api_keys_team_idx on api_keys (team_id, created_at desc)`.execute(db)

  await sql`
    create table prompts (
      id uuid primary key default gen_random_uuid(),
      team_id uuid not null references teams (id) on delete cascade,
      name text not null check (length(name) between 1 and 200),
      system_message text not null default '',
      user_message text not null default '',
      variables jsonb not null default '{}'::jsonb check (jsonb_typeof(variables) = 'object'),
      model text not null,
      max_output_tokens integer not null default 1024 check (max_output_tokens between 1 and 200000),
      created_by uuid references users (id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (team_id, id)
    )`.execute(db)
  await sql`create index prompts_team_idx on prompts (team_id, updated_at desc)`.execute(db)

  // Versioned prices. team_id null = a default price; a team's row overrides the default for that team.
  await sql`
    create table model_prices (
      id uuid primary key default gen_random_uuid(),
      team_id uuid references teams (id) on delete cascade,
      model text not null,
      provider text not null,
      effective_from date not null,
      input_per_mtok numeric(20,9) not null check (input_per_mtok >= 0),
      output_per_mtok numeric(20,9) not null check (output_per_mtok >= 0),
      cached_input_per_mtok numeric(20,9) check (cached_input_per_mtok >= 0),
      cache_write_per_mtok numeric(20,9) check (cache_write_per_mtok >= 0),
      reasoning_per_mtok numeric(20,9) check (reasoning_per_mtok >= 0),
      batch_discount_pct numeric(5,2) check (batch_discount_pct between 0 and 100),
      tiers jsonb not null default '[]'::jsonb check (jsonb_typeof(tiers) = 'array'),
      source_url text,
      created_at timestamptz not null default now(),
      unique nulls not distinct (team_id, model, effective_from)
    )`.execute(db)

  // The usage log, partitioned by month on occurred_at. Idempotency lives in usage_idempotency_keys
  // (a unique index on a partitioned table must include the partition key).
  await sql`
    create table token_usage_logs (
      id uuid not null default gen_random_uuid(),
      team_id uuid not null references teams (id) on delete cascade,
      occurred_at timestamptz not null,
      recorded_at timestamptz not null default now(),
      idempotency_key text check (length(idempotency_key) between 1 and 200),
      user_id uuid references users (id) on delete set null,
      api_key_id uuid references api_keys (id) on delete set null,
      prompt_id uuid references prompts (id) on delete set null,
      reservation_id uuid,
      provider text not null,
      model text not null check (length(model) between 1 and 200),
      resolved_model text,
      price_version text,
      priced boolean not null,
      feature text not null default 'api' check (feature in ('lab', 'preview', 'improve', 'api', 'other')),
      status text not null default 'ok' check (status in ('ok', 'error', 'blocked')),
      input_tokens integer not null check (input_tokens >= 0),
      output_tokens integer not null check (output_tokens >= 0),
      cached_input_tokens integer not null default 0 check (cached_input_tokens >= 0),
      cache_write_tokens integer not null default 0 check (cache_write_tokens >= 0),
      reasoning_tokens integer not null default 0 check (reasoning_tokens >= 0),
      cost_usd numeric(20,9) not null check (cost_usd >= 0),
      latency_ms integer check (latency_ms >= 0),
      metadata jsonb not null default '{}'::jsonb check (jsonb_typeof(metadata) = 'object'),
      check (cached_input_tokens + cache_write_tokens <= input_tokens),
      check (reasoning_tokens <= output_tokens),
      check (priced or cost_usd = 0),
      primary key (team_id, occurred_at, id)
    ) partition by range (occurred_at)`.execute(db)
  await sql`create table token_usage_logs_default partition of token_usage_logs default`.execute(db)
  await sql`create index token_usage_logs_team_time_idx on token_usage_logs (team_id, occurred_at desc)`.execute(db)
  await sql`create index token_usage_logs_team_model_idx on token_usage_logs (team_id, model, occurred_at desc)`.execute(db)
  await sql`create index token_usage_logs_team_prompt_idx on token_usage_logs (team_id, prompt_id, occurred_at desc) where prompt_id is not null`.execute(db)
  await sql`create index token_usage_logs_team_user_idx on token_usage_logs (team_id, user_id, occurred_at desc) where user_id is not null`.execute(db)
  await sql`create index token_usage_logs_team_key_idx on token_usage_logs (team_id, api_key_id, occurred_at desc) where api_key_id is not null`.execute(db)
  await sql`create index token_usage_logs_unpriced_idx on token_usage_logs (team_id, occurred_at) where not priced`.execute(db)

  await sql`
    create table usage_idempotency_keys (
      team_id uuid not null references teams (id) on delete cascade,
      idempotency_key text not null,
      usage_log_id uuid not null,
      occurred_at timestamptz not null,
      created_at timestamptz not null default now(),
      primary key (team_id, idempotency_key)
    )`.execute(db)

  // Keeps month partitions ahead of time. Rows that landed in the default partition for a month that
  // gets its own partition are moved into it, so nothing is lost.
  await sql`
    create or replace function costwise_ensure_usage_partition(month_start date) returns text
    language plpgsql as $fn$
    declare
      part_name text := 'token_usage_logs_' || to_char(month_start, 'YYYY_MM');
      lo timestamptz := date_trunc('month', month_start)::timestamp at time zone 'UTC';
      hi timestamptz := (date_trunc('month', month_start) + interval '1 month')::timestamp at time zone 'UTC';
    begin
      if to_regclass(part_name) is not null then
        return part_name;
      end if;
      create temporary table if not exists costwise_moved_usage (like token_usage_logs) on commit drop;
      with moved as (
        delete from token_usage_logs_default where occurred_at >= lo and occurred_at < hi returning *
      ) insert into costwise_moved_usage select * from moved;
      execute format('create table %I partition of token_usage_logs for values from (%L) to (%L)', part_name, lo, hi);
      insert into token_usage_logs select * from costwise_moved_usage;
      truncate costwise_moved_usage;
      return part_name;
    end
    $fn$`.execute(db)

  await sql`
    create table usage_rollup_daily (
      team_id uuid not null references teams (id) on delete cascade,
      day date not null,
      model text not null,
      provider text not null,
      prompt_id uuid,
      user_id uuid,
      api_key_id uuid,
      feature text not null,
      status text not null,
      runs bigint not null default 0 check (runs >= 0),
      input_tokens bigint not null default 0,
      output_tokens bigint not null default 0,
      cached_input_tokens bigint not null default 0,
      cache_write_tokens bigint not null default 0,
      reasoning_tokens bigint not null default 0,
      cost_usd numeric(24,9) not null default 0,
      latency_ms_sum bigint not null default 0,
      unpriced_runs bigint not null default 0,
      updated_at timestamptz not null default now(),
      unique nulls not distinct (team_id, day, model, provider, prompt_id, user_id, api_key_id, feature, status)
    )`.execute(db)
  await sql`create index usage_rollup_daily_team_day_idx on usage_rollup_daily (team_id, day)`.execute(db)
  await sql`create index usage_rollup_daily_team_prompt_idx on usage_rollup_daily (team_id, prompt_id, day) where prompt_id is not null`.execute(db)

  await sql`
    create table prompt_run_history (
      id uuid primary key default gen_random_uuid(),
      team_id uuid not null references teams (id) on delete cascade,
      prompt_id uuid not null,
      user_id uuid references users (id) on delete set null,
      usage_log_id uuid,
      model text not null,
      status text not null check (status in ('ok', 'error', 'blocked')),
      input_tokens integer not null default 0 check (input_tokens >= 0),
      output_tokens integer not null default 0 check (output_tokens >= 0),
      cached_input_tokens integer not null default 0 check (cached_input_tokens >= 0),
      reasoning_tokens integer not null default 0 check (reasoning_tokens >= 0),
      estimated_cost_usd numeric(20,9) check (estimated_cost_usd >= 0),
      cost_usd numeric(20,9) not null default 0 check (cost_usd >= 0),
      latency_ms integer check (latency_ms >= 0),
      time_to_first_token_ms integer check (time_to_first_token_ms >= 0),
      output text,
      error text,
      created_at timestamptz not null default now(),
      foreign key (team_id, prompt_id) references prompts (team_id, id) on delete cascade
    )`.execute(db)
  await sql`create index prompt_run_history_prompt_idx on prompt_run_history (team_id, prompt_id, created_at desc)`.execute(db)

  await sql`
    create table usage_budgets (
      id uuid primary key default gen_random_uuid(),
      team_id uuid not null references teams (id) on delete cascade,
      name text not null check (length(name) between 1 and 200),
      scope text not null check (scope in ('team', 'user', 'api_key', 'prompt')),
      scope_user_id uuid references users (id) on delete cascade,
      scope_api_key_id uuid references api_keys (id) on delete cascade,
      scope_prompt_id uuid references prompts (id) on delete cascade,
      period text not null check (period in ('day', 'week', 'month', 'total')),
      time_zone text,
      limit_usd numeric(20,9) not null check (limit_usd > 0),
      mode text not null default 'hard' check (mode in ('hard', 'soft')),
      thresholds integer[] not null default '{50,80,100}'
        check (cardinality(thresholds) between 1 and 10 and 0 < all (thresholds) and 100 >= all (thresholds)),
      period_start timestamptz not null,
      spent_usd numeric(20,9) not null default 0 check (spent_usd >= 0),
      reserved_usd numeric(20,9) not null default 0 check (reserved_usd >= 0),
      active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((scope = 'team') = (scope_user_id is null and scope_api_key_id is null and scope_prompt_id is null)),
      check (scope <> 'user' or scope_user_id is not null),
      check (scope <> 'api_key' or scope_api_key_id is not null),
      check (scope <> 'prompt' or scope_prompt_id is not null)
    )`.execute(db)
  await sql`create index usage_budgets_team_idx on usage_budgets (team_id) where active`.execute(db)

  await sql`
    create table budget_reservations (
      id uuid primary key default gen_random_uuid(),
      team_id uuid not null references teams (id) on delete cascade,
      idempotency_key text,
      model text not null,
      estimated_usd numeric(20,9) not null check (estimated_usd >= 0),
      actual_usd numeric(20,9) check (actual_usd >= 0),
      status text not null default 'held' check (status in ('held', 'settled', 'released', 'expired')),
      usage_log_id uuid,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      settled_at timestamptz,
      unique (team_id, idempotency_key)
    )`.execute(db)
  await sql`create index budget_reservations_expiry_idx on budget_reservations (expires_at) where status = 'held'`.execute(db)

  await sql`
    create table budget_reservation_items (
      reservation_id uuid not null references budget_reservations (id) on delete cascade,
      budget_id uuid not null references usage_budgets (id) on delete cascade,
      period_start timestamptz not null,
      amount_usd numeric(20,9) not null check (amount_usd >= 0),
      primary key (reservation_id, budget_id)
    )`.execute(db)

  await sql`
    create table usage_alerts (
      id uuid primary key default gen_random_uuid(),
      team_id uuid not null references teams (id) on delete cascade,
      budget_id uuid not null references usage_budgets (id) on delete cascade,
      period_start timestamptz not null,
      threshold integer not null check (threshold between 1 and 100),
      level text not null check (level in ('info', 'warning', 'critical')),
      spent_usd numeric(20,9) not null,
      limit_usd numeric(20,9) not null,
      created_at timestamptz not null default now(),
      read_at timestamptz,
      acknowledged_at timestamptz,
      acknowledged_by uuid references users (id) on delete set null,
      dismissed_at timestamptz,
      notified_at timestamptz,
      unique (budget_id, period_start, threshold)
    )`.execute(db)
  await sql`create index usage_alerts_team_idx on usage_alerts (team_id, created_at desc)`.execute(db)
  await sql`create index usage_alerts_unread_idx on usage_alerts (team_id) where read_at is null and dismissed_at is null`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'usage_alerts',
    'budget_reservation_items',
    'budget_reservations',
    'usage_budgets',
    'prompt_run_history',
    'usage_rollup_daily',
    'usage_idempotency_keys',
    'token_usage_logs',
    'model_prices',
    'prompts',
    'api_keys',
    'sessions',
    'team_members',
    'teams',
    'user_profiles',
    'users',
  ]) {
    await db.schema.dropTable(table).ifExists().cascade().execute()
  }
  await sql`drop function if exists costwise_ensure_usage_partition(date)`.execute(db)
}
