import type { Readable } from 'node:stream'
import { to as copyTo } from 'pg-copy-streams'
import { poolOf, type Db } from '../client'
import type { UsageFilters } from './analytics'

/**
 * A text column a spreadsheet will not read as a formula: a value starting with `=`, `+`, `-`, `@`, a tab or a
 * carriage return gets a leading `'` — the rule of @costwise/core `csvSafeText`, in SQL so COPY keeps streaming.
 * Number columns are not passed through it (a negative amount is data).
 */
const safeText = (column: string) =>
  `case when ${column} ~ E'^[-=+@\\t\\r]' then '''' || ${column} else ${column} end as ${column}`

const COLUMNS = [
  'to_char(occurred_at at time zone \'UTC\', \'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"\') as occurred_at',
  'id',
  safeText('model'),
  safeText('resolved_model'),
  safeText('provider'),
  'feature',
  'status',
  'prompt_id',
  'user_id',
  'api_key_id',
  'input_tokens',
  'output_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'cost_usd',
  'priced',
  'latency_ms',
  safeText('price_version'),
  // The tags as one JSON object ("{}" when none); it starts with "{", so no spreadsheet reads it as a formula.
  'tags::text as tags',
]

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Streams the team's usage rows over [from, to) as CSV straight from PostgreSQL (`COPY … TO STDOUT`), so a
 * million rows cost constant memory. COPY takes no bind parameters: every value is validated or escaped.
 */
export async function copyUsageCsv(
  db: Db,
  input: { teamId: string; from: Date; to: Date; filters: UsageFilters },
): Promise<Readable> {
  if (!UUID.test(input.teamId)) throw new Error('copyUsageCsv: teamId must be a UUID')
  const client = await poolOf(db).connect()
  const lit = (v: string) => client.escapeLiteral(v)
  const inList = (column: string, values: string[] | undefined) =>
    values?.length ? ` and ${column} in (${values.map(lit).join(', ')})` : ''
  const f = input.filters
  const where =
    `team_id = ${lit(input.teamId)} and occurred_at >= ${lit(input.from.toISOString())}::timestamptz` +
    ` and occurred_at < ${lit(input.to.toISOString())}::timestamptz` +
    inList('model', f.model) +
    inList('provider', f.provider) +
    inList('prompt_id::text', f.promptId) +
    inList('user_id::text', f.userId) +
    inList('api_key_id::text', f.apiKeyId) +
    inList('feature', f.feature) +
    inList('status', f.status) +
    (f.tag ?? [])
      .map(
        (t) =>
          ` and tags @> ${lit(JSON.stringify({ [t.slice(0, t.indexOf(':'))]: t.slice(t.indexOf(':') + 1) }))}::jsonb`,
      )
      .join('')
  // Order by the column, not the to_char() alias of the same name (which would sort text, on disk).
  const query = `copy (select ${COLUMNS.join(', ')} from token_usage_logs where ${where} order by token_usage_logs.occurred_at, token_usage_logs.id) to stdout with (format csv, header true)`
  const stream = client.query(copyTo(query))
  let released = false
  const release = (error?: Error) => {
    if (released) return
    released = true
    client.release(error)
  }
  stream.on('end', () => release())
  stream.on('error', (error) => release(error))
  // Closed before the end (the client went away): drop the connection rather than return it to the pool
  // mid-COPY; PostgreSQL then stops the COPY.
  stream.on('close', () => release(new Error('COPY stream closed before the end')))
  return stream
}
