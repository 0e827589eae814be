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
