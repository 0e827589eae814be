import { z } from 'zod'
import { positiveUsdSchema, usdFromText } from '../money'
import { budgetPeriodSchema, isValidTimeZone } from './periods'
import { alertThresholdsSchema, DEFAULT_ALERT_THRESHOLDS, thresholdsFromText } from './thresholds'

/**
 * What `budgets.save` takes, and the budget form in the browser: one schema. The form's schema is the same object
 * with the two fields a person types as text (the limit, "$1,250.50"; the thresholds, "50, 80, 100") read into
 * the values the API takes, and a name required — so the browser and the server refuse exactly the same input.
 */
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

export const budgetInputSchema = z.object(budgetFields).superRefine(scopeTarget)
export type BudgetInput = z.input<typeof budgetInputSchema>

/** The budget form (Conform reads it in the browser and the action parses with it): the API's schema for text fields. */
export const budgetFormSchema = z
  .object({
    ...budgetFields,
    name: z.string({ error: 'give the budget a name' }).trim().min(1, 'give the budget a name').max(200, 'keep the name under 200 characters'),
    limitUsd: z.string({ error: 'enter a limit in USD, e.g. 250' }).transform(usdFromText).pipe(positiveUsdSchema),
    thresholds: z.string({ error: 'give at least one threshold, e.g. 50, 80, 100' }).transform(thresholdsFromText).pipe(alertThresholdsSchema),
    // Empty: the team's time zone.
    timeZone: timeZoneSchema.optional(),
    active: z.boolean().default(true),
  })
  .superRefine(scopeTarget)
export type BudgetFormOutput = z.output<typeof budgetFormSchema>
