import { sql } from 'kysely'
import type { Db } from '../client'

type Executor = Pick<Db, 'selectFrom' | 'insertInto' | 'updateTable' | 'deleteFrom'>

export interface CostLine {
  day: string
  model: string
  costUsd: string
}

/**
 * Stores a provider's cost export for one month, replacing an earlier import of the same provider and month
 * (run it inside a transaction). Lines are per UTC day and model (`''` when the export has no model).
 */
export async function replaceCostImport(
  db: Executor,
  input: {
    teamId: string
    provider: 'openai' | 'anthropic'
    format: 'openai-costs-json' | 'anthropic-cost-csv' | 'anthropic-cost-json'
    month: string
    fileName: string | null
    totalUsd: string
    importedBy: string | null
    lines: CostLine[]
  },
): Promise<string> {
  await db
    .deleteFrom('provider_cost_imports')
    .where('team_id', '=', input.teamId)
    .where('provider', '=', input.provider)
    .where('month', '=', input.month)
    .execute()
  const { id } = await db
    .insertInto('provider_cost_imports')
    .values({
      team_id: input.teamId,
      provider: input.provider,
      format: input.format,
      month: input.month,
      file_name: input.fileName,
      total_usd: input.totalUsd,
      imported_by: input.importedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (let i = 0; i < input.lines.length; i += 1000) {
    const part = input.lines.slice(i, i + 1000)
    await db
      .insertInto('provider_cost_lines')
      .values(
        part.map((l) => ({ import_id: id, team_id: input.teamId, day: l.day, model: l.model, cost_usd: l.costUsd })),
      )
      .execute()
  }
  return id
}

/** The team's import for a provider and month, with its lines (null when there is none). */
export async function findCostImport(db: Executor, teamId: string, provider: string, month: string) {
  const row = await db
    .selectFrom('provider_cost_imports')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('provider', '=', provider as 'openai' | 'anthropic')
    .where('month', '=', month)
    .executeTakeFirst()
  if (!row) return null
  const lines = await db
    .selectFrom('provider_cost_lines')
    .select(['day', 'model', 'cost_usd as costUsd'])
    .where('import_id', '=', row.id)
    .orderBy('day')
    .orderBy('model')
    .execute()
  return { ...row, lines }
}

/** The team's imports, newest month first. */
export async function listCostImports(db: Executor, teamId: string) {
  return db
    .selectFrom('provider_cost_imports')
    .select([
      'id',
      'provider',
      'format',
      'month',
      'file_name as fileName',
      'total_usd as totalUsd',
      'created_at as createdAt',
    ])
    .where('team_id', '=', teamId)
    .orderBy('month', 'desc')
    .orderBy('provider')
    .execute()
}

export interface TrackedLine {
  day: string
  model: string
  costUsd: string
  runs: string
  unpricedRuns: string
}

/**
 * What Costwise tracked for a provider over [start, end): cost per UTC day (providers bill in UTC) and model (the
 * resolved catalogue id where there is one, else the name sent), with the count of unpriced rows.
 */
export async function trackedCostByDayAndModel(
  db: Db,
  teamId: string,
  provider: string,
  start: Date,
  end: Date,
): Promise<TrackedLine[]> {
  const result = await sql<TrackedLine>`
    select to_char((occurred_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day,
           coalesce(resolved_model, lower(model)) as model,
           sum(cost_usd)::text as "costUsd",
           count(*)::text as runs,
           (count(*) filter (where not priced))::text as "unpricedRuns"
    from token_usage_logs
    where team_id = ${teamId} and provider = ${provider} and occurred_at >= ${start} and occurred_at < ${end}
    group by 1, 2
    order by 1, 2`.execute(db)
  return result.rows
}
