import { sql, type Kysely } from 'kysely'

// Reports (saved definitions with optional schedules, and their runs) and archived usage months.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table report_schedules (
      id uuid primary key default gen_random_uuid(),
      team_id uuid not null references teams (id) on delete cascade,
      name text not null check (length(name) between 1 and 200),
      created_by uuid references users (id) on delete set null,
      definition jsonb not null check (jsonb_typeof(definition) = 'object'),
      format text not null check (format in ('csv', 'pdf')),
      recipients text[] not null default '{}' check (cardinality(recipients) <= 50),
      frequency text not null default 'none' check (frequency in ('none', 'daily', 'weekly', 'monthly')),
      time_of_day text not null default '08:00' check (time_of_day ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
      day_of_week integer check (day_of_week between 1 and 7),
      day_of_month integer check (day_of_month between 1 and 28),
      next_run_at timestamptz,
      active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (frequency <> 'weekly' or day_of_week is not null),
      check (frequency <> 'monthly' or day_of_month is not null),
      check ((frequency = 'none') = (next_run_at is null) or not active)
    )`.execute(db)
  await sql`create index report_schedules_team_idx on report_schedules (team_id, created_at desc)`.execute(db)
  await sql`create index report_schedules_due_idx on report_schedules (next_run_at) where active and next_run_at is not null`.execute(db)

  await sql`
    create table report_runs (
      id uuid primary key default gen_random_uuid(),
      team_id uuid not null references teams (id) on delete cascade,
      schedule_id uuid references report_schedules (id) on delete set null,
      trigger text not null check (trigger in ('schedule', 'manual', 'cli')),
      definition jsonb not null check (jsonb_typeof(definition) = 'object'),
      format text not null check (format in ('csv', 'pdf')),
      recipients text[] not null default '{}',
      status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
      range_from date,
      range_to date,
      artefact_key text,
      size_bytes integer,
      error text,
      created_at timestamptz not null default now(),
      finished_at timestamptz
    )`.execute(db)
  await sql`create index report_runs_team_idx on report_runs (team_id, created_at desc)`.execute(db)

  await sql`
    create table usage_archives (
      month date primary key check (extract(day from month) = 1),
      artefact_key text not null,
      row_count bigint not null,
      cost_usd numeric(24,9) not null,
      archived_at timestamptz not null default now(),
      restored_at timestamptz
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('usage_archives').ifExists().execute()
  await db.schema.dropTable('report_runs').ifExists().execute()
  await db.schema.dropTable('report_schedules').ifExists().execute()
}
