import { listModels } from '@costwise/core'
import { data } from '@remix-run/node'
import { formError } from './lib/errors.server'
import { z } from 'zod'
import type { Viewer } from './auth.server'

const optional = (schema: z.ZodString) =>
  z.preprocess((v) => (v === '' || v === null ? undefined : v), schema.optional())

/** The prices page's forms; the procedures validate the values again and name the field at fault. */
const priceIntent = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('add-discount'),
    target: z.enum(['provider', 'model']),
    name: z.string().trim().min(1, 'Name a provider or a model'),
    percent: z.string().trim().min(1, 'Give a percentage'),
    effectiveFrom: z.string().min(1, 'Pick the first day'),
    effectiveTo: optional(z.string()),
    note: optional(z.string()),
  }),
  z.object({ intent: z.literal('remove-discount'), id: z.uuid() }),
  z.object({
    intent: z.literal('add-custom'),
    model: z.string().trim().min(1, 'Name the model'),
    inputPerMTok: z.string().trim().min(1, 'Give the input price'),
    outputPerMTok: z.string().trim().min(1, 'Give the output price'),
    cachedInputPerMTok: optional(z.string()),
    effectiveFrom: z.string().min(1, 'Pick the first day'),
    effectiveTo: optional(z.string()),
  }),
  z.object({ intent: z.literal('remove-custom'), id: z.uuid() }),
  z.object({
    intent: z.literal('price-unpriced'),
    model: z.string().trim().min(1, 'Name the model'),
    inputPerMTok: z.string().trim().min(1, 'Give the input price'),
    outputPerMTok: z.string().trim().min(1, 'Give the output price'),
    effectiveFrom: z.string().min(1, 'Pick the first day'),
  }),
  z.object({ intent: z.literal('reprice-unpriced') }),
  z.object({
    intent: z.literal('set-mapping'),
    name: z.string().trim().min(1, 'Give your model name'),
    model: z.string().trim().min(1, 'Pick the model it is'),
  }),
  z.object({ intent: z.literal('remove-mapping'), name: z.string().min(1) }),
])

export type PricesActionData =
  | { ok: true; intent: string; repricing?: { unpricedRows: number } }
  | { ok: false; intent: string; field: string | null; message: string }

export async function loadPricesPage({ me, caller }: Viewer) {
  const role = me.activeTeam?.role ?? null
  const [table, unpriced] = me.activeTeam
    ? await Promise.all([caller.prices.table(), caller.prices.unpriced().catch(() => ({ models: [] }))])
    : [null, { models: [] }]
  return {
    canEdit: role === 'owner' || role === 'admin',
    table,
    /** Models sent without a price, with the first day they were seen (the default start of a price for them). */
    unpriced: unpriced.models.map((m) => ({
      model: m.model,
      rows: m.rows,
      firstDay: m.firstSeen.slice(0, 10),
      lastDay: m.lastSeen.slice(0, 10),
    })),
    models: listModels({ includeLegacy: true }).flatMap((g) =>
      g.models.map((m) => ({ id: m.id, provider: m.provider, displayName: m.displayName })),
    ),
  }
}

function failure(intent: string, error: unknown) {
  const { field, message, status } = formError(error, { FORBIDDEN: 'Only owners and admins can change prices.' })
  return data<PricesActionData>({ ok: false, intent, field, message }, { status })
}

export async function pricesAction({ caller }: Viewer, form: FormData) {
  const raw = Object.fromEntries(form)
  const parsed = priceIntent.safeParse(raw)
  const intent = String(raw.intent ?? '')
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    return data<PricesActionData>(
      { ok: false, intent, field: issue.path.join('.'), message: issue.message },
      { status: 400 },
    )
  }
  const input = parsed.data
  try {
    switch (input.intent) {
      case 'add-discount':
        await caller.prices.addDiscount({
          provider: input.target === 'provider' ? input.name : null,
          model: input.target === 'model' ? input.name : null,
          percent: input.percent,
          effectiveFrom: input.effectiveFrom,
          effectiveTo: input.effectiveTo ?? null,
          note: input.note ?? null,
        })
        break
      case 'remove-discount':
        await caller.prices.removeDiscount({ id: input.id })
        break
      case 'add-custom':
        await caller.prices.addCustom({
          model: input.model,
          inputPerMTok: input.inputPerMTok,
          outputPerMTok: input.outputPerMTok,
          cachedInputPerMTok: input.cachedInputPerMTok ?? null,
          effectiveFrom: input.effectiveFrom,
          effectiveTo: input.effectiveTo ?? null,
        })
        break
      case 'price-unpriced': {
        await caller.prices.addCustom({
          model: input.model,
          inputPerMTok: input.inputPerMTok,
          outputPerMTok: input.outputPerMTok,
          cachedInputPerMTok: null,
          effectiveFrom: input.effectiveFrom,
          effectiveTo: null,
        })
        const { unpricedRows } = await caller.prices.repriceUnpriced()
        return data<PricesActionData>({ ok: true, intent, repricing: { unpricedRows } })
      }
      case 'reprice-unpriced': {
        const { unpricedRows } = await caller.prices.repriceUnpriced()
        return data<PricesActionData>({ ok: true, intent, repricing: { unpricedRows } })
      }
      case 'remove-custom':
        await caller.prices.removeCustom({ id: input.id })
        break
      case 'set-mapping':
        await caller.prices.setMapping({ name: input.name, model: input.model })
        break
      case 'remove-mapping':
        await caller.prices.removeMapping({ name: input.name })
        break
    }
    return data<PricesActionData>({ ok: true, intent })
  } catch (error) {
    return failure(intent, error)
  }
}
