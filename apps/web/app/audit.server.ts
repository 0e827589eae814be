import { AUDIT_ACTIONS, auditActionSchema, auditActorKindSchema } from '@costwise/core'
import { throwAsResponse } from './lib/errors.server'
import { z } from 'zod'
import { requireUser } from './auth.server'

const filtersSchema = z.object({
  action: auditActionSchema.optional().catch(undefined),
  actorKind: auditActorKindSchema.optional().catch(undefined),
  from: z.iso.date().optional().catch(undefined),
  to: z.iso.date().optional().catch(undefined),
  cursor: z.string().max(300).optional().catch(undefined),
})

/** Settings → Audit log: a page of the team's audit rows with the filters in the address. Owners and admins. */
export async function auditLoader(request: Request) {
  const { caller } = await requireUser(request)
  const params = Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== ''))
  const filters = filtersSchema.parse(params)
  try {
    const page = await caller.audit.list({
      ...filters,
      action: filters.action ? [filters.action] : undefined,
      limit: 50,
    })
    return { filters, page, actions: AUDIT_ACTIONS, actorKinds: auditActorKindSchema.options }
  } catch (error) {
    throwAsResponse(error, { FORBIDDEN: 'The audit log is for the team’s owners and admins.' })
  }
}
