import { z } from 'zod'
import {
  createPromptFromApi,
  createPromptSchema,
  getPromptView,
  listPromptViews,
  listVersions,
  patchPromptFromApi,
  patchPromptSchema,
  promptVersionSchema,
  promptViewSchema,
  revertPrompt,
} from '../services/prompts'
import { createTRPCRouter, teamProcedure } from '../trpc'

const tags = ['prompts']
const idInput = z.object({ id: z.uuid('id must be a UUID') })

/**
 * Saved prompts over REST (internal tools, and what Apply changes). Every change is a version: who, when,
 * before → after; any version can be restored (as a new version). Keys read them with `usage:read` and change
 * them with `prompts:write`.
 */
export const promptsRouter = createTRPCRouter({
  list: teamProcedure({ role: 'viewer', scope: 'usage:read' })
    .meta({ openapi: { method: 'GET', path: '/prompts', tags, summary: 'The team’s saved prompts' } })
    .input(z.object({}).optional())
    .output(z.object({ items: z.array(promptViewSchema) }))
    .query(async ({ ctx }) => ({ items: await listPromptViews(ctx.db, ctx.team) })),

  get: teamProcedure({ role: 'viewer', scope: 'usage:read' })
    .meta({ openapi: { method: 'GET', path: '/prompts/{id}', tags, summary: 'One prompt' } })
    .input(idInput)
    .output(promptViewSchema)
    .query(({ ctx, input }) => getPromptView(ctx.db, ctx.team, input.id)),

  create: teamProcedure({ role: 'member', scope: 'prompts:write' })
    .meta({
      openapi: {
        method: 'POST',
        path: '/prompts',
        tags,
        summary: 'Save a prompt: { name, model, messages, maxOutputTokens }',
      },
    })
    .input(createPromptSchema)
    .output(promptViewSchema)
    .mutation(({ ctx, input }) => createPromptFromApi(ctx.db, ctx.team, input)),

  update: teamProcedure({ role: 'member', scope: 'prompts:write' })
    .meta({
      openapi: {
        method: 'PATCH',
        path: '/prompts/{id}',
        tags,
        summary: 'Change some of a prompt’s fields (a new version)',
      },
    })
    .input(patchPromptSchema)
    .output(promptViewSchema)
    .mutation(({ ctx, input }) => patchPromptFromApi(ctx.db, ctx.team, input)),

  versions: teamProcedure({ role: 'viewer', scope: 'usage:read' })
    .meta({
      openapi: {
        method: 'GET',
        path: '/prompts/{id}/versions',
        tags,
        summary: 'A prompt’s versions, newest first: who, when, before → after',
      },
    })
    .input(idInput)
    .output(z.object({ items: z.array(promptVersionSchema) }))
    .query(async ({ ctx, input }) => ({ items: await listVersions(ctx.db, ctx.team, input.id) })),

  revert: teamProcedure({ role: 'member', scope: 'prompts:write' })
    .meta({
      openapi: { method: 'POST', path: '/prompts/{id}/revert', tags, summary: 'Restore a version (as a new version)' },
    })
    .input(idInput.extend({ version: z.number().int('version is a whole number').min(1, 'version starts at 1') }))
    .output(promptViewSchema)
    .mutation(({ ctx, input }) => revertPrompt(ctx.db, ctx.team, input.id, input.version)),
})
