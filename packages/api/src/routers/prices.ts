import { z } from 'zod'
import {
  addCustomPrice,
  listUnpricedModels,
  queueRepriceUnpriced,
  unpricedModelsSchema,
  addDiscount,
  customPriceInputSchema,
  discountInputSchema,
  mappingInputSchema,
  removeCustomPrice,
  removeDiscount,
  removeMapping,
  setMapping,
  teamPriceTable,
  teamPriceTableSchema,
} from '../services/team-prices'
import { createTRPCRouter, teamProcedure } from '../trpc'

const tags = ['prices']

export const pricesRouter = createTRPCRouter({
  table: teamProcedure({ role: 'viewer', scope: 'usage:read' })
    .meta({
      openapi: {
        method: 'GET',
        path: '/prices',
        tags,
        summary:
          "The team's prices beyond the catalogue: custom prices, discounts, model mappings and imported list prices",
      },
    })
    .input(z.object({}).optional())
    .output(teamPriceTableSchema)
    .query(({ ctx }) => teamPriceTable(ctx.db, ctx.team)),

  addCustom: teamProcedure({ role: 'admin', scope: 'budgets:write' })
    .meta({
      openapi: {
        method: 'POST',
        path: '/prices/custom',
        tags,
        summary: 'Add a custom (negotiated) price for a model, with effective dates',
      },
    })
    .input(customPriceInputSchema)
    .output(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) => addCustomPrice(ctx.db, ctx.team, input)),

  unpriced: teamProcedure({ role: 'viewer', scope: 'usage:read' })
    .meta({
      openapi: {
        method: 'GET',
        path: '/prices/unpriced',
        tags,
        summary: 'Models your team sent that have no price yet, with how many usage rows wait for one',
      },
    })
    .input(z.object({}).optional())
    .output(unpricedModelsSchema)
    .query(({ ctx }) => listUnpricedModels(ctx.db, ctx.team)),

  repriceUnpriced: teamProcedure({ role: 'admin', scope: 'budgets:write' })
    .meta({
      openapi: {
        method: 'POST',
        path: '/prices/reprice-unpriced',
        tags,
        summary: 'Queue the re-pricing of unpriced usage rows with your current prices (rollups and budgets follow)',
      },
    })
    .input(z.object({}).optional())
    .output(z.object({ queued: z.literal(true), unpricedRows: z.number().int() }))
    .mutation(({ ctx }) => queueRepriceUnpriced(ctx.db, ctx.team)),

  removeCustom: teamProcedure({ role: 'admin', scope: 'budgets:write' })
    .meta({ openapi: { method: 'DELETE', path: '/prices/custom', tags, summary: 'Delete a custom price' } })
    .input(z.object({ id: z.uuid() }))
    .output(z.object({ deleted: z.boolean() }))
    .mutation(({ ctx, input }) => removeCustomPrice(ctx.db, ctx.team, input.id)),

  addDiscount: teamProcedure({ role: 'admin', scope: 'budgets:write' })
    .meta({
      openapi: {
        method: 'POST',
        path: '/prices/discounts',
        tags,
        summary: 'Add a negotiated discount (percent off list prices) for a provider or a model, with effective dates',
      },
    })
    .input(discountInputSchema)
    .output(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) => addDiscount(ctx.db, ctx.team, input)),

  removeDiscount: teamProcedure({ role: 'admin', scope: 'budgets:write' })
    .meta({ openapi: { method: 'DELETE', path: '/prices/discounts', tags, summary: 'Delete a discount' } })
    .input(z.object({ id: z.uuid() }))
    .output(z.object({ deleted: z.boolean() }))
    .mutation(({ ctx, input }) => removeDiscount(ctx.db, ctx.team, input.id)),

  mappings: teamProcedure({ role: 'viewer', scope: 'usage:read' })
    .meta({
      openapi: {
        method: 'GET',
        path: '/prices/mappings',
        tags,
        summary: "The team's model names (Azure deployments) and the models they are priced as",
      },
    })
    .input(z.object({}).optional())
    .output(z.object({ mappings: z.array(z.object({ name: z.string(), model: z.string() })) }))
    .query(async ({ ctx }) => ({ mappings: (await teamPriceTable(ctx.db, ctx.team)).mappings })),

  setMapping: teamProcedure({ role: 'admin', scope: 'budgets:write' })
    .meta({
      openapi: {
        method: 'PUT',
        path: '/prices/mappings',
        tags,
        summary: 'Price a model name of yours (an Azure deployment name) as a catalogue model',
      },
    })
    .input(mappingInputSchema)
    .output(z.object({ name: z.string(), model: z.string() }))
    .mutation(({ ctx, input }) => setMapping(ctx.db, ctx.team, input)),

  removeMapping: teamProcedure({ role: 'admin', scope: 'budgets:write' })
    .meta({ openapi: { method: 'DELETE', path: '/prices/mappings', tags, summary: 'Delete a model name mapping' } })
    .input(z.object({ name: z.string().min(1).max(200) }))
    .output(z.object({ deleted: z.boolean() }))
    .mutation(({ ctx, input }) => removeMapping(ctx.db, ctx.team, input.name)),
})
