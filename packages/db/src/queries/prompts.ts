import type { Db } from '../client'
import type { PromptChangeSource, UsageStatus } from '../schema'

/** A Kysely instance or a transaction. */
type Executor = Db

/** A saved Prompt Lab prompt, as the domain sees it. */
export interface PromptRecord {
  id: string
  name: string
  systemMessage: string
  userMessage: string
  variables: Record<string, string>
  model: string
  maxOutputTokens: number
  /** Caching guidance is on: the gateway asks the provider to cache the stable prefix. */
  caching: boolean
  version: number
  createdBy: string | null
  createdAt: Date
  updatedAt: Date
}

/** A prompt's content: what a version records before and after a change. */
export interface PromptValues {
  name: string
  systemMessage: string
  userMessage: string
  variables: Record<string, string>
  model: string
  maxOutputTokens: number
  caching: boolean
}

const promptColumns = [
  'id',
  'name',
  'system_message',
  'user_message',
  'variables',
  'model',
  'max_output_tokens',
  'caching',
  'version',
  'created_by',
  'created_at',
  'updated_at',
] as const

function toPrompt(row: {
  id: string
  name: string
  system_message: string
  user_message: string
  variables: Record<string, string>
  model: string
  max_output_tokens: number
  caching: boolean
  version: number
  created_by: string | null
  created_at: Date
  updated_at: Date
}): PromptRecord {
  return {
    id: row.id,
    name: row.name,
    systemMessage: row.system_message,
    userMessage: row.user_message,
    variables: row.variables,
    model: row.model,
    maxOutputTokens: row.max_output_tokens,
    caching: row.caching,
    version: row.version,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

export interface PromptSummary {
  id: string
  name: string
  model: string
  updatedAt: Date
}

/** A team's prompts, most recently changed first. */
export async function listPrompts(db: Executor, teamId: string, limit = 200): Promise<PromptSummary[]> {
  const rows = await db
    .selectFrom('prompts')
    .select(['id', 'name', 'model', 'updated_at'])
    .where('team_id', '=', teamId)
    .orderBy('updated_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute()
  return rows.map((r) => ({ id: r.id, name: r.name, model: r.model, updatedAt: r.updated_at }))
}

/** A team's prompts with their content, most recently changed first. */
export async function listPromptRecords(db: Executor, teamId: string, limit = 200): Promise<PromptRecord[]> {
  const rows = await db
    .selectFrom('prompts')
    .select(promptColumns)
    .where('team_id', '=', teamId)
    .orderBy('updated_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute()
  return rows.map(toPrompt)
}

export async function findPrompt(db: Executor, teamId: string, id: string): Promise<PromptRecord | undefined> {
  const row = await db
    .selectFrom('prompts')
    .select(promptColumns)
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .executeTakeFirst()
  return row ? toPrompt(row) : undefined
}

/** The content of a prompt record, as a version stores it. */
export function promptValues(p: PromptRecord): PromptValues {
  return {
    name: p.name,
    systemMessage: p.systemMessage,
    userMessage: p.userMessage,
    variables: p.variables,
    model: p.model,
    maxOutputTokens: p.maxOutputTokens,
    caching: p.caching,
  }
}

const contentColumns = (values: PromptValues) => ({
  name: values.name,
  system_message: values.systemMessage,
  user_message: values.userMessage,
  variables: JSON.stringify(values.variables),
  model: values.model,
  max_output_tokens: values.maxOutputTokens,
  caching: values.caching,
})

/** Who made a change and why; stored with the version. */
export interface ChangeMeta {
  source: PromptChangeSource
  userId: string | null
  apiKeyId: string | null
  recommendationId?: string | null
  revertedTo?: number | null
}

async function insertVersion(
  db: Executor,
  teamId: string,
  prompt: PromptRecord,
  before: PromptValues | null,
  meta: ChangeMeta,
): Promise<void> {
  await db
    .insertInto('prompt_versions')
    .values({
      team_id: teamId,
      prompt_id: prompt.id,
      version: prompt.version,
      source: meta.source,
      changed_by: meta.userId,
      changed_by_api_key: meta.apiKeyId,
      recommendation_id: meta.recommendationId ?? null,
      reverted_to: meta.revertedTo ?? null,
      before: before ? JSON.stringify(before) : null,
      after: JSON.stringify(promptValues(prompt)),
    })
    .execute()
}

/** Creates a prompt and its version 1. Call inside a transaction so both land together. */
export async function insertPrompt(
  db: Executor,
  teamId: string,
  values: PromptValues,
  meta: Omit<ChangeMeta, 'source'>,
): Promise<PromptRecord> {
  const row = await db
    .insertInto('prompts')
    .values({ team_id: teamId, created_by: meta.userId, ...contentColumns(values) })
    .returning(promptColumns)
    .executeTakeFirstOrThrow()
  const prompt = toPrompt(row)
  await insertVersion(db, teamId, prompt, null, { ...meta, source: 'create' })
  return prompt
}

/** Whether a prompt has caching guidance on (false for an unknown id). */
export async function promptCaching(db: Executor, teamId: string, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('prompts')
    .select('caching')
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .executeTakeFirst()
  return row?.caching ?? false
}

/** Locks a team's prompt for a change (in a transaction); undefined when there is none with this id. */
export async function lockPrompt(db: Executor, teamId: string, id: string): Promise<PromptRecord | undefined> {
  const row = await db
    .selectFrom('prompts')
    .select(promptColumns)
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
  return row ? toPrompt(row) : undefined
}

/**
 * Replaces a prompt's content and records the change as its next version (before → after, who, why). Call
 * inside a transaction after {@link lockPrompt}, passing what it returned, so versions never interleave.
 */
export async function changePrompt(
  db: Executor,
  teamId: string,
  current: PromptRecord,
  values: PromptValues,
  meta: ChangeMeta,
): Promise<PromptRecord> {
  const row = await db
    .updateTable('prompts')
    .set({ ...contentColumns(values), version: current.version + 1, updated_at: new Date() })
    .where('team_id', '=', teamId)
    .where('id', '=', current.id)
    .returning(promptColumns)
    .executeTakeFirstOrThrow()
  const prompt = toPrompt(row)
  await insertVersion(db, teamId, prompt, promptValues(current), meta)
  return prompt
}

export interface PromptVersion {
  version: number
  source: PromptChangeSource
  changedBy: string | null
  changedByName: string | null
  changedByApiKey: string | null
  recommendationId: string | null
  revertedTo: number | null
  before: PromptValues | null
  after: PromptValues
  createdAt: Date
}

/** A prompt's versions, newest first. */
export async function listPromptVersions(
  db: Executor,
  teamId: string,
  promptId: string,
  limit = 100,
): Promise<PromptVersion[]> {
  const rows = await db
    .selectFrom('prompt_versions as v')
    .leftJoin('users as u', 'u.id', 'v.changed_by')
    .select([
      'v.version',
      'v.source',
      'v.changed_by',
      'u.name as changed_by_name',
      'v.changed_by_api_key',
      'v.recommendation_id',
      'v.reverted_to',
      'v.before',
      'v.after',
      'v.created_at',
    ])
    .where('v.team_id', '=', teamId)
    .where('v.prompt_id', '=', promptId)
    .orderBy('v.version', 'desc')
    .limit(limit)
    .execute()
  return rows.map((r) => ({
    version: r.version,
    source: r.source,
    changedBy: r.changed_by,
    changedByName: r.changed_by_name,
    changedByApiKey: r.changed_by_api_key,
    recommendationId: r.recommendation_id,
    revertedTo: r.reverted_to,
    before: r.before as PromptValues | null,
    after: r.after as unknown as PromptValues,
    createdAt: r.created_at,
  }))
}

/** One version's content (what the prompt was after it). */
export async function findPromptVersion(db: Executor, teamId: string, promptId: string, version: number) {
  const row = await db
    .selectFrom('prompt_versions')
    .select(['after', 'source', 'recommendation_id'])
    .where('team_id', '=', teamId)
    .where('prompt_id', '=', promptId)
    .where('version', '=', version)
    .executeTakeFirst()
  return row
    ? { after: row.after as unknown as PromptValues, source: row.source, recommendationId: row.recommendation_id }
    : undefined
}

export async function deletePrompt(db: Executor, teamId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('prompts').where('team_id', '=', teamId).where('id', '=', id).executeTakeFirst()
  return result.numDeletedRows > 0n
}

export interface NewPromptRun {
  teamId: string
  promptId: string
  userId: string | null
  usageLogId: string | null
  model: string
  status: UsageStatus
  inputTokens: number
  outputTokens: number
  cachedInputTokens: number
  reasoningTokens: number
  estimatedCostUsd: string | null
  costUsd: string
  latencyMs: number | null
  timeToFirstTokenMs: number | null
  output: string | null
  error: string | null
}

export interface PromptRun extends Omit<NewPromptRun, 'teamId'> {
  id: string
  createdAt: Date
}

export async function insertPromptRun(db: Executor, run: NewPromptRun): Promise<string> {
  const row = await db
    .insertInto('prompt_run_history')
    .values({
      team_id: run.teamId,
      prompt_id: run.promptId,
      user_id: run.userId,
      usage_log_id: run.usageLogId,
      model: run.model,
      status: run.status,
      input_tokens: run.inputTokens,
      output_tokens: run.outputTokens,
      cached_input_tokens: run.cachedInputTokens,
      reasoning_tokens: run.reasoningTokens,
      estimated_cost_usd: run.estimatedCostUsd,
      cost_usd: run.costUsd,
      latency_ms: run.latencyMs,
      time_to_first_token_ms: run.timeToFirstTokenMs,
      output: run.output,
      error: run.error,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** A prompt's runs, newest first. */
export async function listPromptRuns(db: Executor, teamId: string, promptId: string, limit = 50): Promise<PromptRun[]> {
  const rows = await db
    .selectFrom('prompt_run_history')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('prompt_id', '=', promptId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    promptId: r.prompt_id,
    userId: r.user_id,
    usageLogId: r.usage_log_id,
    model: r.model,
    status: r.status,
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
    cachedInputTokens: r.cached_input_tokens,
    reasoningTokens: r.reasoning_tokens,
    estimatedCostUsd: r.estimated_cost_usd,
    costUsd: r.cost_usd,
    latencyMs: r.latency_ms,
    timeToFirstTokenMs: r.time_to_first_token_ms,
    output: r.output,
    error: r.error,
    createdAt: r.created_at,
  }))
}
