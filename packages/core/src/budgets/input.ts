import { z } from 'zod'
import { positiveUsdSchema, typedPositiveUsdSchema } from '../money'
import { budgetPeriodSchema, isValidTimeZone } from './periods'
import { alertThresholdsSchema, DEFAULT_ALERT_THRESHOLDS } from './thresholds'

export const budgetScopeSchema = z.enum(['team', 'user', 'api_key', 'prompt'])
export type BudgetScope = z.infer<typeof budgetScopeSchema>
export const budgetModeSchema = z.enum(['hard', 'soft'])
export type BudgetMode = z.infer<typeof budgetModeSchema>

const timeZoneSchema = z
  .string()
  .refine((tz) => isValidTimeZone(tz), 'must be an IANA time zone such as Europe/Paris, or empty for the team’s')

/** A budget's name (the form requires one; the API names an unnamed budget itself). */
export const budgetNameSchema = z
  .string({ error: 'give the budget a name' })
  .trim()
  .min(1, 'give the budget a name')
  .max(200, 'keep the name under 200 characters')

const budgetFields = {
  id: z.uuid().optional(),
  name: budgetNameSchema.optional(),
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

const SCOPE_TARGET = {
  user: ['userId', 'choose the member this budget covers'],
  api_key: ['apiKeyId', 'choose the API key this budget covers'],
  prompt: ['promptId', 'choose the prompt this budget covers'],
} as const

/** A member, key or prompt budget names which one. */
function scopeTarget(
  b: { scope: BudgetScope; userId?: string; apiKeyId?: string; promptId?: string },
  ctx: z.RefinementCtx,
) {
  if (b.scope === 'team') return
  const [field, message] = SCOPE_TARGET[b.scope]
  if (!b[field]) ctx.addIssue({ code: 'custom', message, path: [field] })
}

/** What `budgets.save` takes (the API's one budget schema; its enumerations and limits are core's). */
export const budgetInputSchema = z.object(budgetFields).superRefine(scopeTarget)
export type BudgetInput = z.input<typeof budgetInputSchema>

/** "50, 80, 100%" → [50, 80, 100]; a part that is not a whole number stays NaN so the thresholds rule names it. */
const thresholdList = (v: unknown) =>
  typeof v === 'string'
    ? v
        .split(/[,\s]+/)
        .map((p) => p.trim().replace(/%$/, ''))
        .filter(Boolean)
        .map((p) => (/^\d+$/.test(p) ? Number(p) : Number.NaN))
    : v === undefined
      ? []
      : v

/**
 * The budget form as the browser posts it (every value a string, empty ones left out), checked by the same rules as
 * `budgetInputSchema` — the browser validates with it as you type, the Remix action parses the posted form with it,
 * and its output is what `budgets.save` takes. The form requires a name and at least one threshold, and only the
 * chosen scope's target is sent on.
 */
export const budgetFormSchema = z
  .object({
    id: budgetFields.id,
    name: budgetNameSchema,
    scope: budgetFields.scope,
    userId: budgetFields.userId,
    apiKeyId: budgetFields.apiKeyId,
    promptId: budgetFields.promptId,
    period: budgetFields.period,
    limitUsd: typedPositiveUsdSchema,
    mode: budgetFields.mode,
    thresholds: z.preprocess(thresholdList, alertThresholdsSchema),
    timeZone: budgetFields.timeZone,
  })
  .superRefine(scopeTarget)
  .transform(({ userId, apiKeyId, promptId, timeZone, ...b }): BudgetInput => ({
    ...b,
    ...(b.scope === 'user'
      ? { userId }
      : b.scope === 'api_key'
        ? { apiKeyId }
        : b.scope === 'prompt'
          ? { promptId }
          : {}),
    timeZone: timeZone ?? null,
  }))
