import { sql, type Kysely } from 'kysely'

// Recommendations, prompt versions and efficiency scores; forecast and anomaly alerts beside budget alerts.

export async function up(db: Kysely<any>): Promise<void> {
  // "Turn on caching guidance" (Apply of a prompt_caching recommendation), and a version counter.
  await sql`alter table prompts add column caching boolean not null default false`.execute(db)
  await sql`alter table prompts add column version integer not null default 1 check (version >= 1)`.execute(db)

  // Every change to a prompt: who, when, what it was before and after. Revert writes a new version.
  await sql`
    create table prompt_versions (
      id uuid primary key default gen_random_uuid(),
      team_id uuid not null references teams (id) on delete cascade,
      prompt_id uuid not null,
      version integer not null check (version >= 1),
      source text not null check (source in ('create', 'edit', 'apply', 'revert')),
      changed_by uuid references users (id) on delete set null,
      changed_by_api_key uuid references api_keys (id) on delete set null,
      recommendation_id uuid,
      reverted_to integer,
      before jsonb check (before is null or jsonb_typeof(before) = 'object'),
      after jsonb not null check (jsonb_typeof(after) = 'object'),
      created_at timestamptz not null default now(),
      foreign key (team_id, prompt_id) references prompts (team_id, id) on delete cascade,
      unique (prompt_id, version)
    )`.execute(db)
  await sql`create index prompt_versions_team_idx on prompt_versions (team_id, prompt_id, version desc)`.execute(db)
  // Prompts that exist already start their history at version 1.
  await sql`
    insert into prompt_versions (team_id, prompt_id, version, source, changed_by, after, created_at)
    select team_id, id, 1, 'create', created_by,
      jsonb_build_object('name', name, 'systemMessage', system_message, 'userMessage', user_message, 'variables', variables,
        'model', model, 'maxOutputTokens', max_output_tokens, 'caching', false),
      created_at
    from prompts`.execute(db)

  await sql`
    create table recommendations (
      id uuid primary key default gen_random_uuid(),
      team_id uuid not null references teams (id) on delete cascade,
      kind text not null check (kind in ('cheaper_model', 'max_tokens', 'prompt_caching', 'batch_api', 'context_trimming', 'unpriced_model')),
      status text not null default 'open' check (status in ('open', 'applied', 'dismissed')),
      fingerprint text not null check (length(fingerprint) between 1 and 400),
      prompt_id uuid,
      api_key_id uuid references api_keys (id) on delete cascade,
      model text,
      suggested_model text,
      suggested_max_output_tokens integer check (suggested_max_output_tokens > 0),
      monthly_savings_usd numeric(20,9) not null default 0 check (monthly_savings_usd >= 0),
      evidence jsonb not null default '{}'::jsonb check (jsonb_typeof(evidence) = 'object'),
      baseline_cost_usd numeric(20,9) check (baseline_cost_usd >= 0),
      baseline_runs integer check (baseline_runs >= 0),
      snoozed_until timestamptz,
      applied_at timestamptz,
      applied_by uuid references users (id) on delete set null,
      applied_version integer,
      dismissed_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      foreign key (team_id, prompt_id) references prompts (team_id, id) on delete cascade,
      unique (team_id, fingerprint),
      check ((status = 'applied') = (applied_at is not null))
    )`.execute(db)
  await sql`create index recommendations_team_idx on recommendations (team_id, status, monthly_savings_usd desc)`.execute(db)
  await sql`create index recommendations_prompt_idx on recommendations (team_id, prompt_id, applied_at) where status = 'applied'`.execute(db)

  // Each prompt's efficiency score over the last 30 days, written by the recommendation refresh.
  await sql`
    create table prompt_scores (
      team_id uuid not null references teams (id) on delete cascade,
      prompt_id uuid not null,
      score integer not null check (score between 0 and 100),
      components jsonb not null check (jsonb_typeof(components) = 'object'),
      runs integer not null check (runs >= 0),
      computed_at timestamptz not null default now(),
      primary key (team_id, prompt_id),
      foreign key (team_id, prompt_id) references prompts (team_id, id) on delete cascade
    )`.execute(db)

  // Alerts of three kinds: a budget threshold (as before), a forecast that a budget will run out in its period,
  // and a spend anomaly (no budget). Forecast and anomaly alerts are made once each by their dedupe key.
  await sql`alter table usage_alerts add column kind text not null default 'budget_threshold'
    check (kind in ('budget_threshold', 'budget_forecast', 'spend_anomaly'))`.execute(db)
  await sql`alter table usage_alerts alter column budget_id drop not null`.execute(db)
  await sql`alter table usage_alerts alter column threshold drop not null`.execute(db)
  await sql`alter table usage_alerts add column dedupe_key text`.execute(db)
  await sql`alter table usage_alerts add column details jsonb not null default '{}'::jsonb check (jsonb_typeof(details) = 'object')`.execute(db)
  await sql`alter table usage_alerts add constraint usage_alerts_kind_shape check (
    (kind = 'budget_threshold' and budget_id is not null and threshold is not null)
    or (kind = 'budget_forecast' and budget_id is not null and threshold is null and dedupe_key is not null)
    or (kind = 'spend_anomaly' and budget_id is null and threshold is null and dedupe_key is not null))`.execute(db)
  await sql`create unique index usage_alerts_dedupe_key on usage_alerts (team_id, dedupe_key) where dedupe_key is not null`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from usage_alerts where kind <> 'budget_threshold'`.execute(db)
  await sql`drop index if exists usage_alerts_dedupe_key`.execute(db)
  await sql`alter table usage_alerts drop constraint if exists usage_alerts_kind_shape`.execute(db)
  await sql`alter table usage_alerts drop column if exists details`.execute(db)
  await sql`alter table usage_alerts drop column if exists dedupe_key`.execute(db)
  await sql`alter table usage_alerts alter column threshold set not null`.execute(db)
  await sql`alter table usage_alerts alter column budget_id set not null`.execute(db)
  await sql`alter table usage_alerts drop column if exists kind`.execute(db)
  await db.schema.dropTable('prompt_scores').ifExists().execute()
  await db.schema.dropTable('recommendations').ifExists().execute()
  await db.schema.dropTable('prompt_versions').ifExists().execute()
  await sql`alter table prompts drop column if exists version`.execute(db)
  await sql`alter table prompts drop column if exists caching`.execute(db)
}
