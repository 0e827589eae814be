import {
  AppError,
  budgetApplies,
  calculateCost,
  cheaperAlternatives,
  estimateChatTokens,
  estimateTokens,
  nanoToUsd,
  providerSchema,
  tierAllows,
  budgetLevelSchema,
  usageStatusSchema,
} from '@costwise/core'
import { prompts, recommendations, type Db } from '@costwise/db'
import { teamPricing } from './pricing'
import { z } from 'zod'
import { runChat, type GatewayConfig } from '../gateway/gateway'
import { labMessages } from '../gateway/messages'
import type { TeamScope } from '../trpc'
import { budgetViewSchema, listBudgetViews, type BudgetView } from './budgets'
import {
  changePrompt,
  createPrompt,
  getPromptView,
  promptViewSchema,
  variablesSchema as promptVariablesSchema,
} from './prompts'

const variablesSchema = promptVariablesSchema.default({})

export const promptInputSchema = z.object({
  id: z.uuid().optional(),
  name: z.string().trim().min(1, 'name is required').max(200, 'name must be at most 200 characters'),
  systemMessage: z.string().max(1_000_000, 'must be at most 1 MB').default(''),
  userMessage: z.string().max(1_000_000, 'must be at most 1 MB').default(''),
  variables: variablesSchema,
  model: z.string().trim().min(1, 'model is required').max(200),
  maxOutputTokens: z.number().int().min(1, 'must be at least 1').max(200_000, 'must be at most 200000').default(1024),
})
export type PromptInput = z.input<typeof promptInputSchema>

export const estimateInputSchema = z.object({
  model: z.string().trim().min(1, 'model is required').max(200),
  system: z.string().max(1_000_000).default(''),
  user: z.string().max(1_000_000).default(''),
  variables: variablesSchema,
  maxOutputTokens: z.number().int().min(1).max(200_000).default(1024),
})
export type EstimateInput = z.input<typeof estimateInputSchema>

export const improveInputSchema = estimateInputSchema.extend({
  user: z.string().min(1, 'write a user message to improve').max(1_000_000),
  promptId: z.uuid().optional(),
})

export const labPromptListSchema = z.object({
  prompts: z.array(z.object({ id: z.string(), name: z.string(), model: z.string(), updatedAt: z.string() })),
})

/** A prompt's efficiency score (0–100, last 30 days) and its parts; null until a refresh scored it. */
export const labPromptSchema = promptViewSchema.extend({
  efficiency: z.object({ score: z.number(), components: z.record(z.string(), z.number()) }).nullable(),
})
export type LabPrompt = z.infer<typeof labPromptSchema>

export const labRenameOutputSchema = z.object({ id: z.string(), name: z.string() })
export const labDeleteOutputSchema = z.object({ deleted: z.literal(true) })

export const estimateOutputSchema = z.object({
  model: z.string(),
  priced: z.boolean(),
  exact: z.boolean(),
  inputTokens: z.number(),
  maxOutputTokens: z.number(),
  /** Null on plans without the per-message breakdown. */
  perMessage: z.array(z.object({ role: z.enum(['system', 'user', 'assistant']), tokens: z.number() })).nullable(),
  inputCostUsd: z.string(),
  maxOutputCostUsd: z.string(),
  maxCostUsd: z.string(),
  /** Null on plans without cheaper alternatives. */
  cheaperAlternatives: z
    .array(
      z.object({
        model: z.string(),
        provider: providerSchema,
        displayName: z.string(),
        costUsd: z.string(),
        savingsUsd: z.string(),
        savingsPct: z.number(),
      }),
    )
    .nullable(),
})
export type EstimateOutput = z.infer<typeof estimateOutputSchema>

