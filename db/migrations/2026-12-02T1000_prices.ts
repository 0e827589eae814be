import { sql, type Kysely } from 'kysely'

// Prices that stay right (issue 15):
// - model_prices holds, beside a team's custom prices, list prices imported from a price file (team_id null,
//   origin 'import') as dated versions; every price may end (effective_to, inclusive) and may price audio and
//   image tokens, flex/priority processing and per-call tool fees.
// - A team's negotiated discounts (percent off per provider or model, for a period) and its own model names
//   (Azure deployment names) mapped to catalogue models.
// - Usage rows record audio/image prompt tokens, the processing tier, per-call tool use and why a row is unpriced.
// - Provider cost exports imported for reconciliation, per day and model.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table model_prices
      add column origin text not null default 'custom' check (origin in ('custom', 'import')),
      add column effective_to date,
      add column audio_input_per_mtok numeric(20,9) check (audio_input_per_mtok >= 0),
      add column image_input_per_mtok numeric(20,9) check (image_input_per_mtok >= 0),
      add column service_tiers jsonb not null default '{}'::jsonb check (jsonb_typeof(service_tiers) = 'object'),
      add column per_call_usd jsonb not null default '{}'::jsonb check (jsonb_typeof(per_call_usd) = 'object'),
      add column display_name text,
      add column imported_from text,
      add constraint model_prices_dates_check check (effective_to is null or effective_to >= effective_from),
      add constraint model_prices_import_is_global_check check (origin <> 'import' or team_id is null)`.execute(db)
  await sql`create index model_prices_team_idx on model_prices (team_id, model)`.execute(db)

  await sql`
    create table team_price_discounts (
      id uuid primary key default gen_random_uuid(),
      team_id uuid not null references teams (id) on delete cascade,
      provider text check (provider = lower(provider) and length(provider) between 1 and 50),
      model text check (length(model) between 1 and 200),
      percent numeric(5,2) not null check (percent > 0 and percent <= 100),
      effective_from date not null,
      effective_to date,
      note text check (length(note) <= 500),
      created_by uuid references users (id) on delete set null,
      created_at timestamptz not null default now(),
      check ((provider is null) <> (model is null)),
      check (effective_to is null or effective_to >= effective_from)
    )`.execute(db)
  await sql`create index team_price_discounts_team_idx on team_price_discounts (team_id)`.execute(db)

  await sql`
    create table team_model_mappings (
      team_id uuid not null references teams (id) on delete cascade,
      name text not null check (name = lower(name) and length(name) between 1 and 200),
      model text not null check (length(model) between 1 and 200),
      created_by uuid references users (id) on delete set null,
      created_at timestamptz not null default now(),
      primary key (team_id, name)
    )`.execute(db)

  await sql`
    alter table token_usage_logs
      add column audio_input_tokens integer not null default 0 check (audio_input_tokens >= 0),
      add column image_input_tokens integer not null default 0 check (image_input_tokens >= 0),
      add column service_tier text check (service_tier in ('default', 'flex', 'priority')),
      add column batch boolean not null default false,
      add column tool_calls jsonb not null default '{}'::jsonb check (jsonb_typeof(tool_calls) = 'object'),
      add column unpriced_reason text check (length(unpriced_reason) <= 1000),
      add constraint token_usage_logs_prompt_parts_check
        check (cached_input_tokens + cache_write_tokens + audio_input_tokens + image_input_tokens <= input_tokens)`.execute(db)

  await sql`
    create table provider_cost_imports (
      id uuid primary key default gen_random_uuid(),
      team_id uuid not null references teams (id) on delete cascade,
      provider text not null check (provider in ('openai', 'anthropic')),
      format text not null check (format in ('openai-costs-json', 'anthropic-cost-csv', 'anthropic-cost-json')),
      month date not null check (extract(day from month) = 1),
      file_name text check (length(file_name) <= 300),
      total_usd numeric(24,9) not null,
      imported_by uuid references users (id) on delete set null,
      created_at timestamptz not null default now(),
      unique (team_id, provider, month)
    )`.execute(db)
  await sql`
    create table provider_cost_lines (
      import_id uuid not null references provider_cost_imports (id) on delete cascade,
      team_id uuid not null references teams (id) on delete cascade,
      day date not null,
      model text not null,
      cost_usd numeric(24,9) not null,
      primary key (import_id, day, model)
    )`.execute(db)
  await sql`create index provider_cost_lines_team_day_idx on provider_cost_lines (team_id, day)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('provider_cost_lines').ifExists().execute()
  await db.schema.dropTable('provider_cost_imports').ifExists().execute()
  await sql`
    alter table token_usage_logs
      drop constraint if exists token_usage_logs_prompt_parts_check,
      drop column if exists unpriced_reason,
      drop column if exists tool_calls,
      drop column if exists service_tier,
      drop column if exists batch,
      drop column if exists image_input_tokens,
      drop column if exists audio_input_tokens`.execute(db)
  await db.schema.dropTable('team_model_mappings').ifExists().execute()
  await db.schema.dropTable('team_price_discounts').ifExists().execute()
  await sql`drop index if exists model_prices_team_idx`.execute(db)
  await sql`delete from model_prices where origin = 'import'`.execute(db)
  await sql`
    alter table model_prices
      drop constraint if exists model_prices_import_is_global_check,
      drop constraint if exists model_prices_dates_check,
      drop column if exists imported_from,
      drop column if exists display_name,
      drop column if exists per_call_usd,
      drop column if exists service_tiers,
      drop column if exists image_input_per_mtok,
      drop column if exists audio_input_per_mtok,
      drop column if exists effective_to,
      drop column if exists origin`.execute(db)
}
