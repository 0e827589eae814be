import { sql, type Kysely } from 'kysely'

// Tracking engine: a 15-minute rollup beside the daily one (every time zone's offset is a multiple of 15
// minutes, so local hours and days are whole slots in any zone), and the email outbox / delivery log.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table usage_rollup_15min (
      team_id uuid not null references teams (id) on delete cascade,
      slot timestamptz not null check (date_bin('15 minutes', slot, timestamptz '2000-01-01 00:00:00+00') = slot),
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
      unique nulls not distinct (team_id, slot, model, provider, prompt_id, user_id, api_key_id, feature, status)
    )`.execute(db)
  await sql`create index usage_rollup_15min_team_slot_idx on usage_rollup_15min (team_id, slot)`.execute(db)

  await sql`create index budget_reservation_items_budget_idx on budget_reservation_items (budget_id)`.execute(db)

  // Every email we send or keep: the outbox when no SMTP server is configured, and the delivery log.
  await sql`
    create table email_messages (
      id uuid primary key default gen_random_uuid(),
      team_id uuid references teams (id) on delete cascade,
      kind text not null check (kind in ('alert', 'report', 'other')),
      dedupe_key text,
      to_address text not null,
      subject text not null,
      text_body text not null,
      html_body text,
      attachments jsonb not null default '[]'::jsonb check (jsonb_typeof(attachments) = 'array'),
      status text not null default 'queued' check (status in ('queued', 'sent', 'outbox', 'failed')),
      attempts integer not null default 0,
      last_error text,
      created_at timestamptz not null default now(),
      sent_at timestamptz,
      unique (dedupe_key)
    )`.execute(db)
  await sql`create index email_messages_team_idx on email_messages (team_id, created_at desc)`.execute(db)

  await sql`
    create table email_delivery_attempts (
      id bigint generated always as identity primary key,
      message_id uuid not null references email_messages (id) on delete cascade,
      attempted_at timestamptz not null default now(),
      ok boolean not null,
      transport text not null,
      error text
    )`.execute(db)
  await sql`create index email_delivery_attempts_message_idx on email_delivery_attempts (message_id)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('email_delivery_attempts').ifExists().execute()
  await db.schema.dropTable('email_messages').ifExists().execute()
  await sql`drop index if exists budget_reservation_items_budget_idx`.execute(db)
  await db.schema.dropTable('usage_rollup_15min').ifExists().execute()
}