const tokensAndCost = z.object({ tokens: z.number(), inputCostUsd: z.string() })
export const improveOutputSchema = z.object({
  improved: z.string(),
  before: tokensAndCost,
  after: tokensAndCost,
  tokenDelta: z.number(),
  /** Change in input cost per run (negative = cheaper). */
  costDeltaUsd: z.string(),
  /** What asking for the improvement cost. */
  improveCall: z.object({ costUsd: z.string(), inputTokens: z.number(), outputTokens: z.number() }),
})
export type ImproveOutput = z.infer<typeof improveOutputSchema>

export const labRunSchema = z.object({
  id: z.string(),
  promptId: z.string(),
  userId: z.string().nullable(),
  model: z.string(),
  status: usageStatusSchema,
  output: z.string().nullable(),
  error: z.string().nullable(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cachedInputTokens: z.number(),
  reasoningTokens: z.number(),
  costUsd: z.string(),
  estimatedCostUsd: z.string().nullable(),
  latencyMs: z.number().nullable(),
  timeToFirstTokenMs: z.number().nullable(),
  usageLogId: z.string().nullable(),
  createdAt: z.string(),
})
export type LabRun = z.infer<typeof labRunSchema>

export const labBudgetStatusSchema = z.object({ budgets: z.array(budgetViewSchema), level: budgetLevelSchema })
export type LabBudgetStatus = z.infer<typeof labBudgetStatusSchema>

/** A saved prompt for the Lab, with its efficiency score (last 30 days; null until a refresh scored it). */
export async function getPrompt(db: Db, team: TeamScope, id: string): Promise<LabPrompt> {
  const [view, [score]] = await Promise.all([
    getPromptView(db, team, id),
    recommendations.listScores(db, team.id, [id]),
  ])
  return { ...view, efficiency: score ? { score: score.score, components: score.components } : null }
}

/** Saves the Lab's editor: a new prompt, or the next version of an existing one (caching guidance is kept). */
export async function savePrompt(db: Db, team: TeamScope, raw: PromptInput) {
  const input = promptInputSchema.parse(raw)
  const values = {
    name: input.name,
    systemMessage: input.systemMessage,
    userMessage: input.userMessage,
    variables: input.variables,
    model: input.model,
    maxOutputTokens: input.maxOutputTokens,
  }
  if (!input.id) return createPrompt(db, team, { ...values, caching: false })
  return changePrompt(db, team, input.id, values)
}

/**
 * What a run would cost before it runs: prompt tokens (framing included, per message), the input cost,
 * the worst-case output cost (maxOutputTokens), and — on plans that include them — cheaper models for the
 * same usage. Team price overrides apply.
 */
export async function estimateRun(
  db: Db,
  team: TeamScope,
  raw: EstimateInput,
  now = new Date(),
): Promise<EstimateOutput> {
  const tier = team.plan
  const input = estimateInputSchema.parse(raw)
  const messages = input.user || input.system ? labMessages(input) : [{ role: 'user' as const, content: '' }]
  const total = await estimateChatTokens(messages, input.model)
  const perMessage = await Promise.all(
    messages.map(async (m) => ({ role: m.role, tokens: (await estimateTokens(m.content, input.model)).tokens })),
  )
  const pricing = await teamPricing(db, team.id)
  const usage = { inputTokens: total.tokens, outputTokens: input.maxOutputTokens }
  const cost = calculateCost(input.model, usage, now, pricing)
  const inputOnly = calculateCost(input.model, { inputTokens: total.tokens, outputTokens: 0 }, now, pricing)
  const alternatives = tierAllows(tier, 'cheaperAlternatives')
    ? cheaperAlternatives(input.model, usage, { ...pricing, at: now }).map((a) => ({
        model: a.model,
        provider: a.provider,
        displayName: a.displayName,
        costUsd: nanoToUsd(a.totalNano),
        savingsUsd: nanoToUsd(a.savingsNano),
        savingsPct: a.savingsPct,
      }))
    : null
  return {
    model: input.model,
    priced: cost.priced,
    exact: total.exact,
    inputTokens: total.tokens,
    maxOutputTokens: input.maxOutputTokens,
    perMessage: tierAllows(tier, 'perMessageBreakdown') ? perMessage : null,
    inputCostUsd: nanoToUsd(inputOnly.totalNano),
    maxOutputCostUsd: nanoToUsd(cost.totalNano - inputOnly.totalNano),
    maxCostUsd: nanoToUsd(cost.totalNano),
    cheaperAlternatives: alternatives,
  }
}

const IMPROVE_SYSTEM =
  'You rewrite prompts for large language models so they cost fewer tokens without losing meaning. ' +
  'Keep every {{variable}} placeholder exactly as written. Answer with the rewritten prompt only, no commentary.'

/**
 * "Improve my prompt": asks the model (through the gateway, feature `improve`, so it is metered and
 * budget-checked like any run) for a tighter version of the user message, and reports the difference in
 * tokens and in input cost per run on the chosen model.
 */
export async function improvePrompt(
  db: Db,
  team: TeamScope,
  gateway: GatewayConfig,
  raw: z.input<typeof improveInputSchema>,
  now = new Date(),
): Promise<ImproveOutput> {
  const input = improveInputSchema.parse(raw)
  const beforeTokens = (await estimateTokens(input.user, input.model)).tokens
  const result = await runChat(db, team, gateway, {
    model: input.model,
    messages: [
      { role: 'system', content: IMPROVE_SYSTEM },
      { role: 'user', content: `Rewrite this prompt to be shorter and clearer:\n\n${input.user}` },
    ],
    maxOutputTokens: Math.min(4096, Math.max(64, beforeTokens * 2)),
    feature: 'improve',
    promptId: input.promptId,
  })
  if (result.status !== 'ok') {
    throw new AppError('INTERNAL', result.error?.message ?? 'The model could not improve the prompt; try again.')
  }
  const improved = result.output.trim()
  const afterTokens = (await estimateTokens(improved, input.model)).tokens
  const pricing = await teamPricing(db, team.id)
  const costOf = (tokens: number) =>
    calculateCost(input.model, { inputTokens: tokens, outputTokens: 0 }, now, pricing).totalNano
  const beforeNano = costOf(beforeTokens)
  const afterNano = costOf(afterTokens)
  return {
    improved,
    before: { tokens: beforeTokens, inputCostUsd: nanoToUsd(beforeNano) },
    after: { tokens: afterTokens, inputCostUsd: nanoToUsd(afterNano) },
    tokenDelta: afterTokens - beforeTokens,
    /** Change in input cost per run (negative = cheaper). */
    costDeltaUsd: nanoToUsd(afterNano - beforeNano),
    /** What asking for the improvement cost. */
    improveCall: {
      costUsd: result.usage.costUsd,
      inputTokens: result.usage.inputTokens,
      outputTokens: result.usage.outputTokens,
    },
  }
}

export async function listRuns(db: Db, team: TeamScope, promptId: string, limit: number): Promise<LabRun[]> {
  const runs = await prompts.listPromptRuns(db, team.id, promptId, limit)
  return runs.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }))
}

/** Active budgets that apply to the caller's Lab runs (team, their own, and the prompt's), worst first. */
export async function budgetStatus(db: Db, team: TeamScope, promptId: string | null): Promise<LabBudgetStatus> {
  const views = await listBudgetViews(db, team)
  const call = { userId: team.userId, apiKeyId: team.apiKeyId, promptId }
  const rank = { ok: 0, info: 1, warning: 2, critical: 3 } as const
  const applicable: BudgetView[] = views
    .filter(
      (b) =>
        b.active &&
        budgetApplies({ scope: b.scope, userId: b.userId, apiKeyId: b.apiKeyId, promptId: b.promptId }, call),
    )
    .sort((a, b) => rank[b.level] - rank[a.level] || b.percentUsed - a.percentUsed)
  return { budgets: applicable, level: applicable[0]?.level ?? ('ok' as const) }
}
