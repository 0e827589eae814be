import { sql, type Kysely } from 'kysely'

// Permissions (issue 10): scoped API keys with an optional expiry and model list; the plan moves from users to
// teams; an append-only audit log; a shared store for rate limits (sign-in throttling and per-key limits).

const DEFAULT_SCOPES = `'{usage:write,usage:read,budgets:read}'::text[]`
const ALL_SCOPES = `'{usage:write,usage:read,budgets:read,budgets:write,alerts:read,alerts:write,reports:write,prompts:write}'::text[]`

export async function up(db: Kysely<any>): Promise<void> {
  // Existing keys get the default scopes: they keep tracking and reading, and lose budget writes.
  await sql
    .raw(
      `alter table api_keys
        add column scopes text[] not null default ${DEFAULT_SCOPES}
          check (cardinality(scopes) between 1 and 8 and scopes <@ ${ALL_SCOPES}),
        add column expires_at timestamptz,
        add column allowed_models text[] check (allowed_models is null or cardinality(allowed_models) between 1 and 100)`,
    )
    .execute(db)

  // A team's plan is the best plan any of its owners had (the demo owner's enterprise keeps the demo team there).
  await sql`
    alter table teams
      add column plan text not null default 'free' check (plan in ('free', 'pro', 'enterprise')),
      add column plan_changed_at timestamptz not null default now()`.execute(db)
  await sql`
    update teams set plan = best.tier
    from (
      select m.team_id,
             (array['free', 'pro', 'enterprise'])[max(case p.tier when 'enterprise' then 3 when 'pro' then 2 else 1 end)] as tier
      from team_members m join user_profiles p on p.user_id = m.user_id
      where m.role = 'owner'
      group by m.team_id
    ) best
    where best.team_id = teams.id`.execute(db)
  await sql`alter table user_profiles drop column tier, drop column tier_changed_at`.execute(db)

  // Who changed what, when, from where. No foreign keys: a row outlives the team, user or key it names.
  await sql`
    create table audit_log (
      id uuid primary key default gen_random_uuid(),
      team_id uuid not null,
      -- Milliseconds, like the cursors the API hands out (a JavaScript Date), so keyset pages never skip a row.
      occurred_at timestamptz not null default date_trunc('milliseconds', now()),
      actor_kind text not null check (actor_kind in ('user', 'api_key', 'cli', 'system')),
      actor_user_id uuid,
      actor_api_key_id uuid,
      action text not null check (action ~ '^[a-z_]+\\.[a-z_]+$'),
      target_type text not null,
      target_id text,
      before jsonb,
      after jsonb,
      ip text,
      check (actor_kind <> 'user' or actor_user_id is not null),
      check (actor_kind <> 'api_key' or actor_api_key_id is not null)
    )`.execute(db)
  await sql`create index audit_log_team_idx on audit_log (team_id, occurred_at desc, id desc)`.execute(db)
  await sql`create index audit_log_team_action_idx on audit_log (team_id, action, occurred_at desc, id desc)`.execute(db)
  // Append-only: the database itself refuses to change or remove a row.
  await sql`
    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
    end $$`.execute(db)
  await sql`
    create trigger audit_log_no_update_delete before update or delete on audit_log
    for each row execute function audit_log_append_only()`.execute(db)
  await sql`
    create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_append_only()`.execute(db)

  // Fixed-window counters shared by every web process (sign-in throttling, per-key request limits).
  await sql`
    create table rate_limits (
      key text primary key check (length(key) <= 300),
      points integer not null check (points >= 0),
      expires_at timestamptz not null
    )`.execute(db)
  await sql`create index rate_limits_expires_idx on rate_limits (expires_at)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_limits').ifExists().execute()
  await db.schema.dropTable('audit_log').ifExists().execute()
  await sql`drop function if exists audit_log_append_only()`.execute(db)
  await sql`
    alter table user_profiles
      add column tier text not null default 'free' check (tier in ('free', 'pro', 'enterprise')),
      add column tier_changed_at timestamptz not null default now()`.execute(db)
  // Back to per-user tiers: each user gets the best plan of the teams they own.
  await sql`
    update user_profiles set tier = best.plan
    from (
      select m.user_id,
             (array['free', 'pro', 'enterprise'])[max(case t.plan when 'enterprise' then 3 when 'pro' then 2 else 1 end)] as plan
      from team_members m join teams t on t.id = m.team_id
      where m.role = 'owner'
      group by m.user_id
    ) best
    where best.user_id = user_profiles.user_id`.execute(db)
  await sql`alter table teams drop column plan, drop column plan_changed_at`.execute(db)
  await sql`alter table api_keys drop column scopes, drop column expires_at, drop column allowed_models`.execute(db)
}
