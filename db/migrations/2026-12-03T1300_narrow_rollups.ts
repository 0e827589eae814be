import { sql, type Kysely } from 'kysely'

// Narrow rollups for what the dashboards read (issue 16, item 5): per team and local day, and per day and model,
// prompt or member. The wide daily rollup keys on nine dimensions, so a 30-day dashboard at 10 M rows sums
// thousands of rows per query; these hold one row per (team, day[, dimension]).
//
// They are kept by statement triggers on usage_rollup_daily, so every writer of the daily rollup (ingestion's
// upsert, `rebuildRollups`, re-keying, team deletion, truncate) keeps them exact in its own transaction: each statement's
// changed rows (transition tables) are summed per narrow key and added, new minus old. Rows are locked in key
// order. `error_runs`, `ok_runs` and `ok_cost_usd` carry what the wide table answers with a status filter.

const NARROW: { table: string; key: string | null }[] = [
  { table: 'usage_daily_team', key: null },
  { table: 'usage_daily_model', key: 'model' },
  { table: 'usage_daily_prompt', key: 'prompt_id' },
  { table: 'usage_daily_user', key: 'user_id' },
]

const MEASURES = `
  runs bigint not null default 0,
  error_runs bigint not null default 0,
  ok_runs bigint not null default 0,
  ok_cost_usd numeric(24,9) not null default 0,
  input_tokens bigint not null default 0,
  output_tokens bigint not null default 0,
  cached_input_tokens bigint not null default 0,
  cache_write_tokens bigint not null default 0,
  reasoning_tokens bigint not null default 0,
  cost_usd numeric(24,9) not null default 0,
  latency_ms_sum bigint not null default 0,
  unpriced_runs bigint not null default 0`

const COLUMNS = [
  'runs',
  'error_runs',
  'ok_runs',
  'ok_cost_usd',
  'input_tokens',
  'output_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'cost_usd',
  'latency_ms_sum',
  'unpriced_runs',
]

/** The measures of wide-rollup rows `r`, signed (+1 new rows, -1 old rows). */
const signed = (sign: string) =>
  [
    `${sign} * r.runs`,
    `${sign} * case when r.status = 'error' then r.runs else 0 end`,
    `${sign} * case when r.status = 'ok' then r.runs else 0 end`,
    `${sign} * case when r.status = 'ok' then r.cost_usd else 0 end`,
    `${sign} * r.input_tokens`,
    `${sign} * r.output_tokens`,
    `${sign} * r.cached_input_tokens`,
    `${sign} * r.cache_write_tokens`,
    `${sign} * r.reasoning_tokens`,
    `${sign} * r.cost_usd`,
    `${sign} * r.latency_ms_sum`,
    `${sign} * r.unpriced_runs`,
  ].join(', ')

function keyCols(key: string | null): string {
  return key ? `team_id, day, ${key}` : 'team_id, day'
}

/** The statement that adds a delta relation `changes` (wide-rollup rows with a `sign`) to one narrow table. */
function applyDelta(table: string, key: string | null, changes: string): string {
  const keys = keyCols(key)
  return `
    insert into ${table} as n (${keys}, ${COLUMNS.join(', ')})
    select ${keys}, ${COLUMNS.map((c) => `sum(${c})`).join(', ')}
    from (${changes}) d
    group by ${keys}
    order by ${keys}
    on conflict (${keys}) do update set
      ${COLUMNS.map((c) => `${c} = n.${c} + excluded.${c}`).join(',\n      ')}`
}

const AS_DELTA = (relation: string, sign: string) =>
  `select r.team_id, r.day, r.model, r.prompt_id, r.user_id, ${signed(sign)
    .split(', ')
    .map((expr, i) => `${expr} as ${COLUMNS[i]}`)
    .join(', ')} from ${relation} r`

export async function up(db: Kysely<any>): Promise<void> {
  for (const { table, key } of NARROW) {
    const keyColumn = key === 'model' ? 'model text not null,' : key ? `${key} uuid,` : ''
    await sql
      .raw(
        `create table ${table} (
          team_id uuid not null references teams (id) on delete cascade,
          day date not null,
          ${keyColumn}
          ${MEASURES},
          unique nulls not distinct (${keyCols(key)})
        )`,
      )
      .execute(db)
  }

  // One function per event (transition tables allow one event per trigger); each applies the statement's delta
  // to the four tables. Deletes only subtract from rows that exist (a team's rows go by cascade) and drop rows
  // left with no runs, so a narrow table has a row exactly where the wide one has some.
  const body = (changes: string) => NARROW.map(({ table, key }) => applyDelta(table, key, changes)).join(';\n')
  await sql
    .raw(
      `create function usage_daily_narrow_insert() returns trigger language plpgsql as $fn$
      begin
        ${body(AS_DELTA('new_rows', '1'))};
        return null;
      end $fn$;
      create function usage_daily_narrow_update() returns trigger language plpgsql as $fn$
      begin
        ${body(`${AS_DELTA('new_rows', '1')} union all ${AS_DELTA('old_rows', '-1')}`)};
        return null;
      end $fn$;
      create function usage_daily_narrow_delete() returns trigger language plpgsql as $fn$
      begin
        ${NARROW.map(({ table, key }) => {
          const keys = keyCols(key)
          const join = keys
            .split(', ')
            .map((k) => `n.${k} is not distinct from d.${k}`)
            .join(' and ')
          return `update ${table} n set ${COLUMNS.map((c) => `${c} = n.${c} + d.${c}`).join(', ')}
            from (select ${keys}, ${COLUMNS.map((c) => `sum(${c}) as ${c}`).join(', ')} from (${AS_DELTA('old_rows', '-1')}) x group by ${keys}) d
            where ${join};
          delete from ${table} where team_id in (select distinct team_id from old_rows) and runs = 0`
        }).join(';\n')};
        return null;
      end $fn$;
      create function usage_daily_narrow_truncate() returns trigger language plpgsql as $fn$
      begin
        truncate ${NARROW.map((n) => n.table).join(', ')};
        return null;
      end $fn$;
      create trigger usage_daily_narrow_truncate after truncate on usage_rollup_daily
        for each statement execute function usage_daily_narrow_truncate();
      create trigger usage_daily_narrow_insert after insert on usage_rollup_daily
        referencing new table as new_rows for each statement execute function usage_daily_narrow_insert();
      create trigger usage_daily_narrow_update after update on usage_rollup_daily
        referencing new table as new_rows old table as old_rows for each statement execute function usage_daily_narrow_update();
      create trigger usage_daily_narrow_delete after delete on usage_rollup_daily
        referencing old table as old_rows for each statement execute function usage_daily_narrow_delete();`,
    )
    .execute(db)

  // Backfill from the wide daily rollup (which agrees with the raw log).
  for (const { table, key } of NARROW) await sql.raw(applyDelta(table, key, AS_DELTA('usage_rollup_daily', '1'))).execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const event of ['insert', 'update', 'delete', 'truncate']) {
    await sql.raw(`drop trigger if exists usage_daily_narrow_${event} on usage_rollup_daily`).execute(db)
    await sql.raw(`drop function if exists usage_daily_narrow_${event}()`).execute(db)
  }
  for (const { table } of NARROW) await db.schema.dropTable(table).ifExists().execute()
}
