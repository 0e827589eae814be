import { sql, type Kysely } from 'kysely'

// Web processes cache API keys, teams and prices (issue 16). Every change to those rows is announced on the
// channel `costwise_cache` as '<table>:<team id or empty>', whoever makes it (the app, the CLI, psql), so every
// process drops its copy when the change commits. NOTIFY is transactional and folds identical payloads of one
// transaction, so a price import of thousands of rows sends one message.

const WATCHED: { table: string; team: string; columns?: string }[] = [
  // last_used_at changes once a minute per busy key and is never cached: not watched.
  { table: 'api_keys', team: 'team_id', columns: 'revoked_at, expires_at, scopes, allowed_models, key_hash, team_id, name' },
  { table: 'teams', team: 'id' },
  { table: 'model_prices', team: 'team_id' },
  { table: 'team_price_discounts', team: 'team_id' },
  { table: 'team_model_mappings', team: 'team_id' },
]

export async function up(db: Kysely<any>): Promise<void> {
  for (const { table, team } of WATCHED) {
    await sql
      .raw(
        `create function ${table}_cache_notify() returns trigger language plpgsql as $$
        begin
          perform pg_notify('costwise_cache', '${table}:' || coalesce(case when tg_op = 'DELETE' then old.${team} else new.${team} end::text, ''));
          if tg_op = 'UPDATE' and old.${team} is distinct from new.${team} then
            perform pg_notify('costwise_cache', '${table}:' || coalesce(old.${team}::text, ''));
          end if;
          return null;
        end $$`,
      )
      .execute(db)
  }
  for (const { table, columns } of WATCHED) {
    const events = columns ? `insert or update of ${columns} or delete` : 'insert or update or delete'
    await sql.raw(`create trigger ${table}_cache_notify after ${events} on ${table} for each row execute function ${table}_cache_notify()`).execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const { table } of WATCHED) {
    await sql.raw(`drop trigger if exists ${table}_cache_notify on ${table}`).execute(db)
    await sql.raw(`drop function if exists ${table}_cache_notify()`).execute(db)
  }
}
