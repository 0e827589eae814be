import {
  budgetLevelSchema,
  budgetModeSchema,
  budgetPeriodSchema,
  budgetScopeSchema,
  chatMessageSchema,
  costCenterCodeSchema,
  serviceTierSchema,
  toolCallsSchema,
  usageFeatureSchema,
  usageStatusSchema,
  usageTagsSchema,
} from '@costwise/core'
import { z } from 'zod'
import { jsonShape } from '../input-guard'

const tokens = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .min(0, `${what} must not be negative`)
    .max(100_000_000, `${what} is larger than any model call`)

export const METADATA_MAX_BYTES = 8_192
export const METADATA_MAX_DEPTH = 10

/** One usage event, as internal tools send it (POST /api/usage/track). Costs are never accepted. */
export const trackEventSchema = z
  .object({
    model: z.string().trim().min(1, 'model is required').max(200),
    inputTokens: tokens('inputTokens'),
    outputTokens: tokens('outputTokens'),
    cachedInputTokens: tokens('cachedInputTokens').optional(),
    cacheWriteTokens: tokens('cacheWriteTokens').optional(),
    reasoningTokens: tokens('reasoningTokens').optional(),
    /** The audio and image parts of the prompt (part of inputTokens), for models that price them apart. */
    audioInputTokens: tokens('audioInputTokens').optional(),
    imageInputTokens: tokens('imageInputTokens').optional(),
    /** OpenAI's `service_tier` of the response: flex and priority have their own prices ("standard" = default). */
    serviceTier: z
      .enum(['default', 'standard', 'flex', 'priority'], { error: 'serviceTier must be default, flex or priority' })
      .transform((t) => serviceTierSchema.parse(t === 'standard' ? 'default' : t))
      .optional(),
    /** Tools billed per call, e.g. { "web_search": 2 }. */
    toolCalls: toolCallsSchema.optional(),
    provider: z.string().trim().min(1).max(50).optional(),
    promptId: z.uuid('promptId must be a UUID').optional(),
    userId: z.uuid('userId must be a UUID').optional(),
    /** What the call is for: the app's names (lab, api, …) or your own, e.g. "search" or "support-bot/summary". */
    feature: usageFeatureSchema.optional(),
    /** String key/values to filter and break usage down by, e.g. { "env": "prod", "customer": "acme" } (at most 10). */
    tags: usageTagsSchema.optional(),
    latencyMs: z.number().int().min(0).max(3_600_000).optional(),
    status: usageStatusSchema.optional(),
    occurredAt: z.iso
      .datetime({ offset: true, error: 'occurredAt must be an ISO 8601 date-time, e.g. 2026-11-24T10:00:00Z' })
      .optional(),
    idempotencyKey: z.string().min(1).max(200).optional(),
    reservationId: z.uuid('reservationId must be a UUID').optional(),
    /** The cost centre (its code) this call is charged to; overrides the prompt's, key's and member's. */
    costCenter: costCenterCodeSchema.optional(),
    batch: z.boolean().optional(),
    metadata: z
      .record(z.string(), z.unknown())
      .superRefine((m, ctx) => {
        const shape = jsonShape(m, METADATA_MAX_BYTES)
        if (shape.bytes > METADATA_MAX_BYTES)
          ctx.addIssue({ code: 'custom', message: 'metadata must be at most 8 KB of JSON' })
        else if (shape.depth > METADATA_MAX_DEPTH)
          ctx.addIssue({ code: 'custom', message: `metadata must nest at most ${METADATA_MAX_DEPTH} levels` })
      })
      .optional(),
  })
  .refine((e) => (e.cachedInputTokens ?? 0) + (e.cacheWriteTokens ?? 0) <= e.inputTokens, {
    message: 'cachedInputTokens + cacheWriteTokens must not exceed inputTokens (inputTokens counts the whole prompt)',
    path: ['cachedInputTokens'],
  })
  .refine(
    (e) =>
      (e.cachedInputTokens ?? 0) + (e.cacheWriteTokens ?? 0) + (e.audioInputTokens ?? 0) + (e.imageInputTokens ?? 0) <=
      e.inputTokens,
    {
      message:
        'audioInputTokens + imageInputTokens (with cached and cache-write tokens) must not exceed inputTokens (inputTokens counts the whole prompt)',
      path: ['audioInputTokens'],
    },
  )
  .refine((e) => (e.reasoningTokens ?? 0) <= e.outputTokens, {
    message: 'reasoningTokens must not exceed outputTokens (outputTokens counts reasoning too)',
    path: ['reasoningTokens'],
  })
export type TrackEvent = z.infer<typeof trackEventSchema>

export const MAX_BATCH = 1000
export const trackBatchSchema = z.object({
  events: z
    .array(trackEventSchema)
    .min(1, 'send at least one event')
    .max(MAX_BATCH, `send at most ${MAX_BATCH} events per batch`),
})

export const budgetStatusSchema = z.object({
  id: z.string(),
  name: z.string(),
  scope: budgetScopeSchema,
  period: budgetPeriodSchema,
  mode: budgetModeSchema,
  limitUsd: z.string(),
  spentUsd: z.string(),
  reservedUsd: z.string(),
  percentUsed: z.number(),
  level: budgetLevelSchema,
})
export type BudgetStatus = z.infer<typeof budgetStatusSchema>

export const trackResultSchema = z.object({
  id: z.string(),
  costUsd: z.string(),
  duplicate: z.boolean(),
  unpriced: z.boolean(),
  model: z.string().nullable(),
  priceVersion: z.string().nullable(),
  /** Why the call was recorded unpriced (an unlisted model version, a tier or tool without a price). */
  unpricedReason: z.string().nullable(),
  budgets: z.array(budgetStatusSchema),
})
export type TrackResult = z.infer<typeof trackResultSchema>

/**
 * A batch's answer: one result per event, in order, and the budgets the batch touched once (their state after
 * the whole batch), instead of a copy of every status in every event. `budgetIds` names, per event, the budgets
 * of that list that apply to it.
 */
export const trackBatchResultSchema = z.object({
  results: z.array(trackResultSchema.omit({ budgets: true }).extend({ budgetIds: z.array(z.string()) })),
  budgets: z.array(budgetStatusSchema),
})
export type TrackBatchResult = z.infer<typeof trackBatchResultSchema>

export const reserveInputSchema = z
  .object({
    model: z.string().trim().min(1, 'model is required').max(200),
    inputTokens: tokens('inputTokens').optional(),
    messages: z.array(chatMessageSchema).min(1).max(1000).optional(),
    maxOutputTokens: tokens('maxOutputTokens').refine((n) => n > 0, 'maxOutputTokens must be positive'),
    promptId: z.uuid('promptId must be a UUID').optional(),
    userId: z.uuid('userId must be a UUID').optional(),
    idempotencyKey: z.string().min(1).max(200).optional(),
    ttlSeconds: z.number().int().min(10).max(3600).default(600),
  })
  .refine((r) => r.inputTokens !== undefined || r.messages !== undefined, {
    message: 'send inputTokens or messages',
    path: ['inputTokens'],
  })
export type ReserveInput = z.input<typeof reserveInputSchema>

export const reserveResultSchema = z.object({
  reservationId: z.string(),
  estimatedCostUsd: z.string(),
  inputTokens: z.number(),
  expiresAt: z.string(),
  unpriced: z.boolean(),
  budgets: z.array(budgetStatusSchema),
})
export type ReserveResult = z.infer<typeof reserveResultSchema>
