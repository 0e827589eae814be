import { AppError } from '@costwise/core'
import { prompts, recommendations, type Db } from '@costwise/db'
import { z } from 'zod'
import type { TeamScope } from '../trpc'

/**
 * Saved prompts: created, changed and reverted only through here, so every change is a version (who, when,
 * before → after) written in the same transaction as the change. The Prompt Lab, the REST API and Apply
 * of a recommendation all use these.
 */

const nameSchema = z.string().trim().min(1, 'name is required').max(200, 'name must be at most 200 characters')
const modelSchema = z.string().trim().min(1, 'model is required').max(200, 'model must be at most 200 characters')
const maxOutputTokensSchema = z
  .number()
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(200_000, 'must be at most 200000')
export const variablesSchema = z
  .record(z.string().trim().min(1).max(64, 'variable names are at most 64 characters'), z.string().max(1_000_000))
  .refine((v) => Object.keys(v).length <= 100, 'at most 100 variables')

/** A prompt as chat messages: an optional system message first, then the user message (the Lab's two boxes). */
export const promptMessagesSchema = z
  .array(
    z.object({
      role: z.enum(['system', 'user'], {
        error: 'a saved prompt has a system message and a user message: use "system" or "user"',
      }),
      content: z.string().max(1_000_000, 'must be at most 1 MB'),
    }),
  )
  .min(1, 'send the user message (and optionally a system message before it)')
  .max(2, 'a saved prompt has at most two messages: system, then user')
  .superRefine((messages, ctx) => {
    const users = messages.filter((m) => m.role === 'user').length
    if (users !== 1) ctx.addIssue({ code: 'custom', path: [], message: 'a saved prompt has exactly one user message' })
    messages.forEach((m, i) => {
      if (m.role === 'system' && i !== 0)
        ctx.addIssue({ code: 'custom', path: [i, 'role'], message: 'the system message comes first' })
    })
  })
export type PromptMessages = z.infer<typeof promptMessagesSchema>

export const createPromptSchema = z.object({
  name: nameSchema,
  model: modelSchema,
  messages: promptMessagesSchema,
  maxOutputTokens: maxOutputTokensSchema.default(1024),
  variables: variablesSchema.default({}),
  caching: z.boolean().default(false),
})

export const patchPromptSchema = z.object({
  id: z.uuid('id must be a UUID'),
  name: nameSchema.optional(),
  model: modelSchema.optional(),
  messages: promptMessagesSchema.optional(),
  maxOutputTokens: maxOutputTokensSchema.optional(),
  variables: variablesSchema.optional(),
  caching: z.boolean().optional(),
})

