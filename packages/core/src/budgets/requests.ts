import { z } from 'zod'
import { positiveUsdSchema, typedPositiveUsdSchema } from '../money'

// Budget requests: someone a budget blocks or warns asks for more; an owner or admin approves (possibly another
// amount) or denies. The API's schemas and the forms' are built from the same field schemas below.

const reasonSchema = z
  .string({ error: 'say what the extra budget is for' })
  .trim()
  .min(1, 'say what the extra budget is for')
  .max(2000, 'keep the reason under 2,000 characters')
const commentSchema = z.string().trim().max(2000, 'keep the comment under 2,000 characters')
/** For the budget's current period only, or for good. */
export const requestDurationSchema = z.enum(['period', 'permanent'])
const idSchema = z.uuid('id must be a UUID')

const requestFields = {
  budgetId: z.uuid('budgetId must be a UUID'),
  amountUsd: positiveUsdSchema,
  reason: reasonSchema,
  duration: requestDurationSchema,
}

/** What `budgetRequests.create` takes. */
export const budgetRequestInputSchema = z.object(requestFields)
export type BudgetRequestInput = z.input<typeof budgetRequestInputSchema>

/** What `budgetRequests.approve` takes: without an amount, the amount asked for is approved. */
export const decisionInputSchema = z.object({
  id: idSchema,
  amountUsd: positiveUsdSchema.optional(),
  comment: commentSchema.optional(),
})
/** What `budgetRequests.deny` takes. */
export const denyInputSchema = decisionInputSchema.omit({ amountUsd: true })

export const budgetRequestStatusSchema = z.enum(['pending', 'approved', 'denied', 'expired'])

/**
 * "Request more" as the browser posts it (every value a string, empty ones left out), checked by the same rules as
 * `budgetRequestInputSchema` with the amount typed as people write it ("$1,250.50"). The browser validates with it
 * through Conform; the Remix action parses the posted form with it; its output is what `budgetRequests.create` takes.
 */
export const budgetRequestFormSchema = z.object({
  budgetId: requestFields.budgetId,
  amountUsd: typedPositiveUsdSchema,
  reason: requestFields.reason,
  duration: requestFields.duration.default('period'),
}) satisfies z.ZodType<z.output<typeof budgetRequestInputSchema>>

/**
 * The decision form on the requests page: its two buttons post `intent` = `approve` (with an amount typed as people
 * write it, or none for the amount asked for, and a comment) or `deny` (the comment only). Its output is what
 * `budgetRequests.approve` or `budgetRequests.deny` takes, with the intent.
 */
export const requestDecisionFormSchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('approve'),
    id: idSchema,
    amountUsd: typedPositiveUsdSchema.optional(),
    comment: commentSchema.optional(),
  }),
  z.object({ intent: z.literal('deny'), id: idSchema, comment: commentSchema.optional() }),
])
