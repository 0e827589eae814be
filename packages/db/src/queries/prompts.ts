import type { Db } from '../client'
import type { UsageStatus } from '../schema'

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
  createdBy: string | null
  createdAt: Date
  updatedAt: Date
}

export interface PromptValues {
  name: string
  systemMessage: string
  userMessage: string
  variables: Record<string, string>
  model: string
  maxOutputTokens: number
}

const promptColumns = [
  'id',
  'name',
  'system_message',
  'user_message',
  'variables',
  'model',
  'max_output_tokens',
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

export async function findPrompt(db: Executor, teamId: string, id: string): Promise<PromptRecord | undefined> {
  const row = await db
    .selectFrom('prompts')
    .select(promptColumns)
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .executeTakeFirst()
  return row ? toPrompt(row) : undefined
}

export async function insertPrompt(db: Executor, teamId: string, createdBy: string | null, values: PromptValues): Promise<PromptRecord> {
  const row = await db
    .insertInto('prompts')
    .values({
      team_id: teamId,
      created_by: createdBy,
      name: values.name,
      system_message: values.systemMessage,
      user_message: values.userMessage,
      variables: JSON.stringify(values.variables),
      model: values.model,
      max_output_tokens: values.maxOutputTokens,
    })
    .returning(promptColumns)
    .executeTakeFirstOrThrow()
  return toPrompt(row)
}

/** Replaces a prompt's content; undefined when the team has no prompt with this id. */
export async function updatePrompt(db: Executor, teamId: string, id: string, values: PromptValues): Promise<PromptRecord | undefined> {
  const row = await db
    .updateTable('prompts')
    .set({
      name: values.name,
      system_message: values.systemMessage,
      user_message: values.userMessage,
      variables: JSON.stringify(values.variables),
      model: values.model,
      max_output_tokens: values.maxOutputTokens,
      updated_at: new Date(),
    })
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .returning(promptColumns)
    .executeTakeFirst()
  return row ? toPrompt(row) : undefined
}

export async function renamePrompt(db: Executor, teamId: string, id: string, name: string): Promise<PromptRecord | undefined> {
  const row = await db
    .updateTable('prompts')
    .set({ name, updated_at: new Date() })
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .returning(promptColumns)
    .executeTakeFirst()
  return row ? toPrompt(row) : undefined
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
