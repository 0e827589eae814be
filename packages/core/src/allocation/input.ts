import { z } from 'zod'

// What the cost-centre procedures take, and the key split as the cost centres page's form posts it: both built from
// the same field schemas below.

const shareSchema = z.object({
  costCenterId: z.uuid('costCenterId must be a UUID'),
  percent: z.number({ error: 'percent must be a number' }),
})
const sharesSchema = z.array(shareSchema).max(20, 'split a key across at most 20 cost centres')
const apiKeyIdSchema = z.uuid('apiKeyId must be a UUID')

/** What `costCenters.assign` takes: a member, a prompt or an API key (whole or split by percentage). */
export const assignInputSchema = z.discriminatedUnion('target', [
  z.object({ target: z.literal('member'), userId: z.uuid('userId must be a UUID'), costCenterId: z.uuid().nullable() }),
  z.object({
    target: z.literal('prompt'),
    promptId: z.uuid('promptId must be a UUID'),
    costCenterId: z.uuid().nullable(),
  }),
  z.object({
    target: z.literal('apiKey'),
    apiKeyId: apiKeyIdSchema,
    /** Empty: no cost centre. Several: percentages (up to two decimals) that add up to 100. */
    shares: sharesSchema,
  }),
])
export type AssignInput = z.input<typeof assignInputSchema>

/**
 * "eng 60, ops 40" → shares by the centres' codes (any case); a single code alone means 100 %; empty: the key pays
 * into no cost centre. A code no centre has, or a part without a percentage, is an issue on `shares`.
 */
function splitOf(raw: unknown, idOf: ReadonlyMap<string, string>, ctx: z.RefinementCtx): unknown {
  if (raw !== undefined && typeof raw !== 'string') return raw
  const parts = (raw ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
  const shares: z.input<typeof shareSchema>[] = []
  for (const part of parts) {
    const [code = '', pct] = part.split(/\s+/)
    const costCenterId = idOf.get(code.toLowerCase())
    if (!costCenterId) {
      ctx.addIssue({ code: 'custom', message: `no cost centre with the code “${code}”` })
      return z.NEVER
    }
    const percent = pct === undefined && parts.length === 1 ? 100 : Number(pct?.replace(/%$/, ''))
    if (!Number.isFinite(percent)) {
      ctx.addIssue({ code: 'custom', message: `give “${code}” a percentage, e.g. “${code} 60”` })
      return z.NEVER
    }
    shares.push({ costCenterId, percent })
  }
  return shares
}

/**
 * A key's split as the cost centres page posts it: the key as `target`, and `shares` written as codes and
 * percentages ("eng 60, ops 40"), read against the team's cost centres. The browser validates with it through
 * Conform; the Remix action parses the posted form with it; its output is what `costCenters.assign` takes. Whether
 * the percentages add up to 100 is the procedure's rule, and comes back from it.
 */
export function keySplitFormSchema(centers: readonly { id: string; code: string }[]) {
  const idOf = new Map(centers.map((c) => [c.code.toLowerCase(), c.id]))
  return z
    .object({
      target: apiKeyIdSchema,
      shares: z.preprocess((raw, ctx) => splitOf(raw, idOf, ctx), sharesSchema),
    })
    .transform(({ target, shares }): Extract<z.output<typeof assignInputSchema>, { target: 'apiKey' }> => ({
      target: 'apiKey',
      apiKeyId: target,
      shares,
    }))
}