export const promptViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  model: z.string(),
  messages: z.array(z.object({ role: z.enum(['system', 'user']), content: z.string() })),
  systemMessage: z.string(),
  userMessage: z.string(),
  variables: z.record(z.string(), z.string()),
  maxOutputTokens: z.number(),
  caching: z.boolean(),
  version: z.number(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type PromptView = z.infer<typeof promptViewSchema>

const promptValuesSchema = z.object({
  name: z.string(),
  model: z.string(),
  systemMessage: z.string(),
  userMessage: z.string(),
  variables: z.record(z.string(), z.string()),
  maxOutputTokens: z.number(),
  caching: z.boolean(),
})

export const promptVersionSchema = z.object({
  version: z.number(),
  source: z.enum(['create', 'edit', 'apply', 'revert']),
  changedBy: z.object({
    kind: z.enum(['user', 'api_key', 'unknown']),
    id: z.string().nullable(),
    name: z.string().nullable(),
  }),
  recommendationId: z.string().nullable(),
  revertedTo: z.number().nullable(),
  before: promptValuesSchema.nullable(),
  after: promptValuesSchema,
  /** The fields that changed. */
  changed: z.array(z.string()),
  createdAt: z.string(),
})

function messagesOf(p: { systemMessage: string; userMessage: string }) {
  return [
    ...(p.systemMessage ? [{ role: 'system' as const, content: p.systemMessage }] : []),
    { role: 'user' as const, content: p.userMessage },
  ]
}

export function toPromptView(p: prompts.PromptRecord): PromptView {
  return {
    id: p.id,
    name: p.name,
    model: p.model,
    messages: messagesOf(p),
    systemMessage: p.systemMessage,
    userMessage: p.userMessage,
    variables: p.variables,
    maxOutputTokens: p.maxOutputTokens,
    caching: p.caching,
    version: p.version,
    createdBy: p.createdBy,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  }
}

function fromMessages(messages: PromptMessages) {
  return {
    systemMessage: messages.find((m) => m.role === 'system')?.content ?? '',
    userMessage: messages.find((m) => m.role === 'user')?.content ?? '',
  }
}

const notFound = () => new AppError('NOT_FOUND', 'No prompt with this id in your team.', { field: 'id' })
const by = (team: TeamScope) => ({ userId: team.userId, apiKeyId: team.apiKeyId })

export async function listPromptViews(db: Db, team: TeamScope) {
  return (await prompts.listPromptRecords(db, team.id)).map(toPromptView)
}

export async function getPromptView(db: Db, team: TeamScope, id: string) {
  const found = await prompts.findPrompt(db, team.id, id)
  if (!found) throw notFound()
  return toPromptView(found)
}

/** Creates a prompt (version 1). */
export async function createPrompt(db: Db, team: TeamScope, values: prompts.PromptValues): Promise<PromptView> {
  return db
    .transaction()
    .execute(async (trx) => toPromptView(await prompts.insertPrompt(trx, team.id, values, by(team))))
}

export type PromptPatch = Partial<prompts.PromptValues>

/**
 * Changes some of a prompt's fields as its next version. A patch that changes nothing writes no version.
 * `source` says why (an edit, an Apply, a revert); pass a transaction to compose with other writes.
 */
export async function changePromptIn(
  trx: Db,
  team: TeamScope,
  id: string,
  patch: PromptPatch,
  meta: { source: 'edit' | 'apply' | 'revert'; recommendationId?: string | null; revertedTo?: number | null },
): Promise<prompts.PromptRecord> {
  const current = await prompts.lockPrompt(trx, team.id, id)
  if (!current) throw notFound()
  const next: prompts.PromptValues = {
    ...prompts.promptValues(current),
    ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
  }
  if (changedFields(prompts.promptValues(current), next).length === 0) return current
  return prompts.changePrompt(trx, team.id, current, next, { ...meta, ...by(team) })
}

export async function changePrompt(db: Db, team: TeamScope, id: string, patch: PromptPatch): Promise<PromptView> {
  return db
    .transaction()
    .execute(async (trx) => toPromptView(await changePromptIn(trx, team, id, patch, { source: 'edit' })))
}

/** REST: POST /prompts. */
export function createPromptFromApi(db: Db, team: TeamScope, input: z.output<typeof createPromptSchema>) {
  return createPrompt(db, team, {
    name: input.name,
    model: input.model,
    ...fromMessages(input.messages),
    variables: input.variables,
    maxOutputTokens: input.maxOutputTokens,
    caching: input.caching,
  })
}

/** REST: PATCH /prompts/{id}. */
export function patchPromptFromApi(db: Db, team: TeamScope, input: z.output<typeof patchPromptSchema>) {
  const { id, messages, ...rest } = input
  return changePrompt(db, team, id, { ...rest, ...(messages ? fromMessages(messages) : {}) })
}

function changedFields(before: prompts.PromptValues, after: prompts.PromptValues): string[] {
  return (Object.keys(after) as (keyof prompts.PromptValues)[]).filter(
    (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
  )
}

export async function listVersions(db: Db, team: TeamScope, promptId: string) {
  if (!(await prompts.findPrompt(db, team.id, promptId))) throw notFound()
  const versions = await prompts.listPromptVersions(db, team.id, promptId)
  return versions.map((v) => ({
    version: v.version,
    source: v.source,
    changedBy: v.changedBy
      ? { kind: 'user' as const, id: v.changedBy, name: v.changedByName }
      : v.changedByApiKey
        ? { kind: 'api_key' as const, id: v.changedByApiKey, name: null }
        : { kind: 'unknown' as const, id: null, name: null },
    recommendationId: v.recommendationId,
    revertedTo: v.revertedTo,
    before: v.before,
    after: v.after,
    changed: v.before ? changedFields(v.before, v.after) : Object.keys(v.after),
    createdAt: v.createdAt.toISOString(),
  }))
}

/**
 * Puts a prompt back as it was after `version`, as a new version (history is never rewritten). Reverting the
 * change an Apply made re-opens that recommendation, so it is measured again only if applied again.
 */
export async function revertPrompt(
  db: Db,
  team: TeamScope,
  promptId: string,
  version: number,
  now = new Date(),
): Promise<PromptView> {
  return db.transaction().execute(async (trx) => {
    const current = await prompts.lockPrompt(trx, team.id, promptId)
    if (!current) throw notFound()
    const target = await prompts.findPromptVersion(trx, team.id, promptId, version)
    if (!target) throw new AppError('NOT_FOUND', `This prompt has no version ${version}.`, { field: 'version' })
    if (version === current.version)
      throw new AppError('BAD_INPUT', `version: the prompt is at version ${version} already.`, { field: 'version' })
    const undone = await prompts.listPromptVersions(trx, team.id, promptId)
    const reverted = await prompts.changePrompt(trx, team.id, current, target.after, {
      source: 'revert',
      revertedTo: version,
      ...by(team),
    })
    for (const v of undone.filter((x) => x.version > version && x.source === 'apply' && x.recommendationId)) {
      const rec = await recommendations.findRecommendation(trx, team.id, v.recommendationId!, { forUpdate: true })
      if (rec?.status === 'applied' && rec.appliedVersion === v.version)
        await recommendations.reopen(trx, team.id, rec.id, now)
    }
    return toPromptView(reverted)
  })
}
