import { z } from 'zod'
import { positiveUsdSchema, typedPositiveUsdSchema, usdAmountSchema } from '../money'
import { budgetModeSchema } from './input'

// Per-member allocations: a team budget split among members. The API's schema and the allocation form's are built
// from the same field schemas and rules below.

const budgetIdSchema = z.uuid('budgetId must be a UUID')
const userIdSchema = z.uuid('userId must be a UUID')
const membersMax = [500, 'at most 500 members'] as const
const TOTAL_NEEDED = 'give the total to split equally'
const MEMBERS_NEEDED = 'choose the members to split it among'

/** What `budgets.setAllocations` takes. */
export const allocationsInputSchema = z
  .object({
    budgetId: budgetIdSchema,
    /** equal: `totalUsd` split equally (to the nano-dollar) among the members listed; custom: each its own amount. */
    split: z.enum(['equal', 'custom']).default('custom'),
    totalUsd: usdAmountSchema.optional(),
    members: z
      .array(
        z.object({
          userId: userIdSchema,
          limitUsd: positiveUsdSchema.optional(),
          mode: budgetModeSchema.default('hard'),
        }),
      )
      .max(...membersMax),
  })
  .refine((i) => i.split !== 'equal' || i.totalUsd !== undefined, { error: TOTAL_NEEDED, path: ['totalUsd'] })
  .refine((i) => i.split !== 'equal' || i.members.length > 0, { error: MEMBERS_NEEDED, path: ['members'] })
  .superRefine((i, ctx) => {
    const seen = new Set<string>()
    i.members.forEach((m, index) => {
      if (seen.has(m.userId))
        ctx.addIssue({ code: 'custom', message: 'this member is listed twice', path: ['members', index, 'userId'] })
      seen.add(m.userId)
      if (i.split === 'custom' && m.limitUsd === undefined)
        ctx.addIssue({ code: 'custom', message: 'give this member an amount', path: ['members', index, 'limitUsd'] })
    })
  })
export type AllocationsInput = z.input<typeof allocationsInputSchema>

/**
 * The allocation form as the browser posts it (every value a string, empty ones left out): one row per member
 * (`members[i].userId`, `.limitUsd`, `.mode`, and the `.include` box for an equal split), and the button pressed as
 * `split`. "Save amounts" (`custom`) gives each member with an amount that amount — typed as people write it,
 * "$1,250.50" — and "Split equally among ticked" (`equal`) splits `totalUsd` among the ticked members; the amounts
 * are not read then. The browser validates with it through Conform; the Remix action parses the posted form with it;
 * its output is what `budgets.setAllocations` takes.
 */
export const allocationsFormSchema = z
  .discriminatedUnion('split', [
    z.object({
      split: z.literal('custom'),
      budgetId: budgetIdSchema,
      members: z
        .array(
          z.object({
            userId: userIdSchema,
            limitUsd: typedPositiveUsdSchema.optional(),
            mode: budgetModeSchema.default('hard'),
          }),
        )
        .max(...membersMax)
        .default([]),
    }),
    z.object({
      split: z.literal('equal'),
      budgetId: budgetIdSchema,
      totalUsd: typedPositiveUsdSchema.optional(),
      members: z
        .array(
          z.object({
            userId: userIdSchema,
            mode: budgetModeSchema.default('hard'),
            include: z.literal('on').optional(),
          }),
        )
        .max(...membersMax)
        .default([]),
    }),
  ])
  .superRefine((f, ctx) => {
    if (f.split !== 'equal') return
    if (f.totalUsd === undefined) ctx.addIssue({ code: 'custom', message: TOTAL_NEEDED, path: ['totalUsd'] })
    if (!f.members.some((m) => m.include)) ctx.addIssue({ code: 'custom', message: MEMBERS_NEEDED, path: ['members'] })
  })
  .transform((f): z.output<typeof allocationsInputSchema> =>
    f.split === 'equal'
      ? {
          budgetId: f.budgetId,
          split: 'equal',
          totalUsd: f.totalUsd,
          members: f.members.filter((m) => m.include).map(({ userId, mode }) => ({ userId, mode })),
        }
      : {
          budgetId: f.budgetId,
          split: 'custom',
          members: f.members.flatMap(({ userId, limitUsd, mode }) =>
            limitUsd === undefined ? [] : [{ userId, limitUsd, mode }],
          ),
        },
  )
