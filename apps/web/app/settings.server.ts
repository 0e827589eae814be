import { tierSchema } from '@costwise/core'
import { data } from '@remix-run/node'
import { z } from 'zod'
import { requireUser } from './auth.server'

/** The settings page: the development-only plan switcher. */
export async function setTierAction(request: Request) {
  const { caller } = await requireUser(request)
  const form = Object.fromEntries(await request.formData())
  const parsed = z.object({ tier: tierSchema }).safeParse(form)
  if (!parsed.success) return data({ ok: false as const, message: 'Pick free, pro or enterprise.' }, { status: 400 })
  await caller.me.setTier({ tier: parsed.data.tier })
  return data({ ok: true as const, tier: parsed.data.tier })
}

const keyIntent = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('create-key'), name: z.string().trim().min(1, 'Give the key a name').max(100, 'Use at most 100 characters') }),
  z.object({ intent: z.literal('revoke-key'), id: z.uuid() }),
])

/** API keys of the active team (admins and owners only; others get null). */
export async function loadApiKeys(request: Request) {
  const { me, caller } = await requireUser(request)
  const role = me.activeTeam?.role
  if (role !== 'owner' && role !== 'admin') return null
  return caller.apiKeys.list()
}

/** The settings page's form posts: the plan switcher, or creating and revoking API keys. */
export async function settingsAction(request: Request) {
  const form = await request.clone().formData()
  if (!form.has('intent')) return setTierAction(request)
  const { caller } = await requireUser(request)
  const parsed = keyIntent.safeParse(Object.fromEntries(form))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    return data({ ok: false as const, field: issue.path.join('.'), message: issue.message }, { status: 400 })
  }
  if (parsed.data.intent === 'create-key') {
    const created = await caller.apiKeys.create({ name: parsed.data.name })
    return data({ ok: true as const, created: { key: created.key, name: created.apiKey.name } })
  }
  await caller.apiKeys.revoke({ id: parsed.data.id })
  return data({ ok: true as const, revoked: parsed.data.id })
}
