import { sql, type Kysely } from 'kysely'

// How a team reads times (issue 12): the 12- or 24-hour clock, beside its time zone. 'h23' is the 24-hour cycle
// that writes midnight as 00:xx.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table teams add column hour_cycle text not null default 'h12' check (hour_cycle in ('h12', 'h23'))`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table teams drop column hour_cycle`.execute(db)
}
