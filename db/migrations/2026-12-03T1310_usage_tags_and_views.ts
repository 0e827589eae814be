import { sql, type Kysely } from 'kysely'

// Analytics that explain (issue 12): free-form feature names and string tags on every usage row, and saved
// views of the usage page (named filter sets) per team.

const FEATURE_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$'
const BUILT_IN_FEATURES = `('lab', 'preview', 'improve', 'api', 'other')`

export async function up(db: Kysely<any>): Promise<void> {
  // `feature` was a fixed list; any name of core's charset is valid now (the old values still are).
  // The constraint lives on the partitioned parent, so dropping and adding it reaches every partition.
  await sql`alter table token_usage_logs drop constraint if exists token_usage_logs_feature_check`.execute(db)
  await sql
    .raw(`alter table token_usage_logs add constraint token_usage_logs_feature_check check (feature ~ '${FEATURE_PATTERN}')`)
    .execute(db)

  // Tags: at most 10 string key/values (validated in core); filtered with `tags @> '{"k":"v"}'`, which the GIN
  // index (jsonb_path_ops, built per partition) answers.
  await sql`alter table token_usage_logs add column tags jsonb not null default '{}'::jsonb check (jsonb_typeof(tags) = 'object')`.execute(db)
  await sql`create index token_usage_logs_tags_idx on token_usage_logs using gin (tags jsonb_path_ops)`.execute(db)

  await sql`
    create table usage_saved_views (
      id uuid primary key default gen_random_uuid(),
      team_id uuid not null references teams (id) on delete cascade,
      name text not null check (length(name) between 1 and 80),
      query text not null check (length(query) <= 2000),
      created_by uuid references users (id) on delete set null,
      created_at timestamptz not null default now(),
      unique (team_id, name)
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists usage_saved_views`.execute(db)
  await sql`drop index if exists token_usage_logs_tags_idx`.execute(db)
  await sql`alter table token_usage_logs drop column if exists tags`.execute(db)
  await sql`alter table token_usage_logs drop constraint if exists token_usage_logs_feature_check`.execute(db)
  // Custom feature names do not fit the old list: they become 'other' (the rollups keep their own names).
  await sql.raw(`update token_usage_logs set feature = 'other' where feature not in ${BUILT_IN_FEATURES}`).execute(db)
  await sql
    .raw(`alter table token_usage_logs add constraint token_usage_logs_feature_check check (feature in ${BUILT_IN_FEATURES})`)
    .execute(db)
}
