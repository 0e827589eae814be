import { sql, type Kysely } from 'kysely'

// A retried usage event is answered with the first result only when it is the same event: the key remembers a
// SHA-256 of the canonical event it was first used for. Keys claimed before this migration have no hash and
// keep answering as before.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table usage_idempotency_keys add column request_hash text check (request_hash ~ '^[0-9a-f]{64}$')`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table usage_idempotency_keys drop column request_hash`.execute(db)
}
