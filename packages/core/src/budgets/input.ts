import { z } from 'zod'
import { positiveUsdSchema } from '../money'
import { budgetPeriodSchema, isValidTimeZone } from './periods'
import { alertThresholdsSchema, DEFAULT_ALERT_THRESHOLDS } from './thresholds'

export const budgetScopeSchema = z.enum(['team', 'user', 'api_key', 'prompt'])
export type BudgetScope = z.infer<typeof budgetScopeSchema>
export const budgetModeSchema = z.enum(['hard', 'soft'])
export type BudgetMode = z.infer<typeof budgetModeSchema>

const timeZoneSchema = z.string().refine((tz) => isValidTimeZone(tz), 'must be an IANA time zone such as Europe/Paris')

const budgetFields = {
  id: z.uuid().optional(),
  name: z.string().trim().min(1, 'name is required').max(200, 'keep the name under 200 characters').optional(),
  scope: budgetScopeSchema.default('team'),
  userId: z.uuid().optional(),
  apiKeyId: z.uuid().optional(),
  promptId: z.uuid().optional(),
  period: budgetPeriodSchema.default('month'),
  limitUsd: positiveUsdSchema,
  mode: budgetModeSchema.default('hard'),
  thresholds: alertThresholdsSchema.default([...DEFAULT_ALERT_THRESHOLDS]),
  timeZone: timeZoneSchema.nullish(),
  active: z.boolean().default(true),
}

/** A member, key or prompt budget names which one. */
function scopeTarget(b: { scope: BudgetScope; userId?: string; apiKeyId?: string; promptId?: string }, ctx: z.RefinementCtx) {
  const need = { user: ['userId', 'choose the member this budget covers'], api_key: ['apiKeyId', 'choose the API key this budget covers'], prompt: ['promptId', 'choose the prompt this budget covers'] } as const
  if (b.scope === 'team') return
  const [field, message] = need[b.scope]
  if (!b[field]) ctx.addIssue({ code: 'custom', message, path: [field] })
}

/** What `budgets.save` takes (the API's one budget schema; its enumerations and limits are core's). */
export const budgetInputSchema = z.object(budgetFields).superRefine(scopeTarget)
export type BudgetInput = z.input<typeof budgetInputSchema>
