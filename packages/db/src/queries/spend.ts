import { sql } from 'kysely'
import type { Db } from '../client'

type Executor = Db

/** What a spend series covers: the whole team, or one member, key or prompt (a budget's scope). */
export interface SpendScope {
  userId?: string | null
  apiKeyId?: string | null
  promptId?: string | null
}

function scopeFilter(scope: SpendScope) {
  return sql.join(
    [
      sql`true`,
      ...(scope.userId ? [sql`user_id = ${scope.userId}`] : []),
      ...(scope.apiKeyId ? [sql`api_key_id = ${scope.apiKeyId}`] : []),
      ...(scope.promptId ? [sql`prompt_id = ${scope.promptId}`] : []),
    ],
    sql` and `,
  )
}

/**
 * Spend per local day in `timeZone` over [from, to) (instants on 15-minute boundaries, e.g. local midnights),
 * from the 15-minute rollup — every zone's day is a whole number of slots. Days without spend are absent.
 */
export async function dailySpend(
  db: Executor,
  teamId: string,
  input: { timeZone: string; from: Date; to: Date; scope?: SpendScope },
) {
  const { rows } = await sql<{ day: string; costUsd: string }>`
    select to_char((slot at time zone ${input.timeZone})::date, 'YYYY-MM-DD') as day, sum(cost_usd)::text as "costUsd"
    from usage_rollup_15min
    where team_id = ${teamId} and slot >= ${input.from} and slot < ${input.to} and ${scopeFilter(input.scope ?? {})}
    group by 1
    order by 1`.execute(db)
  return rows
}

/** Spend per local 15-minute slot of the day (0 … 95) over [from, to): how a usual day's spend is spread. */
export async function spendByTimeOfDay(
  db: Executor,
  teamId: string,
  input: { timeZone: string; from: Date; to: Date },
) {
  const { rows } = await sql<{ slotOfDay: number; costUsd: string }>`
    select (extract(hour from slot at time zone ${input.timeZone}) * 4 + extract(minute from slot at time zone ${input.timeZone}) / 15)::int as "slotOfDay",
      sum(cost_usd)::text as "costUsd"
    from usage_rollup_15min
    where team_id = ${teamId} and slot >= ${input.from} and slot < ${input.to}
    group by 1
    order by 1`.execute(db)
  return rows
}

/** Spend per local hour (`YYYY-MM-DDTHH`) and key, model and prompt over [from, to), for anomaly detection. */
export async function hourlySpendByEntity(
  db: Executor,
  teamId: string,
  input: { timeZone: string; from: Date; to: Date },
) {
  const { rows } = await sql<{
    hour: string
    apiKeyId: string | null
    model: string
    promptId: string | null
    costUsd: string
  }>`
    select to_char(slot at time zone ${input.timeZone}, 'YYYY-MM-DD"T"HH24') as hour,
      api_key_id as "apiKeyId", model, prompt_id as "promptId", sum(cost_usd)::text as "costUsd"
    from usage_rollup_15min
    where team_id = ${teamId} and slot >= ${input.from} and slot < ${input.to} and cost_usd > 0
    group by 1, 2, 3, 4`.execute(db)
  return rows
}

/** The first instant the team has any usage (its history starts there), or null. */
export async function firstUsageAt(db: Executor, teamId: string): Promise<Date | null> {
  const row = await db
    .selectFrom('usage_rollup_15min')
    .select((eb) => eb.fn.min('slot').as('first'))
    .where('team_id', '=', teamId)
    .executeTakeFirst()
  return (row?.first as Date | null | undefined) ?? null
}
