import { sql, type Kysely } from 'kysely'

// Team management (issue 13): invitations, cost centres (members, prompts and API keys assigned; an event may
// name one), per-member allocations of a team budget, budget requests with period-only raises, in-app
// notifications, and alert routing with webhook/Slack channels and their delivery log.

/** Drops the one unique constraint of a rollup table (its name was generated) and adds the named one with cost centres. */
async function rekeyRollup(db: Kysely<any>, table: string, bucket: string, withCostCenter: boolean): Promise<void> {
  await sql
    .raw(
      `do $$ declare c text; begin
         select conname into c from pg_constraint where conrelid = '${table}'::regclass and contype = 'u';
         if c is not null then execute format('alter table ${table} drop constraint %I', c); end if;
       end $$`,
    )
    .execute(db)
  const dims = `team_id, ${bucket}, model, provider, prompt_id, user_id, api_key_id, feature, status${withCostCenter ? ', cost_center_id' : ''}`
  await sql.raw(`alter table ${table} add constraint ${table}_dims_key unique nulls not distinct (${dims})`).execute(db)
}

export async function up(db: Kysely<any>): Promise<void> {
  // ---- invitations -------------------------------------------------------------------------------
  await sql`
    create table team_invites (
      id uuid primary key default gen_random_uuid(),
      team_id uuid not null references teams (id) on delete cascade,
      email text not null check (email = lower(email) and length(email) between 3 and 254),
      role text not null check (role in ('admin', 'member', 'viewer')),
      token_hash text not null,
      invited_by uuid references users (id) on delete set null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      accepted_at timestamptz,
      accepted_by uuid references users (id) on delete set null,
      revoked_at timestamptz
    )`.execute(db)
  await sql`create unique index team_invites_token_key on team_invites (token_hash)`.execute(db)
  // One open invitation per address and team: inviting again replaces it.
  await sql`create unique index team_invites_open_key on team_invites (team_id, email) where accepted_at is null and revoked_at is null`.execute(db)

  // ---- cost centres ------------------------------------------------------------------------------
  await sql`
    create table cost_centers (
      id uuid primary key default gen_random_uuid(),
      team_id uuid not null references teams (id) on delete cascade,
      code text not null check (code ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
      name text not null check (length(name) between 1 and 200),
      archived_at timestamptz,
      created_at timestamptz not null default now(),
      unique (team_id, code),
      unique (team_id, id)
    )`.execute(db)
  await sql`
    alter table team_members
      add column cost_center_id uuid,
      add constraint team_members_cost_center_fk foreign key (team_id, cost_center_id)
        references cost_centers (team_id, id) on delete set null (cost_center_id)`.execute(db)
  await sql`
    alter table prompts
      add column cost_center_id uuid,
      add constraint prompts_cost_center_fk foreign key (team_id, cost_center_id)
        references cost_centers (team_id, id) on delete set null (cost_center_id)`.execute(db)
  // A key's split across cost centres in basis points (10000 = 100 %); the service keeps the sum at 10000.
  await sql`
    create table api_key_cost_centers (
      team_id uuid not null,
      api_key_id uuid not null,
      cost_center_id uuid not null,
      share_bp integer not null check (share_bp between 1 and 10000),
      primary key (api_key_id, cost_center_id),
      foreign key (team_id, api_key_id) references api_keys (team_id, id) on delete cascade,
      foreign key (team_id, cost_center_id) references cost_centers (team_id, id) on delete cascade
    )`.execute(db)
  await sql`create index api_key_cost_centers_team_idx on api_key_cost_centers (team_id)`.execute(db)

  // The cost centre an event named (`costCenter` in track); null: allocated by its prompt, key or member.
  await sql`alter table token_usage_logs add column cost_center_id uuid`.execute(db)
  await sql`alter table usage_rollup_daily add column cost_center_id uuid`.execute(db)
  await sql`alter table usage_rollup_15min add column cost_center_id uuid`.execute(db)
  await rekeyRollup(db, 'usage_rollup_daily', 'day', true)
  await rekeyRollup(db, 'usage_rollup_15min', 'slot', true)

  // ---- budgets: per-member allocations and period-only raises --------------------------------------
  await sql`
    alter table usage_budgets
      add column parent_budget_id uuid references usage_budgets (id) on delete cascade,
      add column period_raise_usd numeric(20,9) not null default 0 check (period_raise_usd >= 0),
      add column period_raise_start timestamptz,
      add constraint usage_budgets_allocation_check check (parent_budget_id is null or scope = 'user')`.execute(db)
  await sql`create unique index usage_budgets_allocation_key on usage_budgets (parent_budget_id, scope_user_id) where parent_budget_id is not null`.execute(db)

  await sql`
    create table budget_requests (
      id uuid primary key default gen_random_uuid(),
      team_id uuid not null references teams (id) on delete cascade,
      budget_id uuid not null references usage_budgets (id) on delete cascade,
      requested_by_user_id uuid references users (id) on delete set null,
      requested_by_api_key_id uuid references api_keys (id) on delete set null,
      amount_usd numeric(20,9) not null check (amount_usd > 0),
      reason text not null check (length(reason) between 1 and 2000),
      duration text not null check (duration in ('period', 'permanent')),
      status text not null default 'pending' check (status in ('pending', 'approved', 'denied', 'expired')),
      period_start timestamptz not null,
      expires_at timestamptz,
      decided_by uuid references users (id) on delete set null,
      decided_by_api_key_id uuid references api_keys (id) on delete set null,
      decided_at timestamptz,
      approved_amount_usd numeric(20,9) check (approved_amount_usd > 0),
      comment text check (length(comment) <= 2000),
      created_at timestamptz not null default now(),
      check ((status = 'approved') = (approved_amount_usd is not null))
    )`.execute(db)
  await sql`create index budget_requests_team_idx on budget_requests (team_id, status, created_at desc)`.execute(db)
  await sql`create index budget_requests_expiry_idx on budget_requests (expires_at) where status = 'pending'`.execute(db)

  // ---- in-app notifications (per person) -----------------------------------------------------------
  await sql`
    create table notifications (
      id uuid primary key default gen_random_uuid(),
      team_id uuid not null references teams (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      kind text not null check (kind ~ '^[a-z_]+(\.[a-z_]+)?$'),
      dedupe_key text not null,
      title text not null,
      body text not null,
      link text,
      created_at timestamptz not null default now(),
      read_at timestamptz,
      unique (dedupe_key)
    )`.execute(db)
  await sql`create index notifications_user_idx on notifications (user_id, team_id, created_at desc)`.execute(db)

  // ---- alert routing and channels -----------------------------------------------------------------
  await sql`
    create table alert_channels (
      id uuid primary key default gen_random_uuid(),
      team_id uuid not null references teams (id) on delete cascade,
      kind text not null check (kind in ('webhook', 'slack')),
      name text not null check (length(name) between 1 and 200),
      url text not null check (length(url) between 8 and 2000),
      secret text not null,
      active boolean not null default true,
      created_by uuid references users (id) on delete set null,
      created_at timestamptz not null default now(),
      unique (team_id, id)
    )`.execute(db)
  // One route per budget, and one team default (budget_id null).
  await sql`
    create table alert_routes (
      id uuid primary key default gen_random_uuid(),
      team_id uuid not null references teams (id) on delete cascade,
      budget_id uuid references usage_budgets (id) on delete cascade,
      notify_owners boolean not null default true,
      notify_admins boolean not null default true,
      notify_member boolean not null default false,
      addresses text[] not null default '{}' check (cardinality(addresses) <= 50),
      via_email boolean not null default true,
      via_in_app boolean not null default true,
      updated_at timestamptz not null default now(),
      unique nulls not distinct (team_id, budget_id),
      unique (team_id, id)
    )`.execute(db)
  await sql`
    create table alert_route_channels (
      team_id uuid not null,
      route_id uuid not null,
      channel_id uuid not null,
      primary key (route_id, channel_id),
      foreign key (team_id, route_id) references alert_routes (team_id, id) on delete cascade,
      foreign key (team_id, channel_id) references alert_channels (team_id, id) on delete cascade
    )`.execute(db)
  await sql`
    create table webhook_deliveries (
      id uuid primary key default gen_random_uuid(),
      team_id uuid not null references teams (id) on delete cascade,
      channel_id uuid not null references alert_channels (id) on delete cascade,
      dedupe_key text not null,
      event text not null,
      payload jsonb not null,
      status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
      attempts integer not null default 0,
      last_status_code integer,
      last_error text,
      created_at timestamptz not null default now(),
      delivered_at timestamptz,
      unique (dedupe_key)
    )`.execute(db)
  await sql`create index webhook_deliveries_channel_idx on webhook_deliveries (channel_id, created_at desc)`.execute(db)
  await sql`
    create table webhook_delivery_attempts (
      id bigint generated always as identity primary key,
      delivery_id uuid not null references webhook_deliveries (id) on delete cascade,
      attempted_at timestamptz not null default now(),
      ok boolean not null,
      status_code integer,
      error text,
      duration_ms integer
    )`.execute(db)
  await sql`create index webhook_delivery_attempts_delivery_idx on webhook_delivery_attempts (delivery_id)`.execute(db)

  // Invitations and budget requests go out by email like alerts and reports.
  await sql`alter table email_messages drop constraint email_messages_kind_check`.execute(db)
  await sql`alter table email_messages add constraint email_messages_kind_check check (kind in ('alert', 'report', 'invite', 'request', 'other'))`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from email_messages where kind in ('invite', 'request')`.execute(db)
  await sql`alter table email_messages drop constraint email_messages_kind_check`.execute(db)
  await sql`alter table email_messages add constraint email_messages_kind_check check (kind in ('alert', 'report', 'other'))`.execute(db)
  for (const table of ['webhook_delivery_attempts', 'webhook_deliveries', 'alert_route_channels', 'alert_routes', 'alert_channels', 'notifications', 'budget_requests']) {
    await db.schema.dropTable(table).ifExists().execute()
  }
  await sql`delete from usage_budgets where parent_budget_id is not null`.execute(db)
  await sql`drop index if exists usage_budgets_allocation_key`.execute(db)
  await sql`
    alter table usage_budgets
      drop constraint usage_budgets_allocation_check,
      drop column parent_budget_id,
      drop column period_raise_usd,
      drop column period_raise_start`.execute(db)
  // Rows that differed only by cost centre merge back into one rollup row per old key.
  for (const [table, bucket] of [
    ['usage_rollup_daily', 'day'],
    ['usage_rollup_15min', 'slot'],
  ] as const) {
    await sql
      .raw(
        `create temporary table merged as
           select team_id, ${bucket}, model, provider, prompt_id, user_id, api_key_id, feature, status,
                  sum(runs) runs, sum(input_tokens) input_tokens, sum(output_tokens) output_tokens,
                  sum(cached_input_tokens) cached_input_tokens, sum(cache_write_tokens) cache_write_tokens,
                  sum(reasoning_tokens) reasoning_tokens, sum(cost_usd) cost_usd, sum(latency_ms_sum) latency_ms_sum,
                  sum(unpriced_runs) unpriced_runs, max(updated_at) updated_at
           from ${table} group by 1, 2, 3, 4, 5, 6, 7, 8, 9`,
      )
      .execute(db)
    await sql.raw(`delete from ${table}`).execute(db)
    await sql.raw(`alter table ${table} drop constraint ${table}_dims_key, drop column cost_center_id`).execute(db)
    await sql.raw(`insert into ${table} select * from merged`).execute(db)
    await sql.raw(`drop table merged`).execute(db)
    await rekeyRollup(db, table, bucket, false)
  }
  await sql`alter table token_usage_logs drop column cost_center_id`.execute(db)
  await db.schema.dropTable('api_key_cost_centers').ifExists().execute()
  await sql`alter table prompts drop constraint prompts_cost_center_fk, drop column cost_center_id`.execute(db)
  await sql`alter table team_members drop constraint team_members_cost_center_fk, drop column cost_center_id`.execute(db)
  await db.schema.dropTable('cost_centers').ifExists().execute()
  await db.schema.dropTable('team_invites').ifExists().execute()
}
