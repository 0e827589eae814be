import { errorResponseFor } from '@costwise/api/errors'
import { handleLabRunRequest } from '@costwise/api/gateway/http'
import { listModels } from '@costwise/core'
import { data } from '@remix-run/node'
import { formError, throwAsResponse } from './lib/errors.server'
import { z } from 'zod'
import { requireUser } from './auth.server'
import { db } from './db.server'
import { apiConfig } from './api-config.server'
import { filledVariables, initialDraft } from './lib/lab/preview'

/** POST /api/lab/run: streams a run (NDJSON) through the model gateway. */
export function handleLabRun(request: Request): Promise<Response> {
  return handleLabRunRequest(db, request, apiConfig)
}

/** POST /api/lab/estimate: `lab.estimate` for a draft sent as JSON (signed-in users; the procedure checks the role). */
export async function labEstimate(request: Request): Promise<Response> {
  const { caller } = await requireUser(request)
  const body: unknown = await request.json().catch(() => null)
  try {
    return Response.json(await caller.lab.estimate(body as Parameters<typeof caller.lab.estimate>[0]))
  } catch (error) {
    // The one error mapping: an expected error answers with its code, status and field; anything else is thrown.
    const response = errorResponseFor(error)
    if (response) return response
    throw error
  }
}

/** Everything the Lab page shows: the prompt (if one is open), its runs, the models, budgets and the user's plan. */
export async function labLoader(request: Request, promptId: string | undefined) {
  const { me, caller } = await requireUser(request)
  if (promptId && !z.uuid().safeParse(promptId).success) throw new Response('No such prompt', { status: 404 })
  const [list, prompt, runs, budgets, priceTable, versions] = await Promise.all([
    caller.lab.list(),
    promptId ? caller.lab.get({ id: promptId }).catch(notFound) : Promise.resolve(null),
    promptId ? caller.lab.runs({ promptId, limit: 20 }).catch(notFound) : Promise.resolve([]),
    caller.lab.budgetStatus({ promptId: promptId ?? null }),
    caller.prices.table(),
    promptId
      ? caller.prompts
          .versions({ id: promptId })
          .then((v) => v.items)
          .catch(notFound)
      : Promise.resolve([]),
  ])
  const models = listModels({ includeLegacy: false })
  // The server's estimate of the opening draft, so the preview is on screen at first paint; the browser's own
  // counter (a Web Worker) takes over once its tokenizer has loaded.
  const draft = initialDraft(prompt, models)
  const estimate = await caller.lab
    .estimate({
      model: draft.model,
      system: draft.system,
      user: draft.user,
      variables: filledVariables(draft),
      maxOutputTokens: draft.maxOutputTokens,
    })
    .catch(() => null)
  return {
    tier: me.activeTeam?.plan ?? 'free',
    role: me.activeTeam?.role ?? null,
    prompts: list.prompts,
    prompt,
    runs,
    budgets,
    versions,
    models,
    estimate,
    // The team's prices, so the live preview shows what the team pays (custom prices, discounts, imports).
    pricing: {
      overrides: priceTable.overrides,
      imported: priceTable.imported,
      discounts: priceTable.discounts,
      mappings: priceTable.mappings,
    },
  }
}

function notFound(error: unknown): never {
  throwAsResponse(error, { NOT_FOUND: 'No such prompt in your team' })
}

const saveForm = z.object({
  intent: z.literal('save'),
  id: z
    .uuid()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  name: z.string(),
  systemMessage: z.string(),
  userMessage: z.string(),
  variables: z.string().transform((v, ctx) => {
    try {
      return z.record(z.string(), z.string()).parse(JSON.parse(v || '{}'))
    } catch {
      ctx.addIssue({ code: 'custom', message: 'variables must be a JSON object of strings' })
      return z.NEVER
    }
  }),
  model: z.string(),
  maxOutputTokens: z.coerce.number(),
})

const actionForm = z.discriminatedUnion('intent', [
  saveForm,
  z.object({ intent: z.literal('rename'), id: z.uuid(), name: z.string() }),
  z.object({ intent: z.literal('delete'), id: z.uuid() }),
  z.object({ intent: z.literal('revert'), id: z.uuid(), version: z.coerce.number().int().min(1) }),
  z.object({
    intent: z.literal('improve'),
    promptId: z
      .uuid()
      .optional()
      .or(z.literal('').transform(() => undefined)),
    model: z.string(),
    system: z.string().default(''),
    user: z.string(),
    maxOutputTokens: z.coerce.number(),
  }),
])

export type LabActionResult =
  | { ok: true; intent: 'save'; id: string; name: string }
  | { ok: true; intent: 'rename'; id: string; name: string }
  | { ok: true; intent: 'delete' }
  | { ok: true; intent: 'revert'; id: string; version: number }
  | {
      ok: true
      intent: 'improve'
      improve: Awaited<ReturnType<Awaited<ReturnType<typeof requireUser>>['caller']['lab']['improve']>>
    }
  | { ok: false; intent: string; message: string; field: string | null; code: string }

/** The Lab page's form posts: save, rename, delete, restore a version and "improve my prompt". */
export async function labAction(request: Request) {
  const { caller } = await requireUser(request)
  const form = Object.fromEntries(await request.formData())
  const parsed = actionForm.safeParse(form)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    return data<LabActionResult>(
      {
        ok: false,
        intent: String(form.intent ?? ''),
        code: 'BAD_INPUT',
        message: issue.message,
        field: issue.path.join('.'),
      },
      { status: 400 },
    )
  }
  const input = parsed.data
  try {
    switch (input.intent) {
      case 'save': {
        const { intent: _intent, ...values } = input
        const saved = await caller.lab.save(values)
        return data<LabActionResult>({ ok: true, intent: 'save', id: saved.id, name: saved.name })
      }
      case 'rename': {
        const renamed = await caller.lab.rename({ id: input.id, name: input.name })
        return data<LabActionResult>({ ok: true, intent: 'rename', id: renamed.id, name: renamed.name })
      }
      case 'delete':
        await caller.lab.delete({ id: input.id })
        return data<LabActionResult>({ ok: true, intent: 'delete' })
      case 'revert': {
        const reverted = await caller.prompts.revert({ id: input.id, version: input.version })
        return data<LabActionResult>({ ok: true, intent: 'revert', id: reverted.id, version: reverted.version })
      }
      case 'improve': {
        const improve = await caller.lab.improve({
          promptId: input.promptId,
          model: input.model,
          system: input.system,
          user: input.user,
          maxOutputTokens: input.maxOutputTokens,
        })
        return data<LabActionResult>({ ok: true, intent: 'improve', improve })
      }
    }
  } catch (error) {
    const { code, message, field, status } = formError(error)
    return data<LabActionResult>({ ok: false, intent: input.intent, code, message, field }, { status })
  }
}
