import type { SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { tierAllows } from '@costwise/core'
import { keySplitFormSchema } from '@costwise/core/allocation/input'
import type { Viewer } from './auth.server'
import { refusal, type ActionResult } from './lib/action-result.server'
import { replyWithError } from './lib/errors.server'
import { formString } from './lib/form-data'

/** The cost centres page (Enterprise): the centres, and who and what is assigned to them. */
export async function loadCostCentersPage({ me, caller }: Viewer) {
  const plan = me.activeTeam?.plan ?? 'free'
  const role = me.activeTeam?.role ?? 'viewer'
  const canEdit = role === 'owner' || role === 'admin'
  if (!tierAllows(plan, 'costAllocation')) return { locked: true as const, plan }
  const [centers, members, keys, prompts] = await Promise.all([
    caller.costCenters.list(),
    caller.teams.members(),
    canEdit ? caller.apiKeys.list() : Promise.resolve([]),
    caller.lab.list(),
  ])
  return {
    locked: false as const,
    plan,
    canEdit,
    ...centers,
    people: members.map((m) => ({ userId: m.userId, label: m.name || m.email })),
    keys: keys.filter((k) => !k.revokedAt).map((k) => ({ id: k.id, name: k.name })),
    promptList: prompts.prompts.map((p) => ({ id: p.id, name: p.name })),
  }
}

/** A key's split refused, by the form's schema or by the procedure: Conform's result for that key's form. */
export interface KeySplitRefusal {
  ok: false
  intent: 'assignKey'
  target: string
  reply: SubmissionResult
}

export type CostCentersActionData = ActionResult | KeySplitRefusal

/** A key's split, parsed with the form's schema (the one the browser checks) against the team's cost centres. */
async function assignKey(caller: Viewer['caller'], form: FormData): Promise<CostCentersActionData> {
  const intent = 'assignKey'
  const target = formString(form, 'target')
  const list = await caller.costCenters.list()
  const submission = parseWithZod(form, { schema: keySplitFormSchema(list.costCenters) })
  if (submission.status !== 'success') return { ok: false, intent, target, reply: submission.reply() }
  try {
    await caller.costCenters.assign(submission.value)
  } catch (error) {
    return { ok: false, intent, target, reply: replyWithError(submission, error) }
  }
  return { ok: true, intent, notice: 'The key’s split was saved.' }
}

export async function costCentersAction({ caller }: Viewer, form: FormData): Promise<CostCentersActionData> {
  const intent = formString(form, 'intent')
  const target = formString(form, 'target') || formString(form, 'id') || undefined
  try {
    switch (intent) {
      case 'save': {
        const saved = await caller.costCenters.save({
          id: formString(form, 'id') || undefined,
          code: formString(form, 'code'),
          name: formString(form, 'name'),
          archived: formString(form, 'archived') === 'true',
        })
        return {
          ok: true,
          intent,
          notice: saved.archived
            ? `“${saved.name}” archived: it takes no new usage.`
            : `Cost centre “${saved.name}” (${saved.code}) saved.`,
        }
      }
      case 'assignMember':
      case 'assignPrompt': {
        const costCenterId = formString(form, 'costCenterId') || null
        if (intent === 'assignMember')
          await caller.costCenters.assign({ target: 'member', userId: formString(form, 'target'), costCenterId })
        else await caller.costCenters.assign({ target: 'prompt', promptId: formString(form, 'target'), costCenterId })
        return { ok: true, intent, notice: 'Assignment saved: new usage is allocated accordingly.' }
      }
      case 'assignKey':
        return await assignKey(caller, form)
      default:
        return { ok: false, intent, field: null, message: 'Unknown action.' }
    }
  } catch (error) {
    return refusal(error, intent, target)
  }
}
