import { API_KEY_SCOPES, apiKeyScopeSchema } from '@costwise/core'
import { data } from '@remix-run/node'
import { formError } from './lib/errors.server'
import { z } from 'zod'
import { requireUser } from './auth.server'

const createKeyForm = z.object({
  intent: z.literal('create-key'),
  name: z.string().trim().min(1, 'Give the key a name').max(100, 'Use at most 100 characters'),
  scopes: z.array(apiKeyScopeSchema).min(1, 'Pick at least one scope'),
  expiresInDays: z
    .string()
    .trim()
    .transform((v) => (v === '' ? null : Number(v)))
    .pipe(
      z
        .number()
        .int('Use a whole number of days')
        .min(1, 'Use at least 1 day')
        .max(3650, 'Use at most 3650 days')
        .nullable(),
    ),
  allowedModels: z
    .string()
    .trim()
    .transform((v) => {
      const list = v.split(/[\s,]+/).filter(Boolean)
      return list.length ? list : null
    })
    .pipe(
      z
        .array(z.string().max(200, 'A model name is at most 200 characters'))
        .max(100, 'List at most 100 models')
        .nullable(),
    ),
})

const keyIntent = z.discriminatedUnion('intent', [
  createKeyForm,
  z.object({ intent: z.literal('revoke-key'), id: z.uuid() }),
])

/** API keys of the active team (admins and owners only; others get null). */
export async function loadApiKeys(request: Request) {
  const { me, caller } = await requireUser(request)
  const role = me.activeTeam?.role
  if (role !== 'owner' && role !== 'admin') return null
  return caller.apiKeys.list()
}

/** The settings page's form posts: creating (with scopes, an expiry and a model list) and revoking API keys. */
export async function settingsAction(request: Request) {
  const { caller } = await requireUser(request)
  const form = await request.formData()
  const parsed = keyIntent.safeParse({
    intent: form.get('intent'),
    id: form.get('id') ?? undefined,
    name: form.get('name') ?? '',
    scopes: form
      .getAll('scopes')
      .filter((s): s is string => typeof s === 'string' && (API_KEY_SCOPES as readonly string[]).includes(s)),
    expiresInDays: form.get('expiresInDays') ?? '',
    allowedModels: form.get('allowedModels') ?? '',
  })
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    return data({ ok: false as const, field: String(issue.path[0] ?? ''), message: issue.message }, { status: 400 })
  }
  try {
    if (parsed.data.intent === 'create-key') {
      const { intent: _intent, ...input } = parsed.data
      const created = await caller.apiKeys.create(input)
      return data({ ok: true as const, created: { key: created.key, name: created.apiKey.name } })
    }
    await caller.apiKeys.revoke({ id: parsed.data.id })
    return data({ ok: true as const, revoked: parsed.data.id })
  } catch (error) {
    const { field, message, status } = formError(error)
    return data({ ok: false as const, field: field ?? '', message }, { status })
  }
}
